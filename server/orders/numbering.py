"""Order numbers from a configurable sequence (default `YY-NNNNNN`) and public codes."""

from __future__ import annotations

import datetime as dt
import os
import secrets

from server import counters
from server.orders.tables import OrderNumberCounter

# Letters and digits that cannot be confused when read aloud or from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
DEFAULT_FORMAT = "{yy}-{n:06d}"


def number_format() -> str:
    """The pattern of order numbers: SERVIO_ORDER_NUMBER_FORMAT with {yy}, {yyyy} and {n}."""
    return os.environ.get("SERVIO_ORDER_NUMBER_FORMAT", DEFAULT_FORMAT)


async def next_number(today: dt.date) -> str:
    """The next order number; the counter restarts with each prefix (each year by default).

    The counter row is bumped with one UPDATE ... RETURNING inside the caller's transaction,
    so concurrent intakes never get the same number.
    """
    pattern = number_format()
    prefix = pattern.split("{n")[0].format(yy=f"{today:%y}", yyyy=f"{today:%Y}")
    last = await counters.bump(OrderNumberCounter, prefix)
    return pattern.format(yy=f"{today:%y}", yyyy=f"{today:%Y}", n=last)


def public_code() -> str:
    """A short random code printed on the receipt (about 30 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
