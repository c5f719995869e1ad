"""What other domains read of stored files."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from server.files.tables import StoredFile


class FileOwner(msgspec.Struct, frozen=True):
    """The order a stored file is attached to, and who uploaded it."""

    order_id: int
    created_by: int | None


async def owner_of(file_id: uuid.UUID) -> FileOwner | None:
    """Whose and which order's file this id is, or None for an unused id."""
    row = await (
        StoredFile.select(StoredFile.order, StoredFile.created_by)
        .where(StoredFile.id == file_id)
        .first()
    )
    return FileOwner(row["order"], row["created_by"]) if row else None


class ActFile(msgspec.Struct, frozen=True):
    """A stored file marked as an act: of which kind, for which visit (None: every visit)."""

    id: str
    order_id: int
    act_kind_id: int
    visit_id: int | None
    name: str
    created_at: dt.datetime


async def act_files(order_ids: list[int]) -> list[ActFile]:
    """The acts attached to the orders, oldest first; for orders the caller already read in
    scope, or for the acts sweep (no person behind it)."""
    if not order_ids:
        return []
    rows = await (
        StoredFile.select(
            StoredFile.id,
            StoredFile.order,
            StoredFile.act_kind,
            StoredFile.act_visit,
            StoredFile.name,
            StoredFile.created_at,
        )
        .where(StoredFile.order.is_in(sorted(set(order_ids))), StoredFile.act_kind.is_not_null())
        .order_by(StoredFile.created_at, StoredFile.id)
    )
    return [
        ActFile(str(r["id"]), r["order"], r["act_kind"], r["act_visit"], r["name"], r["created_at"])
        for r in rows
    ]
