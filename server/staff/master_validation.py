"""Checking a master's profile and calendar exceptions; each error names its field."""

from __future__ import annotations

import datetime as dt
import math

from server.errors import InvalidInput
from server.staff.calendar import ExceptionKind, minutes_between
from server.staff.master_schemas import ExceptionIn, MasterProfileIn, WeekdayIn
from server.staff.masters import MAX_RANGE_DAYS

MAX_VISITS = 100
MAX_LUNCH_MINUTES = 240


def shift(start: dt.time, end: dt.time, field: str = "shift_end") -> None:
    """The shift ends after it starts, within one day."""
    if minutes_between(start, end) <= 0:
        raise InvalidInput("The shift must end after it starts", field=field)


def lunch(data: MasterProfileIn) -> None:
    """A lunch window inside the default shift, long enough for the lunch; or no lunch."""
    start, end = data.lunch_start, data.lunch_end
    if start is None and end is None:
        if data.lunch_minutes:
            raise InvalidInput("Give the lunch window or set the lunch to 0", field="lunch_start")
        return
    if start is None or end is None:
        field = "lunch_start" if start is None else "lunch_end"
        raise InvalidInput("Give both the start and the end of the lunch window", field=field)
    if minutes_between(start, end) <= 0:
        raise InvalidInput("The lunch window must end after it starts", field="lunch_end")
    if start < data.shift_start:
        raise InvalidInput("The lunch window must be inside the shift", field="lunch_start")
    if end > data.shift_end:
        raise InvalidInput("The lunch window must be inside the shift", field="lunch_end")
    if not 1 <= data.lunch_minutes <= MAX_LUNCH_MINUTES:
        raise InvalidInput(
            "Lunch lasts 1 to {n} minutes", field="lunch_minutes", n=MAX_LUNCH_MINUTES
        )
    if data.lunch_minutes > minutes_between(start, end):
        raise InvalidInput("The lunch does not fit in its window", field="lunch_minutes")


def coordinates(lat: float | None, lon: float | None, prefix: str) -> None:
    """Latitude and longitude both given (and in range) or both left out."""
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        field = f"{prefix}_lat" if lat is None else f"{prefix}_lon"
        raise InvalidInput("Give both the latitude and the longitude", field=field)
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise InvalidInput("Latitude is between -90 and 90", field=f"{prefix}_lat")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise InvalidInput("Longitude is between -180 and 180", field=f"{prefix}_lon")


def max_visits(value: int | None) -> None:
    """None (no limit) or 1 to MAX_VISITS."""
    if value is not None and not 1 <= value <= MAX_VISITS:
        raise InvalidInput(
            "Visits per day: from 1 to {n}, or empty for no limit", field="max_visits", n=MAX_VISITS
        )


def weekdays(items: list[WeekdayIn], default_start: dt.time, default_end: dt.time) -> None:
    """Each weekday once, at least one working, each working day's hours in order."""
    seen: set[int] = set()
    for item in items:
        if item.weekday in seen:
            raise InvalidInput("Each weekday may be given once", field="weekdays")
        seen.add(item.weekday)
        if item.works:
            start = item.shift_start or default_start
            end = item.shift_end or default_end
            shift(start, end, field="weekdays")
    if not any(item.works for item in items):
        raise InvalidInput("Choose at least one working weekday", field="weekdays")


def profile(data: MasterProfileIn) -> None:
    """Every rule of a profile but the directories (checked against them by the service)."""
    shift(data.shift_start, data.shift_end)
    lunch(data)
    coordinates(data.start_lat, data.start_lon, "start")
    if not data.end_same_as_start:
        coordinates(data.end_lat, data.end_lon, "end")
    max_visits(data.max_visits)
    weekdays(data.weekdays, data.shift_start, data.shift_end)


def exception(data: ExceptionIn) -> ExceptionIn:
    """The exception with its last day filled in and hours only where they mean something."""
    last_day = data.last_day or data.first_day
    if last_day < data.first_day:
        raise InvalidInput("The last day must not be before the first day", field="last_day")
    if (last_day - data.first_day).days >= MAX_RANGE_DAYS:
        raise InvalidInput("At most {n} days at a time", field="last_day", n=MAX_RANGE_DAYS)
    if data.kind != ExceptionKind.CHANGED_HOURS:
        return ExceptionIn(
            kind=data.kind,
            first_day=data.first_day,
            last_day=last_day,
            comment=data.comment.strip(),
        )
    if data.shift_start is None:
        raise InvalidInput("Give the hours of the changed days", field="shift_start")
    if data.shift_end is None:
        raise InvalidInput("Give the hours of the changed days", field="shift_end")
    shift(data.shift_start, data.shift_end)
    return ExceptionIn(
        kind=data.kind,
        first_day=data.first_day,
        last_day=last_day,
        shift_start=data.shift_start,
        shift_end=data.shift_end,
        comment=data.comment.strip(),
    )
