"""Supplier order numbers: their own sequence (default `ЗП-000001`), apart from other documents'."""

from __future__ import annotations

import os

from server import counters
from server.purchasing.tables import PurchaseNumberCounter

DEFAULT_FORMAT = "ЗП-{n:06d}"


def number_format() -> str:
    """The pattern of supplier order numbers: SERVIO_SUPPLIER_ORDER_NUMBER_FORMAT with {n}."""
    return os.environ.get("SERVIO_SUPPLIER_ORDER_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number() -> str:
    """The next supplier order number, bumped in the caller's transaction (never given twice)."""
    return await counters.next_number(PurchaseNumberCounter, number_format())
