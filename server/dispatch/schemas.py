"""What the visits API takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from server.dispatch.choices import VisitStatus

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Minutes = Annotated[int, msgspec.Meta(ge=5, le=720)]
Sequence = Annotated[int, msgspec.Meta(ge=0, le=1000)]
Address = Annotated[str, msgspec.Meta(max_length=500)]
Note = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(max_length=500)]
Clock = Annotated[
    str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", examples=["10:00"])
]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90)]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180)]


class VisitCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new visit for a field order; address and coordinates default to the client's."""

    order_id: Id
    day: dt.date
    master_id: Id | None = None
    window_start: Clock | None = None
    window_end: Clock | None = None
    duration_min: Minutes = 60
    sequence: Sequence | None = None
    address: Address = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    comment: Note = ""
    planned_start: dt.datetime | None = None
    pinned_master: bool = False
    pinned_time: bool = False


class VisitPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a visit; `version` (if given) must be the current one."""

    version: Id | UnsetType = UNSET
    master_id: Id | UnsetType | None = UNSET
    day: dt.date | UnsetType = UNSET
    window_start: Clock | UnsetType | None = UNSET
    window_end: Clock | UnsetType | None = UNSET
    duration_min: Minutes | UnsetType = UNSET
    sequence: Sequence | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    latitude: Latitude | UnsetType | None = UNSET
    longitude: Longitude | UnsetType | None = UNSET
    comment: Note | UnsetType = UNSET
    planned_start: dt.datetime | UnsetType | None = UNSET
    pinned_master: bool | UnsetType = UNSET
    pinned_time: bool | UnsetType = UNSET


class VisitStatusChange(msgspec.Struct, forbid_unknown_fields=True):
    """Move a visit on: when it happened (default now), why it failed, where the master was."""

    status: VisitStatus
    at: dt.datetime | None = None
    reason: Reason = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class VisitOut(msgspec.Struct):
    """A visit as the API and the field app see it (server/sync/PROTOCOL.md: Visit)."""

    id: int
    order_id: int
    master_id: int | None
    day: str
    window_start: str | None
    window_end: str | None
    planned_start: str | None
    duration_min: int
    sequence: int
    address: str
    latitude: float | None
    longitude: float | None
    status: str
    fail_reason: str
    comment: str
    status_at: str | None
    version: int
    pinned_master: bool = False
    pinned_time: bool = False


class VisitList(msgspec.Struct):
    """The visits of a day."""

    items: list[VisitOut]


MaxMoved = Annotated[int, msgspec.Meta(ge=0, le=10000)]
PlanStatus = Annotated[str, msgspec.Meta(examples=["queued", "running", "ready", "failed"])]


class PlanRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Plan a day: every working master (or the given ones), at most `max_moved` planned
    visits handed to another master; `take_over` replaces another dispatcher's plan."""

    day: dt.date
    master_ids: Annotated[list[Id], msgspec.Meta(max_length=500)] | None = None
    max_moved: MaxMoved | None = None
    take_over: bool = False


class PlanAccept(msgspec.Struct, forbid_unknown_fields=True):
    """Accept the proposal of the given masters (all of them when left out)."""

    master_ids: Annotated[list[Id], msgspec.Meta(max_length=500)] | None = None


class PlanQueued(msgspec.Struct):
    """The plan is being made; follow it at /api/v1/dispatch/plans/{id}."""

    id: int


class Figures(msgspec.Struct):
    """Driving distance and working hours (driving plus time on site), and visits."""

    km: float
    hours: float
    visits: int = 0


class Assignment(msgspec.Struct):
    """A visit of the proposal: whose, when, and the window promised to the client."""

    order_id: int
    master_id: int
    planned_start: dt.datetime
    window_start: str
    window_end: str
    sequence: int
    change: str  # new | moved | retimed | same | kept
    visit_id: int | None = None
    previous_master_id: int | None = None
    order_number: str = ""
    address: str = ""
    duration_min: int = 60
    travel_minutes: int = 0
    late_minutes: int = 0


class Left(msgspec.Struct):
    """Work the proposal leaves out, and why."""

    order_id: int
    reason: str
    reason_text: str
    detail: str = ""
    visit_id: int | None = None
    order_number: str = ""


class MasterPlan(msgspec.Struct):
    """One master's day in the proposal: figures before and after, shift and lunch."""

    master_id: int
    full_name: str
    before: Figures
    after: Figures
    shift_start: str
    shift_end: str
    lunch_start: str | None = None
    lunch_end: str | None = None
    accepted: bool = False


class MasterOff(msgspec.Struct):
    """A master the plan cannot use that day, and why."""

    master_id: int
    full_name: str
    reason: str
    reason_text: str


class PlanOut(msgspec.Struct):
    """A plan and its proposal (empty until ready)."""

    id: int
    status: PlanStatus
    day: dt.date
    assignments: list[Assignment]
    unassigned: list[Left]
    before: Figures
    after: Figures
    masters: list[MasterPlan] = []
    off: list[MasterOff] = []
    max_moved: int | None = None
    moved: int = 0
    planner_id: int | None = None
    planner_name: str = ""
    created_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    time_limit_s: float = 0.0
    progress: float = 0.0
    error: str = ""
    accepted_master_ids: list[int] = []


class PlanAccepted(msgspec.Struct):
    """The visits the accept saved, and the plan after it."""

    visits: list[VisitOut]
    plan: PlanOut
