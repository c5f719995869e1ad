"""A field master's van as the phone keeps it: what of the price list it holds, sent whole
with every pull (a few dozen rows: cheaper than tracking changes). A serial-tracked item comes
with the serials the van holds free: the master picks the one used."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.staff.permissions import Capability
from server.stock import serials
from server.stock.choices import WarehouseKind
from server.stock.tables import StockLevel, Warehouse


async def van_stock(actor: Actor) -> dict[str, Any] | None:
    """The actor's active van, what it holds of items sold by the price list and whether the
    actor may use a part it lacks (to be issued later); None when the actor has no van."""
    van = (
        await Warehouse.select(Warehouse.id, Warehouse.name)
        .where(
            (Warehouse.master_id == actor.employee_id)
            & (Warehouse.kind == WarehouseKind.VAN.value)
            & (Warehouse.is_active.eq(True))
        )
        .first()
    )
    if van is None:
        return None
    rows = await StockLevel.raw(
        "SELECT i.price_item_id, i.id AS item_id, i.name, i.unit, i.serial_tracked, "
        "l.on_hand - l.reserved AS available "
        "FROM stock_level l JOIN stock_item i ON i.id = l.item_id "
        "WHERE l.warehouse_id = {} AND i.price_item_id IS NOT NULL AND i.is_active "
        "AND l.on_hand - l.reserved > 0 ORDER BY i.name",
        van["id"],
    )
    return {
        "warehouse_id": van["id"],
        "name": van["name"],
        "issue_later": actor.has(Capability.ISSUE_LATER),
        "items": [
            {
                "price_item_id": r["price_item_id"],
                "item_id": r["item_id"],
                "name": r["name"],
                "unit": r["unit"],
                "available": f"{r['available'].normalize():f}",
                "serial_tracked": r["serial_tracked"],
                "serials": (
                    await serials.free(van["id"], r["item_id"]) if r["serial_tracked"] else []
                ),
            }
            for r in rows
        ],
    }
