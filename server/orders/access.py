"""Who may see and change which orders: row scoping and field access in one place."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Or

from server.actor import Actor
from server.errors import Forbidden, NotFound
from server.orders.tables import Order
from server.staff.permissions import Action, Capability, Section


def scope_condition(actor: Actor) -> Any | None:
    """The WHERE condition limiting orders to the actor's own, or None for all orders.

    Without the all-orders capability one sees the orders one is the technician of, and
    those one created (a dealer's requests).
    """
    if actor.has(Capability.ALL_ORDERS):
        return None
    return Or(Order.technician == actor.employee_id, Order.created_by == actor.employee_id)


def in_scope(actor: Actor, row: dict[str, Any]) -> bool:
    """True when the order row is within the actor's scope."""
    if actor.has(Capability.ALL_ORDERS):
        return True
    return actor.employee_id in (row.get("technician"), row.get("created_by"))


def require_in_scope(actor: Actor, row: dict[str, Any] | None, order_id: int) -> dict[str, Any]:
    """The row, or 404 for a missing order and for someone else's (do not reveal it exists)."""
    if row is None or not in_scope(actor, row):
        raise NotFound("No order with id {id}", id=order_id)
    return row


def require_edit(actor: Actor) -> None:
    """Changing an order needs orders:edit."""
    actor.require(Section.ORDERS, Action.EDIT)


def require_locked_note(actor: Actor) -> None:
    """Reading or writing the device password note needs its own capability."""
    if not actor.has(Capability.LOCKED_NOTE):
        raise Forbidden("You may not change the field «{field}»", field="locked_note")
