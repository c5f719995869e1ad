"""Changes to many orders at once, for a dispatcher's accepted plan: the same checks and audit
rows as one order at a time (`OrderService.update_order`, `workflow.change_status`), in a
fixed number of statements whatever the number of orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import NotFound
from server.fieldaccess import check_writable
from server.orders import access, announce, workflow
from server.orders.tables import Order, OrderStatus
from server.staff import api as staff
from server.staff.permissions import Action, Section


async def _rows(actor: Actor, order_ids: list[int]) -> dict[int, dict[str, Any]]:
    query = (
        Order.select(
            Order.id,
            Order.technician,
            Order.created_by,
            Order.expert,
            Order.source_org,
            Order.service_center,
            Order.order_type,
            Order.status,
            Order.version,
            Order.status._.code.as_alias("status_code"),
            Order.status._.name.as_alias("status_name"),
        )
        .where(Order.id.is_in(sorted(order_ids) or [0]))
        .lock_rows("UPDATE", of=(Order,))
    )
    rows = {r["id"]: r for r in await query}
    for order_id in order_ids:
        if order_id not in rows or not access.in_scope(actor, rows[order_id]):
            raise NotFound("No order with id {id}", id=order_id)
    return rows


OVERRIDE_TECHNICIAN = """
UPDATE service_order SET technician = {}, version = version + 1, updated_at = {},
  assignment = coalesce(assignment, jsonb_build_object())
    || jsonb_build_object('technician', jsonb_build_object('by', {}::int, 'at', {}::text))
WHERE id = ANY({}::int[])
"""


async def assign_technicians(actor: Actor, technicians: Mapping[int, int]) -> None:
    """Make each employee the technician of the order (an edit of each order by the actor)."""
    actor.require(Section.ORDERS, Action.EDIT)
    rows = await _rows(actor, list(technicians))
    changed = {o: t for o, t in technicians.items() if rows[o]["technician"] != t}
    if not changed:
        return
    check_writable(actor, "order", ["technician_id"])
    names = await staff.names(
        {*changed.values(), *(rows[o]["technician"] for o in changed)} - {None}
    )
    now = dt.datetime.now(dt.UTC)
    for technician in sorted(set(changed.values())):
        ids = sorted(o for o, t in changed.items() if t == technician)
        # a person's choice: it overrides whatever rule set the technician (`assignment`)
        await Order.raw(
            OVERRIDE_TECHNICIAN, technician, now, actor.employee_id or None, now.isoformat(), ids
        )
    await audit.record_many(
        actor,
        [
            (
                "order",
                order_id,
                "update",
                {"technician": [names.get(rows[order_id]["technician"]), names.get(technician)]},
                f"order:{order_id}",
            )
            for order_id, technician in sorted(changed.items())
        ],
    )


async def move_new_orders_to(actor: Actor, order_ids: list[int], status_code: str) -> None:
    """Move those of the orders still in status "new" on to the status, where their workflow
    lets the actor (the rules of the target status hold: e.g. a technician is assigned)."""
    rows = await _rows(actor, order_ids)
    fresh = {i: r for i, r in rows.items() if r["status_code"] == "new"}
    if not fresh or not actor.can(Section.ORDERS, Action.EDIT):
        return
    target = await OrderStatus.select().where(OrderStatus.code == status_code).first()
    if target is None:
        return
    moves = await workflow.next_statuses_by_state(
        actor, {(r["order_type"], r["status"]) for r in fresh.values()}
    )
    allowed = [
        i
        for i, r in fresh.items()
        if any(s["code"] == status_code for s in moves.get((r["order_type"], r["status"]), []))
        and workflow.simple_rules_hold(target, r)
    ]
    if not allowed:
        return
    now = dt.datetime.now(dt.UTC)
    await Order.update(
        {Order.status: target["id"], Order.version: Order.version + 1, Order.updated_at: now}
    ).where(Order.id.is_in(sorted(allowed)))
    await audit.record_many(
        actor,
        [
            (
                "order",
                i,
                "status",
                {"status": [fresh[i]["status_name"], target["name"]]},
                f"order:{i}",
            )
            for i in sorted(allowed)
        ],
    )
    await announce.status_entered([(i, status_code, fresh[i]["version"] + 1) for i in allowed])
