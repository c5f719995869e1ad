"""Small builders of stock data through the API."""

from __future__ import annotations

from typing import Any

import httpx


async def warehouse(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    """A store (or, with kind="van" and master_id, a van) made through the API."""
    answer = await client.post(
        "/api/v1/stock/warehouses", json={"kind": "store", "name": name, **fields}
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def item(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    """A stock item made through the API."""
    answer = await client.post("/api/v1/stock/items", json={"name": name, **fields})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def post(
    client: httpx.AsyncClient, kind: str, warehouse_id: int, *lines: dict[str, Any], **fields: Any
) -> httpx.Response:
    """Post a document; the answer as it came."""
    return await client.post(
        "/api/v1/stock/documents",
        json={"kind": kind, "warehouse_id": warehouse_id, "lines": list(lines), **fields},
    )


async def receive(
    client: httpx.AsyncClient, warehouse_id: int, item_id: int, quantity: str, cost: str
) -> dict[str, Any]:
    """A posted receipt of one line."""
    answer = await post(
        client,
        "receipt",
        warehouse_id,
        {"item_id": item_id, "quantity": quantity, "unit_cost": cost},
        supplier="ООО Запчасть",
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def level(
    client: httpx.AsyncClient, warehouse_id: int, item_id: int
) -> dict[str, Any] | None:
    """The item's level in the warehouse as the client sees it (None: no such level seen)."""
    answer = await client.get(f"/api/v1/stock/items/{item_id}/levels")
    assert answer.status_code == 200, answer.text
    found = [x for x in answer.json()["items"] if x["warehouse_id"] == warehouse_id]
    return found[0] if found else None


async def move_order(client: httpx.AsyncClient, order_id: int, status: str) -> httpx.Response:
    """Move an order to a status; the answer as it came."""
    return await client.post(f"/api/v1/orders/{order_id}/status", json={"status": status})


async def add_line(client: httpx.AsyncClient, order_id: int, **line: Any) -> httpx.Response:
    """Add a line to an order; the answer as it came."""
    return await client.post(f"/api/v1/orders/{order_id}/lines", json=line)


async def order_lines(client: httpx.AsyncClient, order_id: int) -> list[dict[str, Any]]:
    """The order's lines as the client sees them."""
    answer = await client.get(f"/api/v1/orders/{order_id}/lines")
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])
