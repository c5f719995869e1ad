"""Employees, partner service centers, rules and orders for the responsibles tests (HTTP)."""

from __future__ import annotations

from typing import Any

import httpx

from server.clients.tables import ClientAddress
from tests.server.builders import make_employee
from tests.server.orders.builders import make_client, make_device


async def person(login: str, *, manufacturers: list[str] | None = None, **fields: Any) -> int:
    """An active technician (optionally restricted to manufacturers); returns the id."""
    made = await make_employee(
        login,
        roles=fields.pop("roles", ["technician"]),
        full_name=fields.pop("full_name", f"Мастер {login}"),
        manufacturers=manufacturers or [],
        **fields,
    )
    return int(made.id)


async def center(
    client: httpx.AsyncClient, name: str, manufacturers: list[str] | None = None
) -> int:
    """A partner service center; returns the id."""
    answer = await client.post(
        "/api/v1/partners/",
        json={"kind": "service_center", "name": name, "manufacturers": manufacturers or []},
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


async def rule(client: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    """A rule through the API."""
    answer = await client.post("/api/v1/assignment-rules", json={"name": name, **fields})
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def problem_class(client: httpx.AsyncClient, name: str, parent_id: int | None = None) -> int:
    """A node of the classification; returns the id."""
    answer = await client.post(
        "/api/v1/problem-classes", json={"name": name, "parent_id": parent_id}
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


async def order_for(
    client: httpx.AsyncClient,
    brand: str = "Samsung",
    *,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An order through the API for a new client with a device of the brand (and an address)."""
    client_id = await make_client()
    device_id = await make_device(client_id, brand=brand)
    if address or lat is not None:
        await ClientAddress(
            client=client_id, address=address, lat=lat, lon=lon, is_primary=True
        ).save()
    answer = await client.post(
        "/api/v1/orders", json={"client_id": client_id, "device_id": device_id, **fields}
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def preview(client: httpx.AsyncClient, **subject: Any) -> dict[str, Any]:
    """The preview of the rules for a subject."""
    answer = await client.post("/api/v1/assignment-rules/preview", json=subject)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body
