"""Small builders of purchasing data through the API: a store with a part kept in stock, a
supplier, a repair whose part line waits for stock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.stock.helpers import item, warehouse

ORDERS = "/api/v1/purchasing/orders"


async def supplier(
    client: httpx.AsyncClient, name: str = "ООО Запчасть", **fields: Any
) -> dict[str, Any]:
    """A supplier made through the API."""
    answer = await client.post("/api/v1/purchasing/suppliers", json={"name": name, **fields})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@dataclass
class Stocked:
    """A store and the pump part kept there."""

    store: dict[str, Any]
    pump: dict[str, Any]  # the price list item
    item: dict[str, Any]  # the stock item


async def stocked(client: httpx.AsyncClient) -> Stocked:
    """The main store and the drain pump kept in stock (counted in pieces)."""
    pump = await price_item("P-PUMP")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, pump["name"], price_item_id=pump["id"], article="ASK-1")
    return Stocked(store, pump, kept)


async def repair_waiting(
    client: httpx.AsyncClient,
    stock: Stocked,
    quantity: str = "2",
    status: str = "diagnostics",
    **fields: Any,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A repair moved on from «New» (to diagnostics unless told) whose pump line is taken from
    the store: (order, part line)."""
    client_id = fields.pop("client_id", None) or await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id), **fields)
    moved = await client.post(f"/api/v1/orders/{order['id']}/status", json={"status": status})
    assert moved.status_code == 200, moved.text
    line = {
        "price_item_id": stock.pump["id"],
        "quantity": quantity,
        "warehouse_id": stock.store["id"],
    }
    added = await client.post(f"/api/v1/orders/{order['id']}/lines", json=line)
    assert added.status_code in (200, 201), added.text
    return order, (await lines(client, order["id"]))[-1]


async def lines(client: httpx.AsyncClient, order_id: int) -> list[dict[str, Any]]:
    """The repair order's lines as the client sees them."""
    answer = await client.get(f"/api/v1/orders/{order_id}/lines")
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def order_part(
    client: httpx.AsyncClient, order_id: int, line_id: int, **fields: Any
) -> httpx.Response:
    """«Order» on a repair's part line; the answer as it came."""
    body = {"order_id": order_id, "line_id": line_id, **fields}
    return await client.post(f"{ORDERS}/for-repair-line", json=body)


async def supplier_order(client: httpx.AsyncClient, order_id: int) -> dict[str, Any]:
    """The supplier order as the client sees it."""
    answer = await client.get(f"{ORDERS}/{order_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def draft(
    client: httpx.AsyncClient, supplier_id: int, warehouse_id: int, *lines: dict[str, Any]
) -> dict[str, Any]:
    """A draft supplier order made through the API."""
    body = {"supplier_id": supplier_id, "warehouse_id": warehouse_id, "lines": list(lines)}
    answer = await client.post(ORDERS, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def move(client: httpx.AsyncClient, order_id: int, status: str) -> httpx.Response:
    """Move a supplier order by hand; the answer as it came."""
    return await client.post(f"{ORDERS}/{order_id}/status", json={"status": status})


async def receive(
    client: httpx.AsyncClient, order_id: int, *lines: dict[str, Any]
) -> httpx.Response:
    """Receive goods against a supplier order; the answer as it came."""
    return await client.post(f"{ORDERS}/{order_id}/receive", json={"lines": list(lines)})
