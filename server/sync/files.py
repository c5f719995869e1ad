"""Photos and signatures captured offline: stored once under the id the phone gave them."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from server.actor import Actor
from server.errors import Conflict, InvalidInput
from server.sync.schemas import FileKind

SIGNATURE_NAME = "signature.png"


async def _existing(file_id: uuid.UUID) -> dict[str, Any] | None:
    from server.files.tables import StoredFile

    row: dict[str, Any] | None = (
        await StoredFile.select(StoredFile.id, StoredFile.order, StoredFile.created_by)
        .where(StoredFile.id == file_id)
        .first()
    )
    return row


async def _duplicate(actor: Actor, file_id: uuid.UUID, order_id: int) -> dict[str, Any] | None:
    found = await _existing(file_id)
    if found is None:
        return None
    if found["order"] != order_id or found["created_by"] != actor.employee_id:
        raise Conflict("This file id was already used; take the photo again")
    return {"id": str(file_id), "result": "duplicate"}


async def upload(
    actor: Actor,
    file_id: uuid.UUID,
    order_id: int,
    kind: FileKind,
    content: bytes,
    caption: str = "",
    signer: str = "",
) -> tuple[dict[str, Any], bool]:
    """Store the file unless it is already stored; (answer, created)."""
    from server.files.services import attach_to_order

    found = await _duplicate(actor, file_id, order_id)
    if found is not None:
        return found, False
    extra: dict[str, Any] = {}
    name = "photo.jpg"
    if kind == FileKind.SIGNATURE:
        signer = signer.strip()
        if not signer:
            raise InvalidInput("Write the name of the person who signed", field="signer")
        if not content.startswith(b"\x89PNG"):
            raise InvalidInput("A signature must be a PNG image", field="file")
        extra = {"signature": True, "signer": signer}
        name = SIGNATURE_NAME
        caption = caption or signer
    try:
        await attach_to_order(actor, order_id, name, content, caption, file_id=file_id, extra=extra)
    except asyncpg.UniqueViolationError:
        found = await _duplicate(actor, file_id, order_id)
        if found is None:
            raise
        return found, False
    return {"id": str(file_id), "result": "applied"}, True
