"""Pull: the master's working set, or what changed in it since the cursor.

The working set: the master's visits from yesterday to a week ahead (the center's days) whose
orders the master may read, those orders, their clients, the active price list; and, whole
with every pull, the master's own schedule for the next two weeks (`my_days`) and what the
master's van holds (`van`).

Why nothing is missed. Triggers stamp every change of a mirrored record into `sync_change`
(entity, entity id, id of the writing transaction: xid). A pull runs in one REPEATABLE READ
snapshot and first takes the watermark `pg_snapshot_xmin(pg_current_snapshot())`: every
transaction with a smaller xid had ended when the snapshot was taken, so its changes are either
visible to this pull or were rolled back. The pull returns the entities whose xid is at least
the previous cursor's watermark and hands out the new one. A transaction still running during
the pull has an xid at or above the new watermark, so the next pull sends what it changed,
however long it takes to commit. Some entities are sent twice (a transaction that committed
before the snapshot but after the oldest running one began); the phone upserts, so that costs
bytes, never correctness. Comparing xids, not timestamps, keeps clocks out of it.

The cursor is opaque to the phone: base64 of {employee id, center day, watermark, access key}.
A cursor of another employee or another day (the window moved), one handed out before the
employee's permissions, field access or language changed (records already on the phone were
filtered or translated the old way), or one that does not decode, gets the whole working set
with `reset: true`.

Queries: a fixed number whatever the number of visits, orders and clients (records.py).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import Any

from server import clock
from server.actor import Actor
from server.dispatch import api as dispatch
from server.fieldaccess import hidden_fields
from server.i18n import gettext
from server.orders import api as orders
from server.staff import api as staff
from server.staff.calendar import ABSENCE_LABELS
from server.staff.permissions import Action, Section
from server.stock import api as stock
from server.sync import records
from server.sync.tables import SyncMutation
from server.timeclock import api as timeclock

DAYS_BEHIND = 1
DAYS_AHEAD = 7
MY_DAYS = 14  # the master's own schedule: today and 13 days ahead


def access_key(actor: Actor) -> str:
    """A digest of what shapes the records the actor is sent: permissions, field access,
    capabilities, language."""
    shape = [
        sorted(f"{section.value}:{action.value}" for section, action in actor.permissions),
        sorted(actor.field_permissions.items()),
        sorted(capability.value for capability in actor.capabilities),
        actor.is_admin,
        actor.language,
    ]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


def encode_cursor(employee_id: int, day: dt.date, watermark: int, access: str = "") -> str:
    """The opaque cursor handed to the phone."""
    raw = json.dumps({"e": employee_id, "d": day.isoformat(), "w": watermark, "a": access})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, employee_id: int, day: dt.date, access: str = ""
) -> int | None:
    """The watermark of a cursor this employee got today with the same access, or None (then
    the pull resets)."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["e"] != employee_id or data["d"] != day.isoformat() or data["a"] != access:
            return None
        watermark = int(data["w"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    return watermark if 0 < watermark < 2**63 else None


async def _watermark() -> int:
    rows = await SyncMutation.raw(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS w"
    )
    return int(rows[0]["w"])


CHANGES_SQL = """
SELECT entity, entity_id FROM sync_change
WHERE xid >= {} AND (
    entity IN ('visit', 'price_item') OR (entity = 'order' AND entity_id = ANY({}::bigint[])))
"""

# Clients of the working set whose card changed: the client and its contacts, its devices,
# and its orders and their visits (the card carries the client's history). Each part takes
# (watermark, client ids).
CLIENTS_SQL = """
SELECT c.entity_id AS client FROM sync_change c
WHERE c.entity = 'client' AND c.xid >= {} AND c.entity_id = ANY({}::bigint[])
UNION
SELECT d.client FROM sync_change c JOIN device d ON d.id = c.entity_id
WHERE c.entity = 'device' AND c.xid >= {} AND d.client = ANY({}::int[])
UNION
SELECT o.client FROM sync_change c JOIN service_order o ON o.id = c.entity_id
WHERE c.entity = 'order' AND c.xid >= {} AND o.client = ANY({}::int[])
UNION
SELECT o.client FROM sync_change c JOIN visit v ON v.id = c.entity_id
JOIN service_order o ON o.id = v."order"
WHERE c.entity = 'visit' AND c.xid >= {} AND o.client = ANY({}::int[])
"""


async def _changes(since: int, order_ids: set[int]) -> dict[str, set[int]]:
    """{entity: ids changed since the watermark}: every visit and price item, the set's orders."""
    rows = await SyncMutation.raw(CHANGES_SQL, since, sorted(order_ids))
    changed: dict[str, set[int]] = {"visit": set(), "order": set(), "price_item": set()}
    for row in rows:
        changed[row["entity"]].add(int(row["entity_id"]))
    return changed


async def _changed_clients(since: int, client_ids: set[int]) -> set[int]:
    if not client_ids:
        return set()
    rows = await SyncMutation.raw(CLIENTS_SQL, *[since, sorted(client_ids)] * 4)
    return {int(r["client"]) for r in rows}


price_items = orders.price_items
_statuses = orders.statuses


async def pull(actor: Actor, cursor: str | None) -> dict[str, Any]:
    """What the master's phone needs (PROTOCOL.md: Pull), read in one snapshot."""
    actor.require(Section.DISPATCH, Action.VIEW)
    actor.require(Section.ORDERS, Action.VIEW)
    today = clock.today()
    access = access_key(actor)
    since = decode_cursor(cursor, actor.employee_id, today, access)
    async with SyncMutation._meta.db.transaction():
        await SyncMutation.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        watermark = await _watermark()
        answer = await _working_set(actor, today, since)
        answer["my_days"] = await my_days(actor, today)
        answer["van"] = (
            await stock.van_stock(actor) if actor.can(Section.STOCK, Action.VIEW) else None
        )
    return {
        "cursor": encode_cursor(actor.employee_id, today, watermark, access),
        "reset": since is None,
        "server_time": dt.datetime.now(dt.UTC).isoformat(),
        "today": today.isoformat(),
        "timezone": str(clock.zone()),
        "me": {
            "id": actor.employee_id,
            "login": actor.login,
            "full_name": actor.full_name,
            "language": actor.language,
            "clock": await timeclock.state(actor.employee_id),
        },
        **answer,
    }


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


async def my_days(actor: Actor, today: dt.date) -> list[dict[str, Any]]:
    """The master's own resolved days from today, sent whole with every pull (a fortnight of
    small rows: cheaper than tracking the changes of profiles and calendars)."""
    days = await staff.own_days(actor, today, today + dt.timedelta(days=MY_DAYS - 1))
    return [
        {
            "day": d.day.isoformat(),
            "works": d.works,
            "absence": d.absence,
            "absence_name": gettext(ABSENCE_LABELS[d.absence]) if d.absence else "",
            "shift_start": _hhmm(d.shift_start),
            "shift_end": _hhmm(d.shift_end),
            "lunch_start": _hhmm(d.lunch_start),
            "lunch_end": _hhmm(d.lunch_end),
            "lunch_minutes": d.lunch_minutes,
        }
        for d in days
    ]


async def _working_set(actor: Actor, today: dt.date, since: int | None) -> dict[str, Any]:
    """The set (no watermark) or its changes since the watermark."""
    visits = await dispatch.visits_of_master(  # an order out of reach: no visit
        actor, today - dt.timedelta(days=DAYS_BEHIND), today + dt.timedelta(days=DAYS_AHEAD)
    )
    clients_of = await orders.orders_in_scope(actor, {v["order"] for v in visits})
    visit_ids = {v["id"] for v in visits}
    removed: dict[str, list[int]] = {"price_items": []}
    if since is None:
        send_visits, send_orders = visit_ids, set(clients_of)
        items, _ = await price_items()
        statuses = await _statuses()
    else:
        changed = await _changes(since, set(clients_of))
        send_orders = changed["order"] | {v["order"] for v in visits if v["id"] in changed["visit"]}
        send_visits = {
            v["id"] for v in visits if v["id"] in changed["visit"] or v["order"] in send_orders
        }
        items, removed["price_items"] = await price_items(changed["price_item"])
        statuses = []
    send_clients: set[int] = set()
    if "client" not in hidden_fields(actor, "order"):
        send_clients = {clients_of[o] for o in send_orders}
        if since is not None:
            send_clients |= await _changed_clients(since, set(clients_of.values()))
    return {
        "visits": [dispatch.visit_out(v) for v in visits if v["id"] in send_visits],
        "visit_ids": sorted(visit_ids),  # the whole set: the phone drops any visit not in it
        "orders": await records.field_orders(actor, send_orders),
        "clients": await records.field_clients(actor, send_clients),
        "price_items": items,
        "statuses": statuses,
        "removed": removed,
    }
