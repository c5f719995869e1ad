"""Reading what an order refers to: its client, device and employees (through their domains)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.clients import api as clients
from server.errors import InvalidInput
from server.orders.choices import StatusGroup
from server.orders.tables import Order
from server.staff.services import load_actor

client_brief = clients.client_brief
device_brief = clients.device_brief
device_title = clients.device_title


async def check_employee(employee_id: int | None, field: str) -> None:
    """An assigned manager or technician must be an active employee."""
    if employee_id is not None and await load_actor(employee_id) is None:
        raise InvalidInput("No active employee with id {id}", field=field, id=employee_id)


async def completed_stats(client_id: int) -> dict[str, Any]:
    """All completed orders of a client and their spend, for loyalty rules (never shown as is)."""
    rows = await Order.select(Order.total).where(
        Order.client == client_id, Order.status._.group == StatusGroup.CLOSED.value
    )
    return {
        "completed_orders": len(rows),
        "total_spend": sum((r["total"] for r in rows), Decimal("0")),
    }


async def discount_for(client_id: int) -> tuple[Decimal, str]:
    """The client's discount and its reason, for the client's completed orders so far."""
    return await clients.discount_for(client_id, await completed_stats(client_id))
