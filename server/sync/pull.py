"""Pull: the master's working set, or what changed in it since the cursor.

Why nothing is missed. Triggers stamp every change of a mirrored record into `sync_change`
with the id of the writing transaction (xid). A pull first takes the watermark
`pg_snapshot_xmin(pg_current_snapshot())`: every transaction with a smaller xid has ended, so
its changes are either visible to this pull or rolled back. The pull returns the entities whose
xid is at least the previous watermark, and hands out the new one. A transaction still running
during the pull has an xid at or above the new watermark, so the next pull sends its changes.
Some entities are sent twice; the phone upserts, so that costs bytes, never correctness.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

import msgspec

from server.actor import Actor
from server.dispatch import services as dispatch
from server.i18n import gettext
from server.orders.tables import Order
from server.staff.permissions import Action, Section

DAYS_BEHIND = 1
DAYS_AHEAD = 7
TIMELINE_EVENTS = 50
HISTORY_ORDERS = 10

ENTITIES = ("visits", "price_items")


def encode_cursor(employee_id: int, day: dt.date, watermark: int) -> str:
    """The opaque cursor handed to the phone."""
    raw = json.dumps({"e": employee_id, "d": day.isoformat(), "w": watermark})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, employee_id: int, day: dt.date) -> int | None:
    """The watermark of a cursor this employee got today, or None (then the pull resets)."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["e"] != employee_id or data["d"] != day.isoformat():
            return None
        watermark = int(data["w"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    return watermark if watermark > 0 else None


async def _watermark() -> int:
    rows = await Order.raw("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS w")
    return int(rows[0]["w"])


async def _changed_since(watermark: int) -> dict[str, set[int]]:
    rows = await Order.raw("SELECT entity, entity_id FROM sync_change WHERE xid >= {}", watermark)
    changed: dict[str, set[int]] = {}
    for row in rows:
        changed.setdefault(row["entity"], set()).add(int(row["entity_id"]))
    return changed


def _event_summary(event: dict[str, Any]) -> str:
    parts = []
    for name, change in (event.get("changes") or {}).items():
        if not isinstance(change, list) or len(change) != 2:
            continue
        old, new = (gettext(v) if isinstance(v, str) else ("—" if v is None else v) for v in change)
        parts.append(f"{gettext('field:' + name)}: {old} → {new}")
    return "; ".join(parts)


async def field_order(actor: Actor, order_id: int) -> dict[str, Any]:
    """An order as the field app keeps it: the API's order plus payments and timeline."""
    from server.orders.services import OrderService
    from server.orders.timeline import timeline

    order = msgspec.to_builtins(await OrderService(actor).get_order(order_id))
    events = (await timeline(actor, order_id)).items[-TIMELINE_EVENTS:]
    order["timeline"] = [
        {
            "id": e.id,
            "kind": e.kind,
            "title": gettext("event:" + e.kind),
            "at": e.at.isoformat(),
            "author": e.author,
            "text": e.text,
            "summary": _event_summary({"changes": e.changes}) if e.kind != "attachment" else "",
            "file_id": e.changes.get("file_id") if e.kind == "attachment" else None,
        }
        for e in reversed(events)
    ]
    return dict(order)


async def _field_client(actor: Actor, client_id: int) -> dict[str, Any]:
    from server.clients.services import ClientService

    service = ClientService(actor)
    card = msgspec.to_builtins(await service.get_client(client_id))
    history = await service.history(client_id)
    orders = msgspec.to_builtins(history["orders"][:HISTORY_ORDERS])
    visits: dict[int, list[dict[str, Any]]] = {}
    for row in await dispatch.visits_of_orders([o["id"] for o in orders]):
        visits.setdefault(row["order"], []).append(
            {"day": row["day"].isoformat(), "status": row["status"], "master": row["master_name"],
             "fail_reason": row["fail_reason"]}
        )  # fmt: skip
    card["history"] = [{**o, "visits": visits.get(o["id"], [])} for o in orders]
    keep = ("id", "kind", "name", "phones", "emails", "addresses", "comment", "devices", "history")
    return {k: card[k] for k in keep if k in card}


async def _price_items(only: set[int] | None = None) -> tuple[list[dict[str, Any]], list[int]]:
    from server.orders.tables import PriceItem

    query = PriceItem.select(
        PriceItem.id,
        PriceItem.kind,
        PriceItem.code,
        PriceItem.name,
        PriceItem.price,
        PriceItem.unit,
        PriceItem.is_active,
    ).order_by(PriceItem.kind, PriceItem.name)
    if only is not None:
        if not only:
            return [], []
        query = query.where(PriceItem.id.is_in(list(only)))
    rows = await query
    active = [{**r, "price": f"{r['price']:.2f}"} for r in rows if r["is_active"]]
    for row in active:
        del row["is_active"]
    gone = [r["id"] for r in rows if not r["is_active"]]
    return active, gone


async def _statuses() -> list[dict[str, Any]]:
    from server.orders.tables import OrderStatus

    rows: list[dict[str, Any]] = await OrderStatus.select(
        OrderStatus.code, OrderStatus.name, OrderStatus.color, OrderStatus.group
    ).order_by(OrderStatus.sort)
    return [{**r, "name": gettext(r["name"])} for r in rows]


async def pull(actor: Actor, cursor: str | None) -> dict[str, Any]:
    """What the master's phone needs (PROTOCOL.md: Pull)."""
    actor.require(Section.DISPATCH, Action.VIEW)
    actor.require(Section.ORDERS, Action.VIEW)
    today = dispatch.today()
    since = decode_cursor(cursor, actor.employee_id, today)
    watermark = await _watermark()
    visits = await dispatch.visits_for_master(
        actor.employee_id,
        today - dt.timedelta(days=DAYS_BEHIND),
        today + dt.timedelta(days=DAYS_AHEAD),
    )
    visit_ids = {v["id"] for v in visits}
    order_ids = {v["order"] for v in visits}
    removed: dict[str, list[int]] = {name: [] for name in ENTITIES}
    if since is None:
        send_visits, send_orders = visit_ids, order_ids
        price_items, _ = await _price_items()
        statuses = await _statuses()
    else:
        changed = await _changed_since(since)
        send_visits = visit_ids & changed.get("visit", set())
        send_orders = order_ids & changed.get("order", set())
        removed["visits"] = sorted(changed.get("visit", set()) - visit_ids)
        price_items, removed["price_items"] = await _price_items(changed.get("price_item", set()))
        statuses = []
    orders = [await field_order(actor, order_id) for order_id in sorted(send_orders)]
    client_ids = {o["client"]["id"] for o in orders if o.get("client")}
    if since is not None:
        changed_clients, changed_devices = (
            changed.get("client", set()),
            changed.get("device", set()),
        )
        if changed_clients or changed_devices:
            from server.orders.services import clients_of_orders

            for client_id, device_id in await clients_of_orders(sorted(order_ids)):
                if client_id in changed_clients or device_id in changed_devices:
                    client_ids.add(client_id)
    clients = [await _field_client(actor, client_id) for client_id in sorted(client_ids)]
    return {
        "cursor": encode_cursor(actor.employee_id, today, watermark),
        "reset": since is None,
        "server_time": dt.datetime.now(dt.UTC).isoformat(),
        "today": today.isoformat(),
        "timezone": str(dispatch.zone()),
        "me": {
            "id": actor.employee_id,
            "login": actor.login,
            "full_name": actor.full_name,
            "language": actor.language,
        },
        "visits": [dispatch.visit_out(v) for v in visits if v["id"] in send_visits],
        "orders": orders,
        "clients": clients,
        "price_items": price_items,
        "statuses": statuses,
        "removed": removed,
    }
