"""Shipment numbers: their own sequence (default `ОТ-000001`), apart from orders' and requests'."""

from __future__ import annotations

import os

from server.deliveries.tables import ShipmentNumberCounter

DEFAULT_FORMAT = "ОТ-{n:06d}"


def number_format() -> str:
    """The pattern of shipment numbers: SERVIO_SHIPMENT_NUMBER_FORMAT with {n}."""
    return os.environ.get("SERVIO_SHIPMENT_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number() -> str:
    """The next shipment number, bumped in the caller's transaction (never given twice)."""
    pattern = number_format()
    prefix = pattern.split("{n")[0][:20]
    await ShipmentNumberCounter.raw(
        "INSERT INTO delivery_number_counter (prefix, last) VALUES ({}, 0) "
        "ON CONFLICT (prefix) DO NOTHING",
        prefix,
    )
    rows = await ShipmentNumberCounter.raw(
        "UPDATE delivery_number_counter SET last = last + 1 WHERE prefix = {} RETURNING last",
        prefix,
    )
    return pattern.format(n=rows[0]["last"])
