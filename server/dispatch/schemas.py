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


class VisitList(msgspec.Struct):
    """The visits of a day."""

    items: list[VisitOut]
