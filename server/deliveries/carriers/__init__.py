"""The carriers: the tracker of each (CDEK's API today; own couriers and others are kept by
hand). What a tracker answers and raises is in `base`."""

from __future__ import annotations

from server.deliveries.carriers import cdek
from server.deliveries.carriers.base import Tracker
from server.deliveries.choices import Carrier


def tracker(carrier: str) -> Tracker | None:
    """The tracker of a carrier when its integration is configured, else None."""
    if carrier == Carrier.CDEK.value:
        return cdek.configured()
    return None


def integration_on(carrier: str) -> bool:
    """Whether the carrier's shipments are fetched from it (its keys are set)."""
    return tracker(carrier) is not None


def has_integration(carrier: str) -> bool:
    """Whether the product can fetch this carrier's shipments at all (when configured)."""
    return carrier == Carrier.CDEK.value
