"""What other domains read of deliveries: the shipments of an order and what they cost (the
order card's delivery expense, until finance records expenses of its own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.deliveries.choices import CARRIER_LABELS, Direction, ShipmentStatus
from server.deliveries.schemas import OrderDeliveryCosts, ShipmentCost
from server.deliveries.tables import Shipment
from server.i18n import gettext
from server.orders import api as orders
from server.staff.permissions import Action, Section

__all__ = [
    "OrderDeliveryCosts",
    "ShipmentCost",
    "costs_by_day",
    "costs_of_order",
    "costs_of_read_order",
    "shipment_by_number",
    "shipments",
]


# What _cost reads of a shipment.
COST_COLUMNS = (
    Shipment.id,
    Shipment.number,
    Shipment.direction,
    Shipment.carrier,
    Shipment.status,
    Shipment.cost,
)


def _cost(r: dict[str, Any]) -> ShipmentCost:
    return ShipmentCost(
        id=r["id"],
        number=r["number"],
        direction=r["direction"],
        direction_label=gettext(Direction(r["direction"]).label),
        carrier_label=gettext(CARRIER_LABELS.get(r["carrier"], r["carrier"])),
        status=r["status"],
        status_label=gettext(ShipmentStatus(r["status"]).label),
        cost=r["cost"],
    )


def may_see_costs(actor: Actor) -> bool:
    """Delivery costs are shown to those who see deliveries or money."""
    return actor.can(Section.DELIVERIES, Action.VIEW) or actor.can(Section.FINANCE, Action.VIEW)


async def costs_of_order(actor: Actor, order_id: int) -> OrderDeliveryCosts:
    """The order's shipments with their costs, oldest first, and the total of the costs;
    nothing for an order out of the caller's scope or a caller who sees neither deliveries
    nor money."""
    if not await orders.may_read(actor, order_id):
        return OrderDeliveryCosts(order_id=order_id, total=Decimal("0.00"), shipments=[])
    return await costs_of_read_order(actor, order_id)


async def costs_of_read_order(actor: Actor, order_id: int) -> OrderDeliveryCosts:
    """costs_of_order for an order the caller has just read through the orders' read API
    (the order card): its scope is not checked again."""
    empty = OrderDeliveryCosts(order_id=order_id, total=Decimal("0.00"), shipments=[])
    if not may_see_costs(actor):
        return empty
    rows = await (
        Shipment.select(*COST_COLUMNS)
        .where(Shipment.order_id == order_id)
        .order_by(Shipment.created_at)
        .order_by(Shipment.id)
    )
    shipments = [_cost(r) for r in rows]
    total = sum((s.cost for s in shipments if s.cost is not None), Decimal("0.00"))
    return OrderDeliveryCosts(order_id=order_id, total=total, shipments=shipments)


async def shipments(actor: Actor, shipment_ids: set[int]) -> dict[int, ShipmentCost]:
    """{id: number, direction, carrier, status and cost} of the shipments, for a caller who
    sees deliveries (nothing otherwise); an id that names no shipment is left out."""
    if not shipment_ids or not actor.can(Section.DELIVERIES, Action.VIEW):
        return {}
    rows = await Shipment.select(*COST_COLUMNS).where(Shipment.id.is_in(sorted(shipment_ids)))
    return {r["id"]: _cost(r) for r in rows}


async def shipment_by_number(actor: Actor, number: str) -> int | None:
    """The id of the shipment with that number (ОТ-000001), for a caller who sees deliveries."""
    if not number.strip() or not actor.can(Section.DELIVERIES, Action.VIEW):
        return None
    row = await Shipment.select(Shipment.id).where(Shipment.number == number.strip()[:30]).first()
    return row["id"] if row else None


async def costs_by_day(first_day: dt.date, last_day: dt.date) -> dict[dt.date, Decimal]:
    """What shipments cost by the day they were sent, over the period (drafts: nothing yet)."""
    rows = await Shipment.raw(
        "SELECT sent_on AS day, sum(cost) AS cost FROM delivery_shipment"
        " WHERE cost IS NOT NULL AND sent_on BETWEEN {} AND {} GROUP BY 1",
        first_day,
        last_day,
    )
    return {r["day"]: r["cost"] for r in rows}
