"""What the API takes and gives about one address and its coordinates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class AddressPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to one address: its text, its coordinates (both, or both null), its comment;
    `retry: true` asks the geocoder again (with no coordinates in the same change)."""

    address: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | Unset = UNSET
    lat: float | Unset | None = UNSET
    lon: float | Unset | None = UNSET
    comment: Annotated[str, msgspec.Meta(max_length=300)] | Unset = UNSET
    retry: bool = False


class AddressOut(msgspec.Struct):
    """An address of a client with its coordinates and how they were got."""

    id: int
    client_id: int
    address: str
    lat: float | None
    lon: float | None
    comment: str
    is_primary: bool
    geo_status: str
    geo_status_label: str
    geocoded_at: dt.datetime | None
    geo_note: str


class UnlocatedAddress(msgspec.Struct):
    """An address without coordinates: not found, failed, or waiting (`waiting`: a geocoder is
    configured and will try it; otherwise a person gives the coordinates)."""

    id: int
    client_id: int
    client_name: str
    address: str
    comment: str
    is_primary: bool
    geo_status: str
    geo_status_label: str
    geocoded_at: dt.datetime | None
    geo_note: str
    waiting: bool


class UnlocatedPage(msgspec.Struct):
    """A page of addresses without coordinates; `geocoder`: whether one is configured."""

    items: list[UnlocatedAddress]
    next: str | None
    geocoder: bool


class AddressPoint(msgspec.Struct, frozen=True):
    """An address of a client as other domains (dispatch) read it: where it is, if known."""

    id: int
    client_id: int
    text: str
    lat: float | None
    lon: float | None
    geo_status: str
    is_primary: bool


class GeocodeReport(msgspec.Struct):
    """What one geocoding run did: addresses found, not found, failed; `left`: still due;
    `skipped`: why nothing was tried (no geocoder configured)."""

    found: int = 0
    not_found: int = 0
    failed: int = 0
    left: int = 0
    skipped: str = ""
    stopped: str = ""
