"""Cash document numbers: their own sequence (default `КД-000001`), apart from other documents'."""

from __future__ import annotations

import os

from server import counters
from server.cashdesk.tables import CashNumberCounter

DEFAULT_FORMAT = "КД-{n:06d}"


def number_format() -> str:
    """The pattern of cash document numbers: SERVIO_CASH_DOCUMENT_NUMBER_FORMAT with {n}."""
    return os.environ.get("SERVIO_CASH_DOCUMENT_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number() -> str:
    """The next cash document number, bumped in the caller's transaction (never given twice)."""
    return await counters.next_number(CashNumberCounter, number_format())
