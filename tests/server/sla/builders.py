"""An SLA world: a round-the-clock calendar (so tests do not depend on today's date) and a
policy for in-shop repairs."""

from __future__ import annotations

from typing import Any

import httpx

from server.orders.tables import OrderType
from server.sla.tables import CalendarDay
from tests.server.orders.builders import intake, make_client

ALL_DAY = "00:00-24:00"


async def round_the_clock(client: httpx.AsyncClient) -> None:
    """Every minute of every day is working time; no exception days."""
    week = {d: ALL_DAY for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    response = await client.put("/api/v1/sla/calendar/week", json=week)
    assert response.status_code == 200, response.text
    await CalendarDay.delete(force=True)


async def type_id(code: str) -> int:
    row = await OrderType.select(OrderType.id).where(OrderType.code == code).first()
    assert row is not None
    return int(row["id"])


async def repair_policy(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """Accept within an hour, resolve within ten, paused while waiting for parts."""
    body = {
        "name": "Ремонт в мастерской",
        "order_type_id": await type_id("repair"),
        "accept_minutes": 60,
        "resolution_minutes": 600,
        "pause_statuses": ["waiting_parts"],
        **fields,
    }
    response = await client.post("/api/v1/sla/policies", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def repair_order(client: httpx.AsyncClient, name: str = "Иван Иванов") -> dict[str, Any]:
    """An in-shop repair order taken in now."""
    client_id = await make_client(name)
    return await intake(
        client, client_id, order_type_id=await type_id("repair"), declared_fault="Не включается"
    )
