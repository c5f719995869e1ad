"""What the SLA API takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from server.sla.calendar_data import DayKind

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HoursText = Annotated[str, Meta(max_length=200)]
Minutes = Annotated[int, Meta(ge=1, le=10_000_000)]


class WeekIn(msgspec.Struct, forbid_unknown_fields=True):
    """Working hours per weekday, e.g. «09:00-13:00, 14:00-18:00»; empty: a day off."""

    mon: HoursText = ""
    tue: HoursText = ""
    wed: HoursText = ""
    thu: HoursText = ""
    fri: HoursText = ""
    sat: HoursText = ""
    sun: HoursText = ""


class DayIn(msgspec.Struct, forbid_unknown_fields=True):
    """An exception day: holiday, short (an hour less), workday (a worked weekend) or hours."""

    kind: DayKind
    hours: HoursText = ""
    note: Annotated[str, Meta(max_length=200)] = ""


class DayOut(msgspec.Struct):
    """An exception day with the hours it has."""

    day: dt.date
    kind: str
    hours: str
    note: str


class CalendarOut(msgspec.Struct):
    """The center's working calendar."""

    zone: str
    week: WeekIn
    days: list[DayOut]


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    """Deadlines in business minutes for orders of a type and priority (empty: any)."""

    name: Annotated[str, Meta(max_length=100)]
    order_type_id: Annotated[int, Meta(ge=1, le=2_147_483_647)] | None = None
    priority: Annotated[str, Meta(max_length=10)] = ""
    accept_minutes: Minutes | None = None
    first_visit_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    warn_percent: Annotated[int, Meta(ge=1, le=1000)] = 80
    escalate_percent: Annotated[int, Meta(ge=1, le=1000)] | None = None
    pause_statuses: Annotated[list[Annotated[str, Meta(max_length=50)]], Meta(max_length=50)] = (
        msgspec.field(default_factory=list)
    )
    is_active: bool = True


class PolicyOut(msgspec.Struct):
    """A policy as stored."""

    id: int
    name: str
    order_type_id: int | None
    priority: str
    accept_minutes: int | None
    first_visit_minutes: int | None
    resolution_minutes: int | None
    warn_percent: int
    escalate_percent: int | None
    pause_statuses: list[str]
    is_active: bool


class PolicyList(msgspec.Struct):
    """Every policy."""

    items: list[PolicyOut]


class ClockOut(msgspec.Struct):
    """One clock of an order now: business minutes of its target, used and left."""

    clock: str
    label: str
    state: str
    state_label: str
    color: str
    target_minutes: int
    used_minutes: int
    left_minutes: int
    due_at: dt.datetime | None
    stopped_at: dt.datetime | None


class OrderSla(msgspec.Struct):
    """An order's clocks and their worst state (None: no policy applies)."""

    order_id: int
    state: str | None
    state_label: str | None
    color: str | None
    policy: str | None
    clocks: list[ClockOut]
    due_at: dt.datetime | None = None


class SlaBrief(msgspec.Struct):
    """The clock to watch of an order (the worst of those still running, the one with the
    least time left among equals): its state, and business minutes left (negative: late)."""

    state: str
    label: str
    color: str
    clock: str
    clock_label: str
    left_minutes: int
    due_at: dt.datetime | None


class LateRow(msgspec.Struct, omit_defaults=True):
    """A clock late or at risk, with who is on it."""

    order_id: int
    number: str
    type_name: str
    status_name: str
    clock: str
    clock_label: str
    state: str
    state_label: str
    color: str
    late_minutes: int
    left_minutes: int
    due_at: dt.datetime | None
    technician_id: int | UnsetType | None = UNSET
    technician: str | UnsetType | None = UNSET
    manager_id: int | UnsetType | None = UNSET
    manager: str | UnsetType | None = UNSET


class LateList(msgspec.Struct):
    """Every clock late or at risk of the orders the caller may read, worst first."""

    items: list[LateRow]
    total: int
