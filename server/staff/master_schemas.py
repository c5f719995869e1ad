"""What the master profile and calendar API takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from server.staff.api import MasterDay
from server.staff.calendar import ExceptionKind

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Ids = Annotated[list[Id], msgspec.Meta(max_length=500)]
Place = Annotated[str, msgspec.Meta(max_length=500)]
Comment = Annotated[str, msgspec.Meta(max_length=1000)]
Weekday = Annotated[int, msgspec.Meta(ge=0, le=6)]
# Range checks of numbers live in server.staff.master_validation, so the message names the field.


class WeekdayIn(msgspec.Struct, forbid_unknown_fields=True):
    """A weekday of the weekly pattern; hours left out are the profile's default shift."""

    weekday: Weekday  # 0 Monday ... 6 Sunday
    works: bool = True
    shift_start: dt.time | None = None
    shift_end: dt.time | None = None


def _workweek() -> list[WeekdayIn]:
    return [WeekdayIn(weekday=d, works=d < 5) for d in range(7)]


class MasterProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    """A master's whole profile: shift, lunch, places, skills, limit and the weekly pattern.

    Lunch: its window (lunch_start-lunch_end) and length; no window means no lunch. A place
    typed without coordinates is geocoded when a geocoder is configured; without one the
    coordinates must be typed. `end_same_as_start` ends the day where it starts.
    """

    shift_start: dt.time
    shift_end: dt.time
    lunch_start: dt.time | None = None
    lunch_end: dt.time | None = None
    lunch_minutes: int = 0
    start_address: Place = ""
    start_lat: float | None = None
    start_lon: float | None = None
    end_same_as_start: bool = True
    end_address: Place = ""
    end_lat: float | None = None
    end_lon: float | None = None
    device_type_ids: Ids = []
    brand_ids: Ids = []
    max_visits: int | None = None
    weekdays: Annotated[list[WeekdayIn], msgspec.Meta(max_length=7)] = msgspec.field(
        default_factory=_workweek
    )


class Named(msgspec.Struct, frozen=True):
    """A directory entry by id and name."""

    id: int
    name: str


class WeekdayOut(msgspec.Struct):
    """A weekday of the stored pattern, with the hours it resolves to."""

    weekday: int
    works: bool
    shift_start: dt.time | None
    shift_end: dt.time | None


class MasterProfileOut(msgspec.Struct):
    """A master's profile as stored (or the defaults when `is_default`)."""

    employee_id: int
    full_name: str
    is_default: bool
    shift_start: dt.time
    shift_end: dt.time
    lunch_start: dt.time | None
    lunch_end: dt.time | None
    lunch_minutes: int
    start_address: str
    start_lat: float | None
    start_lon: float | None
    start_located: bool  # False: no coordinates (typed place not found, or nothing typed)
    end_same_as_start: bool
    end_address: str
    end_lat: float | None
    end_lon: float | None
    end_located: bool
    device_types: list[Named]
    brands: list[Named]
    manufacturers: list[str]
    max_visits: int | None
    weekdays: list[WeekdayOut]
    geocoder: bool  # a geocoder is configured: places may be typed without coordinates


class ExceptionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A calendar exception over a range of days; hours only for changed_hours."""

    kind: ExceptionKind
    first_day: dt.date
    last_day: dt.date | None = None  # None: first_day only
    shift_start: dt.time | None = None
    shift_end: dt.time | None = None
    comment: Comment = ""


class ExceptionOut(msgspec.Struct):
    """A stored calendar exception."""

    id: int
    kind: str
    label: str
    first_day: dt.date
    last_day: dt.date
    shift_start: dt.time | None
    shift_end: dt.time | None
    comment: str


class CalendarOut(msgspec.Struct):
    """A master's resolved days and the exceptions touching them."""

    employee_id: int
    full_name: str
    first_day: dt.date
    last_day: dt.date
    days: list[MasterDay]
    exceptions: list[ExceptionOut]
