"""Open field orders as the dispatcher's planner reads them: what to plan a visit for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import msgspec

from server.actor import Actor
from server.fieldaccess import hidden_fields
from server.i18n import gettext
from server.orders import access
from server.orders.choices import StatusGroup
from server.orders.tables import Order
from server.staff.permissions import Action, Section

# "ready" too: a repaired unit goes back to the client's on a visit
OPEN_GROUPS = (StatusGroup.NEW, StatusGroup.IN_WORK, StatusGroup.WAITING, StatusGroup.READY)
QUEUE_LIMIT = 1000  # open field orders a board lists at once


class FieldWork(msgspec.Struct, frozen=True):
    """An open order of a type served at the client's; hidden fields are None or empty."""

    id: int
    number: str
    client_id: int
    device_id: int | None
    priority: str
    status_name: str
    status_color: str
    created_at: dt.datetime
    technician_id: int | None
    client_name: str = ""
    declared_fault: str = ""
    due_at: dt.datetime | None = None
    visit_day: dt.date | None = None
    visit_from: dt.time | None = None
    visit_to: dt.time | None = None
    auto_assign: bool = False


async def open_field_orders(
    actor: Actor, order_ids: Iterable[int] | None = None
) -> list[FieldWork]:
    """Open field orders in the actor's scope (the given ones, or all up to QUEUE_LIMIT), the
    most urgent due first."""
    if not actor.can(Section.ORDERS, Action.VIEW):
        return []
    query = Order.select(
        Order.id,
        Order.number,
        Order.client,
        Order.device,
        Order.priority,
        Order.due_at,
        Order.declared_fault,
        Order.created_at,
        Order.technician,
        Order.visit_day,
        Order.visit_from,
        Order.visit_to,
        Order.order_type._.auto_assign.as_alias("auto_assign"),
        Order.client._.name.as_alias("client_name"),
        Order.status._.name.as_alias("status_name"),
        Order.status._.color.as_alias("status_color"),
    ).where(Order.order_type._.is_field.eq(True), Order.status._.group.is_in(list(OPEN_GROUPS)))
    if order_ids is not None:
        wanted = sorted(set(order_ids))
        if not wanted:
            return []
        query = query.where(Order.id.is_in(wanted))
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    rows = await query.order_by(Order.due_at, Order.id).limit(QUEUE_LIMIT)
    hidden = hidden_fields(actor, "order")
    return [
        FieldWork(
            id=r["id"],
            number=r["number"],
            client_id=r["client"],
            device_id=r["device"] if "device" not in hidden else None,
            priority=r["priority"],
            status_name=gettext(r["status_name"]),
            status_color=r["status_color"],
            created_at=r["created_at"],
            technician_id=r["technician"] if "technician" not in hidden else None,
            client_name=r["client_name"] if "client" not in hidden else "",
            declared_fault=r["declared_fault"] if "declared_fault" not in hidden else "",
            due_at=r["due_at"] if "due_at" not in hidden else None,
            visit_day=r["visit_day"],
            visit_from=r["visit_from"],
            visit_to=r["visit_to"],
            auto_assign=bool(r["auto_assign"]),
        )
        for r in rows
    ]
