"""The words an order is found by: its own and its client's."""

from __future__ import annotations

from typing import Any

from server.clients.tables import Client
from server.orders.related import device_brief
from server.orders.tables import Order
from server.search import search_text


def order_search_text(
    number: str,
    client: dict[str, Any],
    device: dict[str, Any] | None,
    declared_fault: str,
    custom: dict[str, Any],
) -> str:
    """Words of the order followed by the client's own search words."""
    own = search_text(
        number,
        number.replace("-", ""),
        device["serial"] if device else "",
        device["title"] if device else "",
        declared_fault,
        list(custom.values()),
    )
    return f"{own} {client.get('search_text') or search_text(client['name'])}".strip()


async def refresh_order(order_id: int) -> None:
    """Recompute one order's search words (after its device, fault or custom fields changed)."""
    row = await (
        Order.select(Order.number, Order.client, Order.device, Order.declared_fault, Order.custom)
        .where(Order.id == order_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        return
    client = (
        await Client.select(Client.name, Client.search_text)
        .where(Client.id == row["client"])
        .first()
    )
    device = await device_brief(row["device"], row["client"]) if row["device"] else None
    text = order_search_text(
        row["number"], client or {"name": ""}, device, row["declared_fault"], row["custom"] or {}
    )
    await Order.update({Order.search_text: text}).where(Order.id == order_id)


async def refresh_for_client(client_id: int) -> None:
    """Recompute the search words of every order of a client (after the client changed)."""
    for row in await Order.select(Order.id).where(Order.client == client_id):
        await refresh_order(row["id"])
