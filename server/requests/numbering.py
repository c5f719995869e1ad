"""Request numbers: their own sequence (default `З-000123`), apart from orders'."""

from __future__ import annotations

import os

from server import counters
from server.requests.tables import RequestNumberCounter

DEFAULT_FORMAT = "З-{n:06d}"


def number_format() -> str:
    """The pattern of request numbers: SERVIO_REQUEST_NUMBER_FORMAT with {n}."""
    return os.environ.get("SERVIO_REQUEST_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number() -> str:
    """The next request number, bumped in the caller's transaction (never given twice)."""
    pattern = number_format()
    prefix = pattern.split("{n")[0]
    last = await counters.bump(RequestNumberCounter, prefix)
    return pattern.format(n=last)
