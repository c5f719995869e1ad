"""Undoing a posted document by its reversal: the reason, and the original locked and checked
(a reversal is never reversed, and a document is reversed once)."""

from __future__ import annotations

from typing import Any

from piccolo.table import Table

from server.errors import InvalidInput, NotFound


def reason_of(text: str) -> str:
    """The reason given, in one line; refused when blank."""
    reason = " ".join(text.split())
    if not reason:
        raise InvalidInput("Say why", field="reason")
    return reason


async def locked_original(table: type[Table], record_id: int, missing: str, twice: str) -> Any:
    """The document to reverse, locked FOR UPDATE (in the caller's transaction); `missing` and
    `twice` are the messages when there is none or it is reversed already."""
    name = table._meta.tablename
    rows = await table.raw(f"SELECT * FROM {name} WHERE id = {{}} FOR UPDATE", record_id)
    if not rows:
        raise NotFound(missing)
    if rows[0]["reverses"] is not None:
        raise InvalidInput("A reversal cannot be reversed", field="reason")
    reverses = table._meta.get_column_by_name("reverses")
    if await table.exists().where(reverses == record_id):
        raise InvalidInput(twice, field="reason")
    return rows[0]
