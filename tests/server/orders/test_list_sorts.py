"""Sorting the orders list by its columns: the order of every sort, its cursor, field access."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx

from server.orders import sorting
from server.orders.tables import Order, OrderStatus
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client

PRIORITIES = ["urgent", "low", "normal", "high", "normal"]
TOTALS = ["1200.00", "90.50", "1200.00", "0.00", "35000.00"]


async def _orders(http: httpx.AsyncClient, count: int = 10) -> list[int]:
    """Orders with repeated and empty values in every sorted field."""
    client_id = await make_client()
    ids = [int((await intake(http, client_id))["id"]) for _ in range(count)]
    statuses = [r["id"] for r in await OrderStatus.select(OrderStatus.id).order_by(OrderStatus.id)]
    base = dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)
    for i, order_id in enumerate(ids):
        total = Decimal(TOTALS[i % len(TOTALS)])
        await Order.update(
            {
                Order.priority: PRIORITIES[i % len(PRIORITIES)],
                Order.total: total,
                Order.amount_due: total - 50 if total > 50 else total,
                Order.status: statuses[i % 3],
                Order.due_at: None if i % 3 == 0 else base + dt.timedelta(days=i % 2),
            }
        ).where(Order.id == order_id)
    return ids


async def _expected(sort: str) -> list[int]:
    """The ids in the order a sort promises, computed here from the rows (ties by id)."""
    rows = await Order.select(
        Order.id,
        Order.number,
        Order.created_at,
        Order.due_at,
        Order.priority,
        Order.total,
        Order.amount_due,
        Order.status._.sort.as_alias("status_sort"),
        Order.order_type._.sort.as_alias("type_sort"),
    )
    rank = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
    value = {
        "created": lambda r: r["created_at"],
        "due": lambda r: r["due_at"],
        "number": lambda r: r["number"],
        "status": lambda r: r["status_sort"],
        "type": lambda r: r["type_sort"],
        "priority": lambda r: rank[r["priority"]],
        "total": lambda r: r["total"],
        "amount_due": lambda r: r["amount_due"],
    }[sort.removeprefix("-")]

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        v = value(r)  # NULLs after every value ascending (PostgreSQL's order)
        return (v is None, v if v is not None else 0, r["id"])

    ordered = [r["id"] for r in sorted(rows, key=key)]
    return ordered[::-1] if sort.startswith("-") else ordered


async def _walk(http: httpx.AsyncClient, sort: str, limit: int = 3) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        params: dict[str, str | int] = {
            "limit": limit,
            "sort": sort,
            **({"cursor": cursor} if cursor else {}),
        }
        response = await http.get("/api/v1/orders", params=params)
        assert response.status_code == 200, (sort, response.text)
        page = response.json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next"]
        if cursor is None:
            return seen
    raise AssertionError(f"sort {sort} did not end")


async def test_every_sort_orders_the_list_and_pages_through_it_exactly(
    admin_client: httpx.AsyncClient,
) -> None:
    await _orders(admin_client)
    values = [v for name in sorting.KEYS for v in (name, f"-{name}")]
    offered = (await admin_client.get("/api/v1/orders", params={"sort": "zz"})).json()["detail"]
    assert offered.endswith(", ".join(values)), offered
    assert {"number", "-status", "priority", "-total", "amount_due", "due", "-created"} <= set(
        values
    )
    for sort in values:
        assert await _walk(admin_client, sort) == await _expected(sort), sort


async def test_a_cursor_of_one_sort_is_refused_by_another(admin_client: httpx.AsyncClient) -> None:
    await _orders(admin_client, 4)
    first = (await admin_client.get("/api/v1/orders", params={"limit": 2, "sort": "total"})).json()
    other = await admin_client.get(
        "/api/v1/orders", params={"limit": 2, "sort": "number", "cursor": first["next"]}
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "cursor"


async def test_a_sort_by_a_hidden_field_is_refused_like_an_unknown_one(
    client: httpx.AsyncClient,
) -> None:
    await Role.update(
        {Role.field_permissions: {"order.total": "hidden", "order.priority": "hidden"}}
    ).where(Role.code == "receiver")
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    await _orders(client, 3)
    for sort in ("total", "-total", "priority", "zz"):
        refused = await client.get("/api/v1/orders", params={"sort": sort})
        assert refused.status_code == 422, sort
        message = refused.json()["detail"]
        assert "total" not in message.split(":", 1)[1] and "priority" not in message, message
        assert "amount_due" in message and "number" in message
    assert await _walk(client, "-amount_due", limit=2) == await _expected("-amount_due")
