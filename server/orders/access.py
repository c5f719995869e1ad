"""Who may see and change which orders: row scoping and field access in one place."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Or

from server.actor import Actor
from server.errors import Forbidden, NotFound
from server.orders.serialize import order_columns
from server.orders.tables import Order
from server.staff.permissions import Action, Capability, Section


def scope_condition(actor: Actor) -> Any | None:
    """The WHERE condition limiting orders to the actor's own, or None for all orders.

    Without the all-orders capability one sees the orders one is the technician or the
    technical expert of, and those one created (a dealer's requests); a partner's employee
    also those the partner filed (`source_org`) or repairs (`service_center`).
    """
    if actor.has(Capability.ALL_ORDERS):
        return None
    own = Or(
        Or(Order.technician == actor.employee_id, Order.expert == actor.employee_id),
        Order.created_by == actor.employee_id,
    )
    org = actor.organization_id
    if org is None:
        return own
    return Or(own, Or(Order.source_org == org, Order.service_center == org))


def in_scope(actor: Actor, row: dict[str, Any]) -> bool:
    """True when the order row is within the actor's scope."""
    if actor.has(Capability.ALL_ORDERS):
        return True
    if actor.employee_id in (row.get("technician"), row.get("expert"), row.get("created_by")):
        return True
    org = actor.organization_id
    return org is not None and org in (row.get("source_org"), row.get("service_center"))


def require_in_scope(actor: Actor, row: dict[str, Any] | None, order_id: int) -> dict[str, Any]:
    """The row, or 404 for a missing order and for someone else's (do not reveal it exists)."""
    if row is None or not in_scope(actor, row):
        raise NotFound("No order with id {id}", id=order_id)
    return row


async def order_row(actor: Actor, order_id: int, *, for_update: bool = False) -> dict[str, Any]:
    """The order row with its joined names, or 404 (also for orders out of scope).

    The one way the orders domain reads an order it is asked about; `for_update` locks the
    row until the surrounding transaction ends.
    """
    query = Order.select(*order_columns()).where(Order.id == order_id).output(load_json=True)
    row = require_in_scope(actor, await query.first(), order_id)
    if for_update:
        await Order.raw("SELECT id FROM service_order WHERE id = {} FOR UPDATE", order_id)
    return row


async def require_visible(actor: Actor, order_id: int) -> None:
    """404 unless the order exists and is in the actor's scope (as `order_row`, without
    reading and joining the whole row: for callers that only check before their own query)."""
    scope, args = scope_sql(actor)
    sql = f"SELECT o.id FROM service_order o WHERE o.id = {{}} AND {scope}"
    if not await Order.raw(sql, order_id, *args):
        raise NotFound("No order with id {id}", id=order_id)


def scope_sql(actor: Actor, alias: str = "o") -> tuple[str, list[Any]]:
    """The scope as SQL on an orders alias with its arguments ("TRUE" for all orders)."""
    if actor.has(Capability.ALL_ORDERS):
        return "TRUE", []
    own = f"{alias}.technician = {{}} OR {alias}.expert = {{}} OR {alias}.created_by = {{}}"
    if actor.organization_id is None:
        return f"({own})", [actor.employee_id] * 3
    org = f"{alias}.source_org = {{}} OR {alias}.service_center = {{}}"
    return f"({own} OR {org})", [actor.employee_id] * 3 + [actor.organization_id] * 2


def require_edit(actor: Actor) -> None:
    """Changing an order needs orders:edit."""
    actor.require(Section.ORDERS, Action.EDIT)


def require_locked_note(actor: Actor) -> None:
    """Reading or writing the device password note needs its own capability."""
    if not actor.has(Capability.LOCKED_NOTE):
        raise Forbidden("You may not change the field «{field}»", field="locked_note")
