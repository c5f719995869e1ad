"""What other domains read of stored files."""

from __future__ import annotations

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
