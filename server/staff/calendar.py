"""A master's working day from the profile, the weekly pattern and the calendar exceptions.

Pure functions over rows already read: no queries here, so one day or a month for every
master costs the same three queries (see `server.staff.masters`).

How a day resolves, strongest first:
1. a sick day, then a vacation, then a day off covering the day: not working;
2. changed hours covering the day: working those hours (also on a weekly day off: a one-off
   working day);
3. the weekly pattern: the weekday's own hours, or the profile's default shift; a weekday
   marked off is a "weekly_off";
4. no weekly pattern stored: Monday to Friday with the profile's default shift;
5. no profile at all: DEFAULTS (Monday to Friday 09:00-18:00, lunch within 13:00-14:00 for
   30 minutes, no start place, any device type and brand, no visit limit).

Lunch is taken inside its window clipped to the day's shift; a day whose clipped window is
shorter than the lunch (a short changed day, say) has no lunch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

import msgspec

from server.i18n import N_


class ExceptionKind(StrEnum):
    """Kinds of calendar exceptions, with their labels and strength below."""

    DAY_OFF = "day_off"
    VACATION = "vacation"
    SICK = "sick"
    CHANGED_HOURS = "changed_hours"


EXCEPTION_LABELS: dict[ExceptionKind, str] = {
    ExceptionKind.DAY_OFF: N_("Day off"),
    ExceptionKind.VACATION: N_("Vacation"),
    ExceptionKind.SICK: N_("Sick leave"),
    ExceptionKind.CHANGED_HOURS: N_("Changed hours"),
}

WEEKLY_OFF = "weekly_off"
ABSENCE_LABELS: dict[str, str] = {
    WEEKLY_OFF: N_("Weekly day off"),
    ExceptionKind.DAY_OFF: N_("Day off"),
    ExceptionKind.VACATION: N_("Vacation"),
    ExceptionKind.SICK: N_("Sick leave"),
}

# Absences in order of strength: a sick day inside a vacation is a sick day.
_ABSENCES = (ExceptionKind.SICK, ExceptionKind.VACATION, ExceptionKind.DAY_OFF)


class Defaults(msgspec.Struct, frozen=True):
    """What a master without a profile works like."""

    shift_start: dt.time = dt.time(9, 0)
    shift_end: dt.time = dt.time(18, 0)
    lunch_start: dt.time | None = dt.time(13, 0)
    lunch_end: dt.time | None = dt.time(14, 0)
    lunch_minutes: int = 30
    workdays: frozenset[int] = frozenset(range(5))  # Monday (0) to Friday (4)


DEFAULTS = Defaults()


class DayPlan(msgspec.Struct, frozen=True):
    """The hours part of a master's day."""

    works: bool
    absence: str | None
    shift_start: dt.time | None
    shift_end: dt.time | None
    lunch_start: dt.time | None
    lunch_end: dt.time | None
    lunch_minutes: int
    comment: str = ""


def days_between(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    """Every day from first_day to last_day, both included."""
    return [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def resolve_day(
    day: dt.date,
    profile: Mapping[str, Any] | None,
    weekdays: Mapping[int, Mapping[str, Any]],
    exceptions: Iterable[Mapping[str, Any]],
) -> DayPlan:
    """The master's day: rows of master_profile (or None), master_weekday by weekday and the
    calendar_exception rows of this master (any days; those not covering `day` are skipped)."""
    covering = [e for e in exceptions if e["first_day"] <= day <= e["last_day"]]
    for kind in _ABSENCES:
        found = [e for e in covering if e["kind"] == kind]
        if found:
            return _off(kind.value, found[-1].get("comment") or "")
    changed = [e for e in covering if e["kind"] == ExceptionKind.CHANGED_HOURS]
    if changed:
        last = changed[-1]
        return _working(profile, last["shift_start"], last["shift_end"], last.get("comment") or "")
    default_start, default_end = _default_shift(profile)
    if weekdays:
        pattern = weekdays.get(day.weekday())
        if pattern is None or not pattern["works"]:
            return _off(WEEKLY_OFF)
        start = pattern["shift_start"] or default_start
        end = pattern["shift_end"] or default_end
        return _working(profile, start, end)
    if day.weekday() not in DEFAULTS.workdays:
        return _off(WEEKLY_OFF)
    return _working(profile, default_start, default_end)


def _default_shift(profile: Mapping[str, Any] | None) -> tuple[dt.time, dt.time]:
    if profile is None:
        return DEFAULTS.shift_start, DEFAULTS.shift_end
    return profile["shift_start"], profile["shift_end"]


def _lunch(profile: Mapping[str, Any] | None) -> tuple[dt.time | None, dt.time | None, int]:
    if profile is None:
        return DEFAULTS.lunch_start, DEFAULTS.lunch_end, DEFAULTS.lunch_minutes
    return profile["lunch_start"], profile["lunch_end"], int(profile["lunch_minutes"] or 0)


def _off(absence: str, comment: str = "") -> DayPlan:
    return DayPlan(False, absence, None, None, None, None, 0, comment)


def _working(
    profile: Mapping[str, Any] | None, start: dt.time, end: dt.time, comment: str = ""
) -> DayPlan:
    lunch_start, lunch_end, minutes = _lunch(profile)
    if lunch_start is None or lunch_end is None or minutes <= 0:
        return DayPlan(True, None, start, end, None, None, 0, comment)
    window_start, window_end = max(lunch_start, start), min(lunch_end, end)
    if minutes_between(window_start, window_end) < minutes:
        return DayPlan(True, None, start, end, None, None, 0, comment)
    return DayPlan(True, None, start, end, window_start, window_end, minutes, comment)


def minutes_between(start: dt.time, end: dt.time) -> int:
    """Whole minutes from start to end of one day (negative when end is earlier)."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
