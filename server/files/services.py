"""Attaching files to orders and reading them back, with type-by-content and size checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from server.actor import Actor
from server.acts import api as acts
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.files import store
from server.files.backend import Opened
from server.files.content import MAX_BYTES, clean_name, served_name, sniff
from server.files.tables import StoredFile
from server.orders import api as orders
from server.orders.choices import EventKind
from server.staff.permissions import Action, Section


async def attach_to_order(
    actor: Actor,
    order_id: int,
    name: str,
    content: bytes,
    caption: str = "",
    *,
    file_id: uuid.UUID | None = None,
    extra: dict[str, Any] | None = None,
    act_kind: int | None = None,
    act_visit: int | None = None,
) -> dict[str, Any]:
    """Store a photo or document and put it on the order's timeline.

    `file_id` is the id chosen by the phone for an offline capture (retries reuse it);
    `extra` goes into the timeline event's data (a signature's signer, say); `act_kind`
    marks the file as an act (for `act_visit`, or the visit whose act is awaited), which
    stops the reminders for it as the file is recorded.
    """
    actor.require(Section.ORDERS, Action.VIEW)
    await orders.order_row(actor, order_id)
    act = await acts.check_act(order_id, act_kind, act_visit) if act_kind is not None else None
    if not content:
        raise InvalidInput("The file is empty", field="file")
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            "The file is larger than {mb} MB", field="file", mb=MAX_BYTES // (1024 * 1024)
        )
    kind = sniff(content)
    if kind is None:
        raise InvalidInput(
            "Only JPEG, PNG, WebP photos and PDF documents can be attached", field="file"
        )
    content_type, extension = kind
    key = uuid.uuid4().hex
    await store.save(key, content)
    now = dt.datetime.now(dt.UTC)
    stored = StoredFile(
        id=file_id or uuid.uuid4(),
        order=order_id,
        name=clean_name(name, extension),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        created_by=actor.employee_id or None,
        created_at=now,
        act_kind=act.kind_id if act else None,
        act_visit=act.visit_id if act else None,
    )
    if act is not None:
        extra = {**(extra or {}), "act": act.kind_name}
    try:
        await _record_attachment(actor, stored, caption, extra or {})
    except BaseException:  # not recorded (or cancelled): its bytes must not stay behind
        await store.discard(key)
        raise
    return file_out(stored)


def file_out(stored: StoredFile) -> dict[str, Any]:
    """A stored file as the API answers it."""
    return {
        "id": str(stored.id),
        "name": stored.name,
        "content_type": stored.content_type,
        "size": stored.size,
        "act_kind": stored.act_kind,
        "act_visit": stored.act_visit,
    }


async def _record_attachment(
    actor: Actor, stored: StoredFile, caption: str, extra: dict[str, Any]
) -> None:
    order_id = stored.order
    async with StoredFile._meta.db.transaction():
        await stored.save()
        if stored.act_kind is not None:
            await acts.act_attached(order_id, stored.act_kind, stored.act_visit)
        await orders.write_note(
            actor,
            order_id,
            EventKind.ATTACHMENT.value,
            caption.strip()[:500],
            {
                "file_id": str(stored.id),
                "name": stored.name,
                "content_type": stored.content_type,
                "size": stored.size,
                **extra,
            },
        )
        await audit.record(
            actor,
            "order",
            order_id,
            "attachment",
            {"file": [None, stored.name]},
            scope=f"order:{order_id}",
        )


async def open_file(actor: Actor, file_id: str) -> tuple[Opened, str, str]:
    """(opened content, content type, name) of a file the actor may see (its order is in
    their scope)."""
    actor.require(Section.ORDERS, Action.VIEW)
    try:
        key = uuid.UUID(file_id)
    except ValueError:
        raise NotFound("No such file") from None
    row = await StoredFile.select().where(StoredFile.id == key).first()
    if row is None or row["order"] is None:  # a detached file: served by the domain keeping it
        raise NotFound("No such file")
    try:
        await orders.order_row(actor, row["order"])
    except NotFound:
        raise NotFound("No such file") from None
    opened = await store.open_stored(row["storage_key"])
    if opened is None:
        raise NotFound("No such file")
    return opened, row["content_type"], served_name(row["name"])


async def mark_act(
    actor: Actor, file_id: str, act_kind: int | None, act_visit: int | None
) -> dict[str, Any]:
    """Mark a file of an order the actor may edit as an act (or as no act: `act_kind` None);
    an act answers its visit's request at once."""
    actor.require(Section.ORDERS, Action.EDIT)
    try:
        key = uuid.UUID(file_id)
    except ValueError:
        raise NotFound("No such file") from None
    row = await StoredFile.objects().where(StoredFile.id == key).first()
    if row is None or row.order is None:
        raise NotFound("No such file")
    try:
        await orders.order_row(actor, row.order)
    except NotFound:
        raise NotFound("No such file") from None
    if act_kind is None and act_visit is not None:
        raise InvalidInput("Choose an act kind from the list", field="act_kind")
    act = await acts.check_act(row.order, act_kind, act_visit) if act_kind is not None else None
    before = (row.act_kind, row.act_visit)
    row.act_kind = act.kind_id if act else None
    row.act_visit = act.visit_id if act else None
    if (row.act_kind, row.act_visit) == before:
        return file_out(row)
    async with StoredFile._meta.db.transaction():
        await row.save([StoredFile.act_kind, StoredFile.act_visit])
        if act is not None:
            await acts.act_attached(row.order, act.kind_id, act.visit_id)
        await audit.record(
            actor,
            "order",
            row.order,
            "attachment_act",
            {"act_kind": [before[0], row.act_kind], "act_visit": [before[1], row.act_visit]},
            scope=f"order:{row.order}",
        )
    return file_out(row)
