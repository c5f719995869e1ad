"""What the time clock API takes and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]
CheckKind = Annotated[str, msgspec.Meta(pattern="^(in|out)$")]


class CheckIn(msgspec.Struct, forbid_unknown_fields=True):
    """A check in or out, with the position when the device allows."""

    kind: CheckKind
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class CorrectionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A manager's correction: a check added, moved (naming the entry) or removed ("void")."""

    employee_id: Id
    kind: Annotated[str, msgspec.Meta(pattern="^(in|out|void)$")]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    at: dt.datetime | None = None
    corrects_id: Id | None = None


class EntryOut(msgspec.Struct, frozen=True):
    """A check as it stands."""

    id: int
    kind: str
    at: dt.datetime
    source: str
    latitude: float | None
    longitude: float | None
    corrected: bool
    reason: str


class DayOut(msgspec.Struct, frozen=True):
    """An employee's day: checks, time worked, lateness against the day's start."""

    employee_id: int
    employee_name: str
    day: dt.date
    first_in: dt.datetime | None
    last_out: dt.datetime | None
    worked_minutes: int
    expected_start: str  # "09:00", or "" when the day is not a working one
    late_minutes: int
    still_in: bool
    entries: list[EntryOut]


class DayList(msgspec.Struct, frozen=True):
    """Days of a period, by day then name."""

    items: list[DayOut]


class MyClock(msgspec.Struct, frozen=True):
    """One's own state: in or out since when, and one's days of the month."""

    checked_in: bool
    since: dt.datetime | None
    days: list[DayOut]
