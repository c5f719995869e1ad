"""Pull: the working set first, then only what changed, never missing a late commit."""

from __future__ import annotations

import asyncpg
import httpx

from server.dispatch.services import today
from tests.database import prepare_test_database
from tests.server.builders import login_as, make_employee
from tests.server.sync.builders import field_day


async def _pull(client: httpx.AsyncClient, cursor: str | None = None) -> dict:
    params = {"cursor": cursor} if cursor else {}
    response = await client.get("/api/v1/sync/pull", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_first_pull_holds_the_working_set_and_the_next_only_changes(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    first = await _pull(client)
    assert first["reset"] is True
    assert first["today"] == today().isoformat() and first["timezone"] == "Europe/Moscow"
    assert [v["id"] for v in first["visits"]] == [day["visit"]["id"]]
    order = first["orders"][0]
    assert order["id"] == order_id and order["declared_fault"] == "Не сливает"
    assert order["next_statuses"], order
    assert order["timeline"], order
    assert first["clients"][0]["addresses"][0]["address"].startswith("Москва")
    history = first["clients"][0]["history"]
    assert [o["id"] for o in history] == [order_id]
    assert [v["status"] for v in history[0]["visits"]] == ["planned"]
    assert first["price_items"] and first["statuses"]
    assert all("purchase_price" not in line for line in order["lines"])

    quiet = await _pull(client, first["cursor"])
    assert quiet["reset"] is False and quiet["orders"] == [] and quiet["visits"] == []

    await login_as(client, "disp")
    await client.patch(f"/api/v1/orders/{order_id}", json={"declared_fault": "Течёт"})
    await login_as(client, "field1")
    changed = await _pull(client, quiet["cursor"])
    assert [o["declared_fault"] for o in changed["orders"]] == ["Течёт"]
    assert changed["visits"] == []


async def test_a_reassigned_visit_is_removed_from_the_old_masters_phone(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    other = await make_employee("field2", roles=["field_technician"])
    cursor = (await _pull(client))["cursor"]
    await login_as(client, "disp")
    moved = await client.patch(f"/api/v1/visits/{day['visit']['id']}", json={"master_id": other.id})
    assert moved.status_code == 200
    await login_as(client, "field1")
    answer = await _pull(client, cursor)
    assert answer["removed"]["visits"] == [day["visit"]["id"]]
    assert answer["visits"] == []
    await login_as(client, "field2")
    assert [v["id"] for v in (await _pull(client))["visits"]] == [day["visit"]["id"]]


async def test_a_change_committed_after_a_pull_began_comes_with_the_next_pull(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    cursor = (await _pull(client))["cursor"]
    url = prepare_test_database()
    slow = await asyncpg.connect(url)
    try:
        transaction = slow.transaction()
        await transaction.start()
        await slow.execute(
            "UPDATE service_order SET declared_fault = 'Поздний' WHERE id = $1", order_id
        )
        during = await _pull(client, cursor)  # the writer has not committed yet
        assert during["orders"] == []
        await transaction.commit()
    finally:
        await slow.close()
    after = await _pull(client, during["cursor"])
    assert [o["declared_fault"] for o in after["orders"]] == ["Поздний"]


async def test_a_cursor_of_another_day_or_employee_starts_over(client: httpx.AsyncClient) -> None:
    await field_day(client)
    cursor = (await _pull(client))["cursor"]
    assert (await _pull(client, "garbage"))["reset"] is True
    await make_employee("field2", roles=["field_technician"])
    await login_as(client, "field2")
    assert (await _pull(client, cursor))["reset"] is True
    assert today()  # the cursor carries the center's day
