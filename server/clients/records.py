"""Small shared pieces of the clients domain: the clock, reading a client, page cursors."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from server.clients.tables import Client
from server.errors import InvalidInput, NotFound


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


async def client_row(client_id: int) -> dict[str, Any]:
    """The row of a client, or 404."""
    row = await Client.select().where(Client.id == client_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No client with id {id}", id=client_id)
    return row


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor for keyset pagination."""
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The values of a cursor (the last one an id), or a field error for a damaged one."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeDecodeError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not isinstance(values[-1], int)
        or not 0 < values[-1] < 2**31
        or not all(isinstance(v, str) for v in values[:-1])
    ):
        raise InvalidInput("The page cursor is damaged; open the list again", field="cursor")
    return values


def aware(value: dt.datetime, field: str) -> dt.datetime:
    """A timestamp with its zone; a naive one is refused."""
    if value.tzinfo is None:
        raise InvalidInput(
            "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field=field
        )
    return value
