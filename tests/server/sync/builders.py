"""A master with today's visit on a field order, and mutations the phone would send."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from server.dispatch.services import today
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.builders import field_order


async def field_day(client: httpx.AsyncClient) -> dict[str, Any]:
    """field1 has a visit today on a new field order; the client ends logged in as field1."""
    master = await make_employee("field1", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await plan_visit(client, order["id"], master.id)
    await login_as(client, "field1")
    return {"order": order, "visit": visit, "master": master}


async def plan_visit(
    client: httpx.AsyncClient, order_id: int, master_id: int, days_ahead: int = 0
) -> dict[str, Any]:
    """A visit planned through the API (the client must be logged in as a planner)."""
    day = today() + dt.timedelta(days=days_ahead)
    response = await client.post(
        "/api/v1/visits",
        json={"order_id": order_id, "master_id": master_id, "day": day.isoformat()},
    )
    assert response.status_code == 201, response.text
    visit: dict[str, Any] = response.json()
    return visit


async def more_visits(client: httpx.AsyncClient, master_id: int, count: int) -> list[int]:
    """`count` more field orders of new clients with a visit of the master each (as disp)."""
    await login_as(client, "disp")
    order_ids = []
    for i in range(count):
        order = await field_order(client, name=f"Клиент {i}")
        await plan_visit(client, order["id"], master_id, days_ahead=i % 3)
        order_ids.append(order["id"])
    return order_ids


def mutation(kind: str, entity_id: int, change: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A mutation with a fresh id, made a minute ago."""
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    return {"id": str(uuid.uuid4()), "kind": kind, "entity_id": entity_id, "change": change,
            "at": at, **extra}  # fmt: skip


async def push(client: httpx.AsyncClient, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    """Push and return the results (asserting the request itself succeeded)."""
    response = await client.post("/api/v1/sync/push", json={"mutations": list(mutations)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    assert [r["id"] for r in results] == [m["id"] for m in mutations]
    return results
