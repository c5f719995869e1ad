"""Shipment numbers: their own sequence (default `ОТ-000001`), apart from orders' and requests'."""

from __future__ import annotations

import os

from server import counters
from server.deliveries.tables import ShipmentNumberCounter

DEFAULT_FORMAT = "ОТ-{n:06d}"


def number_format() -> str:
    """The pattern of shipment numbers: SERVIO_SHIPMENT_NUMBER_FORMAT with {n}."""
    return os.environ.get("SERVIO_SHIPMENT_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number() -> str:
    """The next shipment number, bumped in the caller's transaction (never given twice)."""
    return await counters.next_number(ShipmentNumberCounter, number_format())
