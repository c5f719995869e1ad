"""The words an order is found by: its own and its client's."""

from __future__ import annotations

from typing import Any

from server.clients import api as clients
from server.orders.related import device_brief
from server.orders.tables import Order
from server.phones import search_digits
from server.search import search_text


def searched_as(text: str) -> str:
    """What a typed search is looked up as: a phone typed as receipts print it («+7 916
    555-12-34», «8 916…», «555-12-34») as its digits, like /clients does; order numbers are
    found that way too (their words hold the number without the dash)."""
    return search_digits(text) or text


def order_own_words(
    number: str, device: dict[str, Any] | None, declared_fault: str, custom: dict[str, Any]
) -> str:
    """The order's own search words: number, serial, device, fault, custom values."""
    return search_text(
        number,
        number.replace("-", ""),
        device["serial"] if device else "",
        device["title"] if device else "",
        declared_fault,
        list(custom.values()),
    )


def with_client(own: str, client: dict[str, Any]) -> str:
    """The full search text: the order's words followed by its client's."""
    return f"{own} {client.get('search_text') or search_text(client['name'])}".strip()


def order_search_text(
    number: str,
    client: dict[str, Any],
    device: dict[str, Any] | None,
    declared_fault: str,
    custom: dict[str, Any],
) -> str:
    """Words of the order followed by the client's own search words."""
    return with_client(order_own_words(number, device, declared_fault, custom), client)


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
    client = (await clients.client_names([row["client"]])).get(row["client"])
    device = await device_brief(row["device"], row["client"]) if row["device"] else None
    text = order_search_text(
        row["number"], client or {"name": ""}, device, row["declared_fault"], row["custom"] or {}
    )
    await Order.update({Order.search_text: text}).where(Order.id == order_id)


async def refresh_for_client(client_id: int) -> None:
    """Renew the client's words in all of its orders, in one statement."""
    await Order.raw(
        "UPDATE service_order "
        "SET search_text = trim(service_order.search_own || ' ' || client.search_text) "
        "FROM client WHERE service_order.client = client.id AND client.id = {}",
        client_id,
    )
