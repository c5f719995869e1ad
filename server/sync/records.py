"""The records the phone keeps (PROTOCOL.md: FieldOrder, FieldClient), read in batches.

Each function costs a fixed number of queries however many records it reads, so a pull costs
the same for a master with two visits or twenty. The shapes are those of the online API (the
same serializers, the same scoping, field access and hidden timeline events).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.dispatch import services as dispatch
from server.i18n import gettext
from server.orders import access, workflow
from server.orders.serialize import order_columns, order_out
from server.orders.tables import Order
from server.staff.permissions import Action, Section

TIMELINE_EVENTS = 50
HISTORY_ORDERS = 10
CLIENT_FIELDS = ("id", "kind", "name", "phones", "emails", "addresses", "comment", "devices")


async def orders_in_scope(actor: Actor, order_ids: set[int]) -> dict[int, int]:
    """{order id: client id} of those of the orders the actor may read (one query)."""
    if not order_ids or not actor.can(Section.ORDERS, Action.VIEW):
        return {}
    query = Order.select(Order.id, Order.client).where(Order.id.is_in(sorted(order_ids)))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    return {r["id"]: r["client"] for r in await query}


async def visits_by_id(actor: Actor, visit_ids: set[int]) -> dict[int, dict[str, Any]]:
    """{id: visit} of those of the visits the actor may see (theirs, or all for planners)."""
    from server.dispatch.tables import Visit

    if not visit_ids or not actor.can(Section.DISPATCH, Action.VIEW):
        return {}
    query = Visit.select().where(Visit.id.is_in(sorted(visit_ids)))
    if not dispatch.sees_all(actor):
        query = query.where(Visit.master == actor.employee_id)
    return {r["id"]: dispatch.visit_out(r) for r in await query}


async def field_orders(actor: Actor, order_ids: set[int]) -> list[dict[str, Any]]:
    """The orders as the phone keeps them, by id; orders out of the actor's scope are left out.

    Five queries: orders, lines, allowed moves, and the two halves of the timeline.
    """
    if not order_ids or not actor.can(Section.ORDERS, Action.VIEW):
        return []
    query = Order.select(*order_columns()).where(Order.id.is_in(sorted(order_ids)))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    rows = await query.order_by(Order.id).output(load_json=True)
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    lines = await _lines(ids)
    moves = await workflow.next_statuses_by_state(
        actor, {(r["order_type"], r["status"]) for r in rows}
    )
    events = await _timelines(actor, ids)
    now = dt.datetime.now(dt.UTC)
    orders = []
    for row in rows:
        out = order_out(
            actor,
            row,
            lines=lines.get(row["id"], []),
            next_statuses=moves.get((row["order_type"], row["status"]), []),
            now=now,
        )
        order: dict[str, Any] = msgspec.to_builtins(out)
        order["timeline"] = events.get(row["id"], [])
        orders.append(order)
    return orders


async def _lines(order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    from server.orders.tables import OrderLine

    rows = await OrderLine.select().where(OrderLine.order.is_in(order_ids)).order_by(OrderLine.id)
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["order"], []).append(row)
    return found


# The newest events of each order, from the audit log (changes) and from notes, leaving out
# those hidden from the caller's roles (`$2` is NULL for those who see everything).
AUDIT_SQL = """
SELECT o.id AS order_id, a.id, a.at, a.action AS kind, a.changes, '' AS text,
       e.full_name AS author
FROM unnest({}::int[]) AS o(id)
CROSS JOIN LATERAL (
    SELECT * FROM audit_log
    WHERE scope = 'order:' || o.id
      AND ({}::varchar[] IS NULL OR NOT hidden_from_roles && {}::varchar[])
    ORDER BY at DESC, id DESC LIMIT {}
) a
LEFT JOIN employee e ON e.id = a.actor
"""
NOTES_SQL = """
SELECT o.id AS order_id, t.id, t.at, t.kind, t.data AS changes, t.text,
       e.full_name AS author
FROM unnest({}::int[]) AS o(id)
CROSS JOIN LATERAL (
    SELECT * FROM timeline_event
    WHERE "order" = o.id
      AND ({}::varchar[] IS NULL OR NOT hidden_from_roles && {}::varchar[])
    ORDER BY at DESC, id DESC LIMIT {}
) t
LEFT JOIN employee e ON e.id = t.author
"""


async def _timelines(actor: Actor, order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{order id: its newest events, newest first}, as server/orders/timeline.py shows them."""
    import json

    roles = None if actor.is_admin else sorted(actor.role_codes)
    merged: dict[int, list[tuple[Any, ...]]] = {i: [] for i in order_ids}
    for prefix, sql in (("a", AUDIT_SQL), ("e", NOTES_SQL)):
        rows = await Order.raw(sql, order_ids, roles, roles, TIMELINE_EVENTS)
        for row in rows:
            changes = row["changes"]
            if isinstance(changes, str):
                changes = json.loads(changes)
            merged[row["order_id"]].append((row["at"], prefix, row["id"], row, changes or {}))
    found: dict[int, list[dict[str, Any]]] = {}
    for order_id, items in merged.items():
        # oldest first, changes before notes at the same moment (as the online timeline)
        items.sort(key=lambda i: (i[0], i[1], i[2]))
        found[order_id] = [
            timeline_item(f"{prefix}{id_}", row["kind"], at, row["author"], row["text"], changes)
            for at, prefix, id_, row, changes in reversed(items[-TIMELINE_EVENTS:])
        ]
    return found


def timeline_item(
    event_id: str, kind: str, at: dt.datetime, author: str | None, text: str, changes: Any
) -> dict[str, Any]:
    """One timeline event as the phone shows it (translated, with a one-line summary)."""
    attachment = kind == "attachment" and "file_id" in changes  # the note, not its audit line
    return {
        "id": event_id,
        "kind": kind,
        "title": gettext("event:" + kind),
        "at": at.isoformat(),
        "author": author,
        "text": text,
        "summary": "" if attachment else event_summary(changes),
        "file_id": changes.get("file_id") if attachment else None,
    }


def event_summary(changes: dict[str, Any]) -> str:
    """«Field: old → new; …» of an event's changes."""
    parts = []
    for name, change in changes.items():
        if not isinstance(change, list) or len(change) != 2:
            continue
        old, new = (gettext(v) if isinstance(v, str) else ("—" if v is None else v) for v in change)
        parts.append(f"{gettext('field:' + name)}: {old} → {new}")
    return "; ".join(parts)


async def field_clients(actor: Actor, client_ids: set[int]) -> list[dict[str, Any]]:
    """The clients as the phone keeps them: contacts, devices, their last orders with visits.

    Seven queries whatever the number of clients.
    """
    from server.clients import contacts
    from server.clients.devices import DeviceService
    from server.clients.services import ClientService
    from server.clients.tables import Client

    if not client_ids or not actor.can(Section.CLIENTS, Action.VIEW):
        return []
    ids = sorted(client_ids)
    rows = (
        await Client.select().where(Client.id.is_in(ids)).order_by(Client.id).output(load_json=True)
    )
    found_contacts = await contacts.of_clients([r["id"] for r in rows])
    devices = await _devices(DeviceService(actor), ids)
    history = await _history(ids)
    clients = []
    service = ClientService(actor)
    for row in rows:
        extra = {**found_contacts[row["id"]], "devices": devices.get(row["id"], [])}
        card = service.out(row, extra)
        client = {k: card[k] for k in CLIENT_FIELDS if k in card}
        client["history"] = history.get(row["id"], [])
        clients.append(client)
    return clients


async def _devices(service: Any, client_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    from server.clients.tables import Device

    rows = await (
        Device.select(
            *Device.all_columns(),
            Device.device_type._.name.as_alias("type_name"),
            Device.brand._.name.as_alias("brand_name"),
            Device.model._.name.as_alias("model_dir"),
        )
        .where(Device.client.is_in(client_ids))
        .order_by(Device.id)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["client"], []).append(service.out(row))
    return found


HISTORY_SQL = """
SELECT h.* FROM unnest({}::int[]) AS c(id)
CROSS JOIN LATERAL (
    SELECT o.id, o.client, o.number, s.name AS status_name, s.color AS status_color,
           s.group AS status_group, t.name AS type_name, o.device, o.declared_fault,
           o.created_at, o.closed_at, o.total, o.amount_due
    FROM service_order o
    JOIN order_status s ON s.id = o.status
    JOIN order_type t ON t.id = o.order_type
    WHERE o.client = c.id
    ORDER BY o.created_at DESC, o.id DESC LIMIT {}
) h
"""


async def _history(client_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{client id: their last orders, newest first, each with its visits} in two queries."""
    rows = await Order.raw(HISTORY_SQL, client_ids, HISTORY_ORDERS)
    visits: dict[int, list[dict[str, Any]]] = {}
    for visit in await dispatch.visits_of_orders([r["id"] for r in rows]):
        visits.setdefault(visit["order"], []).append(
            {"day": visit["day"].isoformat(), "status": visit["status"],
             "master": visit["master_name"], "fail_reason": visit["fail_reason"]}
        )  # fmt: skip
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        client_id = row.pop("client")
        order = msgspec.to_builtins(row)
        order["status_name"] = gettext(row["status_name"])
        order["type_name"] = gettext(row["type_name"])
        order["visits"] = visits.get(row["id"], [])
        found.setdefault(client_id, []).append(order)
    return found
