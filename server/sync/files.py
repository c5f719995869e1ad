"""Photos and signatures captured offline: stored once under the id the phone gave them.

The phone retries an upload until it gets an answer; the file's id makes the retry harmless:
the first upload stores the file and puts it on the order's timeline (201), any later one with
the same id answers "duplicate" (200). The type is told by the content, never by the name.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from server.actor import Actor
from server.errors import Conflict, DomainError, InvalidInput
from server.files import api as stored_files
from server.files.services import MAX_BYTES, attach_to_order, sniff
from server.sync.schemas import FileKind

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


class TooLarge(DomainError):
    """The body is over the upload limit: retrying the same bytes will never work."""

    status_code = 413


def check_size(length: int) -> None:
    """Refuse a body over the upload limit (before reading it when its length is announced)."""
    if length > MAX_BYTES:
        raise TooLarge(
            "The file is larger than {mb} MB", field="file", mb=MAX_BYTES // (1024 * 1024)
        )


async def _duplicate(actor: Actor, file_id: uuid.UUID, order_id: int) -> dict[str, Any] | None:
    """The answer to a retry, None for a new id; another order's or employee's id is refused."""
    found = await stored_files.owner_of(file_id)
    if found is None:
        return None
    if found.order_id != order_id or found.created_by != actor.employee_id:
        raise Conflict("This file id was already used; take the photo again")
    return {"id": str(file_id), "result": "duplicate"}


def _check_type(kind: FileKind, content: bytes) -> None:
    found = sniff(content)
    content_type = found[0] if found else ""
    if kind == FileKind.SIGNATURE and content_type != "image/png":
        raise InvalidInput("A signature must be a PNG image", field="file")
    if kind == FileKind.PHOTO and content_type not in PHOTO_TYPES:
        raise InvalidInput("A photo must be a JPEG, PNG or WebP image", field="file")


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
    found = await _duplicate(actor, file_id, order_id)
    if found is not None:
        return found, False
    check_size(len(content))
    extra: dict[str, Any] = {}
    name = "photo"
    if kind == FileKind.SIGNATURE:
        signer = signer.strip()
        if not signer:
            raise InvalidInput("Write the name of the person who signed", field="signer")
        extra = {"signature": True, "signer": signer}
        name = "signature"
        caption = caption.strip() or signer
    if content:
        _check_type(kind, content)
    try:
        await attach_to_order(actor, order_id, name, content, caption, file_id=file_id, extra=extra)
    except asyncpg.UniqueViolationError:  # the same id uploaded at the same moment
        found = await _duplicate(actor, file_id, order_id)
        if found is None:
            raise
        return found, False
    return {"id": str(file_id), "result": "applied"}, True
