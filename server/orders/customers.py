"""What the customer-facing domains read of orders with no employee behind them: the facts a
rating keeps (who did the work) and a client's own orders for the customer cabinet. Nothing
here leaves the server but to the order's own client (their rating link, their cabinet)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from server.clients import api as clients
from server.i18n import gettext
from server.orders.tables import Order, TimelineEvent


class RatedOrder(msgspec.Struct, frozen=True):
    """An order as the ratings domain reads it: its status and who did the work."""

    id: int
    number: str
    status_code: str
    status_group: str
    client_id: int
    technician_id: int | None
    manager_id: int | None
    service_center_id: int | None


async def rated_orders(order_ids: list[int]) -> dict[int, RatedOrder]:
    """{id: status, client, technician, manager, service center} of the orders (one query)."""
    if not order_ids:
        return {}
    rows = await Order.select(
        Order.id,
        Order.number,
        Order.status._.code.as_alias("status_code"),
        Order.status._.group.as_alias("status_group"),
        Order.client,
        Order.technician,
        Order.manager,
        Order.service_center,
    ).where(Order.id.is_in(sorted(set(order_ids))))
    return {
        r["id"]: RatedOrder(
            id=r["id"],
            number=r["number"],
            status_code=r["status_code"],
            status_group=r["status_group"],
            client_id=r["client"],
            technician_id=r["technician"],
            manager_id=r["manager"],
            service_center_id=r["service_center"],
        )
        for r in rows
    }


async def write_system_note(order_id: int, kind: str, text: str, data: dict[str, Any]) -> None:
    """Put an event no employee wrote (a client's rating) on the order's timeline."""
    await TimelineEvent(
        order=order_id, kind=kind, text=text, data=data, author=None, at=dt.datetime.now(dt.UTC)
    ).save()


class CustomerOrder(msgspec.Struct, frozen=True):
    """A client's own order as the customer cabinet shows it."""

    number: str
    public_code: str
    status_name: str
    status_color: str
    status_group: str
    device: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    due_at: dt.datetime | None
    amount_due: Decimal


CUSTOMER_LIMIT = 200


async def customer_orders(
    client_ids: list[int], limit: int = CUSTOMER_LIMIT
) -> list[CustomerOrder]:
    """The clients' orders, newest first (one query): what a client is told about them."""
    if not client_ids:
        return []
    rows = await (
        Order.select(
            Order.number,
            Order.public_code,
            Order.created_at,
            Order.closed_at,
            Order.due_at,
            Order.amount_due,
            Order.status._.name.as_alias("status_name"),
            Order.status._.color.as_alias("status_color"),
            Order.status._.group.as_alias("status_group"),
            Order.device._.device_type._.name.as_alias("type_name"),
            Order.device._.brand._.name.as_alias("brand_name"),
            Order.device._.model._.name.as_alias("model_dir"),
            Order.device._.model_name.as_alias("model_name"),
        )
        .where(Order.client.is_in(sorted(set(client_ids))))
        .order_by(Order.created_at, ascending=False)
        .order_by(Order.id, ascending=False)
        .limit(limit)
    )
    found = []
    for row in rows:
        device = clients.device_title(row)
        found.append(
            CustomerOrder(
                number=row["number"],
                public_code=row["public_code"] or "",
                status_name=gettext(row["status_name"]),
                status_color=row["status_color"],
                status_group=row["status_group"],
                device="" if device == "—" else device,
                created_at=row["created_at"],
                closed_at=row["closed_at"],
                due_at=row["due_at"],
                amount_due=row["amount_due"],
            )
        )
    return found
