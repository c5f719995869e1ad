"""The live feed of an order: its changes from the audit log and people's notes, merged by time.

One builder serves the order card, the API and the phone's pull. Events locked from one of the
caller's roles are left out; in the changes that remain, fields the caller may not read are
dropped (an event left with none is dropped too), and a line's summary loses its money when
the order's money is hidden. People and service centers named by id in a change are shown by
name (read through the staff and partners APIs). An attachment is one event: the note with its
file; the audit entry recorded beside it is left out (it would repeat the file's name, and
outlive the note's lock).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from server import formats
from server.actor import Actor
from server.audit import api as audit_log
from server.errors import Forbidden, InvalidInput, NotFound
from server.fieldaccess import hidden_fields, hidden_line_fields
from server.i18n import Msg
from server.orders import access
from server.orders.schemas import EventCreate, EventOut, Timeline
from server.orders.tables import TimelineEvent
from server.partners import api as partners
from server.staff import api as staff
from server.staff.permissions import SUPERVISING, Action, Capability, Section

# Audit change keys that name an order field by another name.
CHANGE_FIELDS = {
    "manager": "manager_id",
    "technician": "technician_id",
    "expert": "expert_id",
    "service_center": "service_center_id",
    "refunded": "paid",
}
# Notes whose data holds order fields ({field: [mine, server]} or [before, after]); one left
# with none the reader may see is left out.
FIELD_NOTES = frozenset({"sync_conflict", "responsible"})
# The change of a line: «Name × 2 = 500.00 ₽» added or removed.
LINE_CHANGE = "line"
# Audit actions told on the timeline by a note of their own.
TOLD_BY_NOTES = frozenset({"attachment"})
# Change keys whose values may be employee ids, and those naming a service center.
EMPLOYEE_KEYS = frozenset({"manager", "technician", "expert", "master"}) | {
    f"{k}_id" for k in ("manager", "technician", "expert", "master")
}
CENTER_KEYS = frozenset({"service_center", "service_center_id"})


def _roles_filter(actor: Actor) -> list[str] | None:
    return None if actor.is_admin else sorted(actor.role_codes)


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


def readable_changes(actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes of an event without the fields the actor may not read."""
    hidden = hidden_fields(actor, "order")
    money_hidden = "total" in hidden_line_fields(actor)
    shown: dict[str, Any] = {}
    for key, change in changes.items():
        if CHANGE_FIELDS.get(key, key) in hidden:
            continue
        if key == LINE_CHANGE and money_hidden and isinstance(change, list):
            change = [_without_money(v) for v in change]
        if isinstance(change, list):
            change = [_formatted(key, v) for v in change]
        shown[key] = change
    return shown


# «Name × 2.000 = 500.00 ₽» of a line, as audit keeps it.
LINE_SUMMARY = re.compile(r"^(?P<name>.*) × (?P<quantity>[0-9.]+)(?: = (?P<total>[0-9.]+) ₽)?$")
# A payment's amounts by method: «1500.00 ₽ (cash), 1000.00 ₽ (card)».
PAID_AMOUNT = re.compile(r"(?P<amount>[0-9]+\.[0-9]{2}) ₽")
PAYMENT_KEYS = frozenset({"paid", "prepayment", "refunded"})


def _formatted(key: str, value: Any) -> Any:
    """A stored line or payment summary with its numbers as pages show them (`1 200,00 ₽`)."""
    if not isinstance(value, str):
        return value
    if key == LINE_CHANGE and (line := LINE_SUMMARY.match(value)):
        text = f"{line['name']} × {formats.number(line['quantity'])}"
        return f"{text} = {formats.money(line['total'])}" if line["total"] else text
    if key in PAYMENT_KEYS:
        return PAID_AMOUNT.sub(lambda m: formats.money(m["amount"]), value)
    return value


def _without_money(summary: Any) -> Any:
    """«Name × 2 = 500.00 ₽» → «Name × 2»."""
    if not isinstance(summary, str):
        return summary
    return summary.rsplit(" = ", 1)[0]


# The newest notes of each order after an id, leaving out those hidden from the caller's roles
# ($2 NULL for those who see everything); LIMIT NULL means all of them.
NOTES_SQL = """
SELECT o.id AS order_id, t.id, t.at, t.kind, t.text, t.data, t.hidden_from_roles,
       e.full_name AS author
FROM unnest({}::int[]) AS o(id)
CROSS JOIN LATERAL (
    SELECT * FROM timeline_event
    WHERE "order" = o.id AND timeline_event.id > {}
      AND ({}::varchar[] IS NULL OR NOT hidden_from_roles && {}::varchar[])
    ORDER BY at DESC, id DESC LIMIT {}
) t
LEFT JOIN employee e ON e.id = t.author
"""


async def timelines(
    actor: Actor,
    order_ids: list[int],
    *,
    after: tuple[int, int] = (0, 0),
    newest: int | None = None,
) -> dict[int, list[EventOut]]:
    """{order id: events the actor may see, oldest first} in four queries at most, for orders
    the caller has already checked are in the actor's scope. With `newest`, only that many of
    each order's latest events."""
    roles = _roles_filter(actor)
    found: dict[int, list[tuple[Any, ...]]] = {i: [] for i in order_ids}
    if not order_ids:
        return {}
    scopes = {f"order:{i}": i for i in order_ids}
    for change in await audit_log.scoped_changes(
        list(scopes), after=after[0], newest=newest, hidden_for=roles
    ):
        if change.action in TOLD_BY_NOTES:
            continue
        changes = readable_changes(actor, change.changes)
        if not changes and change.changes:
            continue
        event = EventOut(
            f"a{change.id}", change.at, change.action, change.author, "", changes,
            change.hidden_from_roles,
        )  # fmt: skip
        found[scopes[change.scope]].append((change.at, "a", change.id, event))
    rows = await TimelineEvent.raw(NOTES_SQL, order_ids, after[1], roles, roles, newest)
    for row in rows:
        data = row["data"]
        if isinstance(data, str):
            data = json.loads(data)
        if row["kind"] in FIELD_NOTES:
            shown = readable_changes(actor, data or {})
            if data and not shown:
                continue
            data = shown
        event = EventOut(
            f"e{row['id']}", row["at"], row["kind"], row["author"], row["text"], data or {},
            list(row["hidden_from_roles"] or []),
        )  # fmt: skip
        found[row["order_id"]].append((row["at"], "e", row["id"], event))
    await _name_people([i[3] for items in found.values() for i in items])
    result: dict[int, list[EventOut]] = {}
    for order_id, items in found.items():
        items.sort(key=lambda i: (i[0], i[1], i[2]))  # changes before notes at the same moment
        events = [i[3] for i in items]
        result[order_id] = events[-newest:] if newest else events
    return result


def _ids_named(events: list[EventOut], keys: frozenset[str]) -> set[int]:
    return {
        value
        for event in events
        for key, change in event.changes.items()
        if key in keys and isinstance(change, list)
        for value in change
        if isinstance(value, int) and not isinstance(value, bool)
    }


async def _name_people(events: list[EventOut]) -> None:
    """Employee and service center ids in the changes → their names (two queries at most);
    an id nobody has any more stays as «#id»."""
    people = await staff.names(_ids_named(events, EMPLOYEE_KEYS))
    centers = await partners.names(_ids_named(events, CENTER_KEYS))
    for event in events:
        for key, change in event.changes.items():
            names = people if key in EMPLOYEE_KEYS else centers if key in CENTER_KEYS else None
            if names is None or not isinstance(change, list):
                continue
            event.changes[key] = [
                names.get(v, f"#{v}") if isinstance(v, int) and not isinstance(v, bool) else v
                for v in change
            ]


async def timeline(actor: Actor, order_id: int, after: str | None = None) -> Timeline:
    """Events the actor may see, oldest first; with `after`, only the newer ones."""
    actor.require(Section.ORDERS, Action.VIEW)
    await access.require_visible(actor, order_id)
    last_audit, last_event = _parse_cursor(after)
    events = (await timelines(actor, [order_id], after=(last_audit, last_event)))[order_id]
    newest_change = max((int(e.id[1:]) for e in events if e.id[0] == "a"), default=last_audit)
    newest_note = max((int(e.id[1:]) for e in events if e.id[0] == "e"), default=last_event)
    return Timeline(items=events, cursor=f"a{newest_change}.e{newest_note}")


def require_locking(actor: Actor) -> None:
    """Hiding events from roles needs its own capability."""
    if not actor.has(Capability.LOCK_EVENTS):
        raise Forbidden("You may not hide timeline events from roles", field="hidden_from_roles")


async def add_event(actor: Actor, order_id: int, data: EventCreate) -> str:
    """Write a comment, a logged call or a task; anyone who may see the order may comment."""
    actor.require(Section.ORDERS, Action.VIEW)
    await access.require_visible(actor, order_id)
    if not data.text.strip():
        raise InvalidInput("This field is required", field="text")
    if data.hidden_from_roles:
        require_locking(actor)
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
    """Choose which roles may not see an event (a change or a note).

    A change (an audit entry) is never hidden from the roles that oversee orders: those that
    see all orders or may lock events themselves.
    """
    require_locking(actor)
    await access.require_visible(actor, order_id)
    roles = sorted(set(hidden_from_roles))
    number = event_id[1:]
    if not number.isdigit() or len(number) > 10:
        raise NotFound("No such event")
    if event_id.startswith("a"):
        if not await audit_log.change_exists(f"order:{order_id}", int(number)):
            raise NotFound("No such event")
        supervising = sorted(set(roles) & await staff.roles_with(SUPERVISING))
        if supervising:
            raise Forbidden(
                "A change cannot be hidden from «{role}»: that role oversees orders",
                field="hidden_from_roles",
                role=Msg(supervising[0]),
            )
        await audit_log.hide_change(int(number), roles)
        return
    updated = (
        await TimelineEvent.update({TimelineEvent.hidden_from_roles: roles})
        .where(TimelineEvent.id == int(number), TimelineEvent.order == order_id)
        .returning(TimelineEvent.id)
    )
    if not updated:
        raise NotFound("No such event")


async def write_note(
    actor: Actor, order_id: int, kind: str, text: str, data: dict[str, Any]
) -> None:
    """Put an event written by the product (an attachment, a sync conflict) on the timeline of
    an order the caller has already checked."""
    await TimelineEvent(
        order=order_id,
        kind=kind,
        text=text,
        data=data,
        author=actor.employee_id or None,
        at=dt.datetime.now(dt.UTC),
    ).save()
