"""Small shared pieces of the clients domain: the clock, reading a client, page cursors."""

from __future__ import annotations

import datetime as dt
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


def aware(value: dt.datetime, field: str) -> dt.datetime:
    """A timestamp with its zone; a naive one is refused."""
    if value.tzinfo is None:
        raise InvalidInput(
            "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field=field
        )
    return value
