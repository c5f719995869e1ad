"""Small builders of deliveries data through the API."""

from __future__ import annotations

from typing import Any

import httpx


async def ship(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """A shipment made through the API (to a supplier by other carrier unless told)."""
    body = {"direction": "to_supplier", "carrier": "other", "supplier_name": "ООО Запчасть"}
    answer = await client.post("/api/v1/deliveries", json={**body, **fields})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def shipment(client: httpx.AsyncClient, shipment_id: int) -> dict[str, Any]:
    """The shipment as the client sees it."""
    answer = await client.get(f"/api/v1/deliveries/{shipment_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())
