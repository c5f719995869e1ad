"""Order numbers from a configurable sequence (default `YY-NNNNNN`) and public codes."""

from __future__ import annotations

import datetime as dt
import os
import secrets

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
    await OrderNumberCounter.raw(
        "INSERT INTO order_number_counter (prefix, last) VALUES ({}, 0) "
        "ON CONFLICT (prefix) DO NOTHING",
        prefix,
    )
    rows = await OrderNumberCounter.raw(
        "UPDATE order_number_counter SET last = last + 1 WHERE prefix = {} RETURNING last", prefix
    )
    return pattern.format(yy=f"{today:%y}", yyyy=f"{today:%Y}", n=rows[0]["last"])


def public_code() -> str:
    """A short random code printed on the receipt (about 30 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
