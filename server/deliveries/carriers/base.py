"""What a carrier's tracker answers of a shipment, the errors it raises, and its interface."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

import msgspec

from server.deliveries.choices import ShipmentStatus
from server.errors import DomainError, InvalidInput, Unavailable


class CarrierStatus(msgspec.Struct, frozen=True):
    """One status the carrier reports, in its words."""

    code: str
    name: str
    at: dt.datetime | None = None
    city: str = ""


class Tracked(msgspec.Struct, frozen=True):
    """What a carrier knows of a shipment; None where it says nothing."""

    number: str
    uuid: str = ""
    statuses: list[CarrierStatus] = []  # oldest first
    status: ShipmentStatus | None = None  # ours, for the carrier's latest status
    cost: Decimal | None = None
    weight_kg: Decimal | None = None
    places: int | None = None
    from_address: str = ""
    to_address: str = ""
    contact: str = ""
    delivered_at: dt.datetime | None = None

    @property
    def latest(self) -> CarrierStatus | None:
        """The carrier's current status."""
        return self.statuses[-1] if self.statuses else None


class CarrierRefused(DomainError):
    """The carrier answered with an error (bad keys, a refused request): 502."""

    status_code = 502


class KeysRefused(CarrierRefused):
    """The carrier refused the integration's keys: no shipment can be fetched until fixed."""


class CarrierAway(Unavailable):
    """The carrier did not answer in time, or answered nothing usable: 503, try later."""


class UnknownToCarrier(InvalidInput):
    """The carrier knows no shipment with this number: 422 at the tracking number."""


class Tracker(Protocol):
    """A carrier's tracking API."""

    async def track(self, number: str) -> Tracked:
        """The shipment with the carrier's number; raises the errors above."""
        ...
