"""What other domains ask about orders: a client's or device's history, a client's totals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.orders.choices import StatusGroup
from server.orders.tables import Order


def _brief_query() -> Any:
    return Order.select(
        Order.id,
        Order.number,
        Order.status._.name.as_alias("status_name"),
        Order.status._.color.as_alias("status_color"),
        Order.status._.group.as_alias("status_group"),
        Order.order_type._.name.as_alias("type_name"),
        Order.device,
        Order.declared_fault,
        Order.created_at,
        Order.closed_at,
        Order.total,
        Order.amount_due,
    ).order_by(Order.created_at, ascending=False)


async def client_history(client_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Orders of a client, newest first."""
    rows: list[dict[str, Any]] = await _brief_query().where(Order.client == client_id).limit(limit)
    return rows


async def device_history(device_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Orders of a device, newest first."""
    rows: list[dict[str, Any]] = await _brief_query().where(Order.device == device_id).limit(limit)
    return rows


async def client_stats(client_id: int) -> dict[str, Any]:
    """Completed orders and their total spend, for loyalty discounts and the client card."""
    rows = await Order.select(Order.total).where(
        Order.client == client_id, Order.status._.group == StatusGroup.CLOSED.value
    )
    spend = sum((r["total"] for r in rows), Decimal("0"))
    return {"completed_orders": len(rows), "total_spend": spend}
