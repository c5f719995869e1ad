"""Inputs and outputs of the ratings domain."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

COMMENT_LENGTH = 2000


class RatingSettingsOut(msgspec.Struct):
    """When clients are asked, on which channels, and what is a low rating."""

    statuses: list[str]
    trigger_statuses: list[str]  # what `statuses` means (every closed status when empty)
    channels: list[str]
    link_days: int
    low_threshold: int
    aspects: bool
    sms_configured: bool


class RatingSettingsIn(msgspec.Struct, forbid_unknown_fields=True):
    """The settings as an administrator saves them."""

    statuses: list[Annotated[str, msgspec.Meta(max_length=50)]] = []
    channels: list[Annotated[str, msgspec.Meta(max_length=10)]] = msgspec.field(
        default_factory=lambda: ["email"]
    )
    link_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    low_threshold: Annotated[int, msgspec.Meta(ge=0, le=4)] = 3
    aspects: bool = False


class RateIn(msgspec.Struct, frozen=True):
    """A client's rating, checked."""

    score: int
    comment: str = ""
    aspects: dict[str, int] = {}


class RatingOut(msgspec.Struct, omit_defaults=True):
    """One rating as the reader may see it."""

    id: int
    order_id: int
    order_number: str
    score: int
    comment: str
    aspects: dict[str, int]
    month: str
    created_at: dt.datetime
    technician_id: int | msgspec.UnsetType | None = msgspec.UNSET
    technician_name: str | msgspec.UnsetType = msgspec.UNSET
    service_center_id: int | msgspec.UnsetType | None = msgspec.UNSET
    service_center_name: str | msgspec.UnsetType = msgspec.UNSET


class RatingList(msgspec.Struct):
    """A page of ratings with the average and count of all that match."""

    items: list[RatingOut]
    average: float | None
    count: int
    distribution: dict[str, int]
    next: int | None = None


class GroupStats(msgspec.Struct):
    """Ratings of one technician or service center in a month, with the trend."""

    id: int | None
    name: str
    average: float | None
    count: int
    distribution: dict[str, int]
    trend: list[tuple[str, float | None, int]]  # (month, average, count), oldest first


class RatingReport(msgspec.Struct):
    """Per technician and per partner service center, for a month."""

    month: str
    months: list[str]
    technicians: list[GroupStats]
    service_centers: list[GroupStats]
    average: float | None
    count: int
    distribution: dict[str, int]
