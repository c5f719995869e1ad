"""The live feed of an order: its changes from the audit log and people's notes, merged by time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit.tables import AuditEntry
from server.errors import InvalidInput, NotFound
from server.orders import access
from server.orders.schemas import EventCreate, EventOut, Timeline
from server.orders.tables import TimelineEvent
from server.staff.permissions import Action, Section


def _visible_to(actor: Actor, hidden_from_roles: list[str]) -> bool:
    return actor.is_admin or not (set(hidden_from_roles or []) & actor.role_codes)


def _parse_cursor(cursor: str | None) -> tuple[int, int]:
    """'a<audit id>.e<event id>' → the last ids already seen."""
    if not cursor:
        return 0, 0
    try:
        audit_part, event_part = cursor.split(".")
        return int(audit_part.removeprefix("a")), int(event_part.removeprefix("e"))
    except ValueError:
        raise InvalidInput(
            "The timeline cursor is damaged; reload the order", field="after"
        ) from None


async def timeline(actor: Actor, order_id: int, after: str | None = None) -> Timeline:
    """Events the actor may see, oldest first; with `after`, only the newer ones."""
    from server.orders.services import OrderService

    actor.require(Section.ORDERS, Action.VIEW)
    await OrderService(actor).row(order_id)
    last_audit, last_event = _parse_cursor(after)
    changes = await (
        AuditEntry.select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.action,
            AuditEntry.changes,
            AuditEntry.hidden_from_roles,
            AuditEntry.actor._.full_name.as_alias("author"),
        )
        .where(AuditEntry.scope == f"order:{order_id}", AuditEntry.id > last_audit)
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    notes = await (
        TimelineEvent.select(
            TimelineEvent.id,
            TimelineEvent.at,
            TimelineEvent.kind,
            TimelineEvent.text,
            TimelineEvent.data,
            TimelineEvent.hidden_from_roles,
            TimelineEvent.author._.full_name.as_alias("author"),
        )
        .where(TimelineEvent.order == order_id, TimelineEvent.id > last_event)
        .order_by(TimelineEvent.id)
        .output(load_json=True)
    )
    items = [
        EventOut(
            f"a{c['id']}",
            c["at"],
            c["action"],
            c["author"],
            "",
            c["changes"] or {},
            c["hidden_from_roles"] or [],
        )
        for c in changes
        if _visible_to(actor, c["hidden_from_roles"])
    ] + [
        EventOut(
            f"e{n['id']}",
            n["at"],
            n["kind"],
            n["author"],
            n["text"],
            n["data"] or {},
            n["hidden_from_roles"] or [],
        )
        for n in notes
        if _visible_to(actor, n["hidden_from_roles"])
    ]
    items.sort(key=lambda e: e.at)
    newest_change = max((c["id"] for c in changes), default=last_audit)
    newest_note = max((n["id"] for n in notes), default=last_event)
    cursor = f"a{newest_change}.e{newest_note}"
    return Timeline(items=items, cursor=cursor)


async def add_event(actor: Actor, order_id: int, data: EventCreate) -> str:
    """Write a comment, a logged call or a task; anyone who may see the order may comment."""
    from server.orders.services import OrderService

    actor.require(Section.ORDERS, Action.VIEW)
    await OrderService(actor).row(order_id)
    if not data.text.strip():
        raise InvalidInput("This field is required", field="text")
    if data.hidden_from_roles:
        access.require_edit(actor)
    payload: dict[str, Any] = {}
    if data.due_at is not None:
        payload["due_at"] = data.due_at.isoformat()
    event = TimelineEvent(
        order=order_id,
        kind=data.kind.value,
        text=data.text.strip(),
        data=payload,
        author=actor.employee_id or None,
        hidden_from_roles=sorted(set(data.hidden_from_roles)),
        at=dt.datetime.now(dt.UTC),
    )
    await event.save()
    return f"e{event.id}"


async def lock_event(
    actor: Actor, order_id: int, event_id: str, hidden_from_roles: list[str]
) -> None:
    """Choose which roles may not see an event (a change or a note)."""
    from server.orders.services import OrderService

    access.require_edit(actor)
    await OrderService(actor).row(order_id)
    roles = sorted(set(hidden_from_roles))
    number = event_id[1:]
    if not number.isdigit() or len(number) > 10:
        raise NotFound("No such event")
    if event_id.startswith("a"):
        found = await AuditEntry.exists().where(
            AuditEntry.id == int(number), AuditEntry.scope == f"order:{order_id}"
        )
        if found:
            await AuditEntry.update({AuditEntry.hidden_from_roles: roles}).where(
                AuditEntry.id == int(number)
            )
    else:
        found = await TimelineEvent.exists().where(
            TimelineEvent.id == int(number), TimelineEvent.order == order_id
        )
        if found:
            await TimelineEvent.update({TimelineEvent.hidden_from_roles: roles}).where(
                TimelineEvent.id == int(number)
            )
    if not found:
        raise NotFound("No such event")
