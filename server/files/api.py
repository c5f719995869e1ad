"""What other domains read of stored files."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import msgspec

from server.errors import InvalidInput
from server.files import store
from server.files.backend import Opened
from server.files.content import MAX_BYTES, clean_name, served_name, sniff
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


class DetachedFile(msgspec.Struct, frozen=True):
    """A file kept for another domain (a request's photo) and on no order: the domain keeping
    its id decides who may read it (the files API never serves it)."""

    id: str
    name: str
    content_type: str
    size: int


def _checked_content(content: bytes, max_bytes: int, images_only: bool) -> tuple[str, str]:
    if not content:
        raise InvalidInput("The file is empty", field="photos")
    if len(content) > max_bytes:
        raise InvalidInput(
            "The file is larger than {mb} MB", field="photos", mb=max(1, max_bytes // 1048576)
        )
    kind = sniff(content)
    if kind is None or (images_only and not kind[0].startswith("image/")):
        raise InvalidInput("Only JPEG, PNG and WebP photos can be attached", field="photos")
    return kind


async def store_detached(
    name: str, content: bytes, *, created_by: int | None, max_bytes: int, images_only: bool
) -> DetachedFile:
    """Keep a file on no order, in the caller's transaction; its type is told by the content."""
    content_type, extension = _checked_content(content, min(max_bytes, MAX_BYTES), images_only)
    key = uuid.uuid4().hex
    await store.save(key, content, field="photos")
    stored = StoredFile(
        id=uuid.uuid4(),
        order=None,
        name=clean_name(name, extension),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        created_by=created_by,
        created_at=dt.datetime.now(dt.UTC),
    )
    try:
        await stored.save()
    except BaseException:  # not recorded: its bytes must not stay behind
        await store.discard(key)
        raise
    return DetachedFile(str(stored.id), stored.name, content_type, len(content))


async def open_detached(file_id: str) -> tuple[Opened, str, str] | None:
    """(opened content, content type, name) of a stored file on no order, or None."""
    try:
        key = uuid.UUID(file_id)
    except ValueError:
        return None
    row = await StoredFile.select().where(StoredFile.id == key, StoredFile.order.is_null()).first()
    if row is None:
        return None
    opened = await store.open_stored(row["storage_key"])
    return (opened, row["content_type"], served_name(row["name"])) if opened else None
