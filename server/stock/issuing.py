"""Parts to be issued to the masters' vans: what a master used on site before the van had it,
per van, oldest first, with the order it went into (its number only to those who may read that
order). Issuing is an ordinary transfer to the van: the part then goes into the order by itself
(posting.issue_to_vans)."""

from __future__ import annotations

from server.actor import Actor
from server.orders import api as orders
from server.stock import access
from server.stock.choices import WarehouseKind
from server.stock.schemas import ToIssueOut
from server.stock.tables import StockReservation

MAX_ROWS = 500


async def to_issue(actor: Actor) -> list[ToIssueOut]:
    """What waits to be issued to the vans the actor sees."""
    visible = await access.visible_ids(actor)
    where, params = "", []
    if visible is not None:
        where, params = "AND r.warehouse_id = ANY({})", [visible]
    rows = await StockReservation.raw(
        "SELECT r.warehouse_id, w.name AS warehouse_name, r.item_id, i.name AS item_name, "
        "i.unit, r.quantity - r.held AS quantity, r.order_id, r.order_number, r.created_at "
        "FROM stock_reservation r JOIN stock_warehouse w ON w.id = r.warehouse_id "
        "JOIN stock_item i ON i.id = r.item_id "
        f"WHERE w.kind = {{}} AND r.quantity > r.held {where} "
        f"ORDER BY w.name, r.warehouse_id, r.created_at, r.id LIMIT {MAX_ROWS}",
        WarehouseKind.VAN.value,
        *params,
    )
    readable = await orders.orders_in_scope(actor, {r["order_id"] for r in rows})
    return [
        ToIssueOut(
            warehouse_id=r["warehouse_id"],
            warehouse_name=r["warehouse_name"],
            item_id=r["item_id"],
            item_name=r["item_name"],
            unit=r["unit"],
            quantity=r["quantity"],
            order_id=r["order_id"] if r["order_id"] in readable else None,
            order_number=r["order_number"] if r["order_id"] in readable else "",
            since=r["created_at"],
        )
        for r in rows
    ]
