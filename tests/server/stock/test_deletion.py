"""Deleting stock records (stock:delete): an item or a warehouse nothing has moved yet goes; one
with moves stays in their history and is refused (409, switch it off instead), as is one orders
have reserved or still name; posted documents are never deleted (no route deletes them)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

import asyncpg
import httpx
from litestar import Litestar

from server.audit.tables import AuditEntry
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.stock.helpers import item, post, receive, warehouse
from tests.server.web.test_pages import csrf_of


async def _order_part(client: httpx.AsyncClient, warehouse_id: int, price_id: int) -> int:
    """A new order with a part line from the warehouse (reserved, or waiting); the order's id."""
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    line = {"price_item_id": price_id, "quantity": "1", "warehouse_id": warehouse_id}
    added = await client.post(f"/api/v1/orders/{order['id']}/lines", json=line)
    assert added.status_code == 201, added.text
    return int(order["id"])


async def test_an_item_nothing_moved_is_deleted_and_one_with_moves_is_switched_off_instead(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    store = await warehouse(admin, "Главный склад")
    typo = await item(admin, "Насос сливнй")
    assert (await admin.delete(f"/api/v1/stock/items/{typo['id']}")).status_code == 204
    assert (await admin.get(f"/api/v1/stock/items/{typo['id']}")).status_code == 404
    logged = await AuditEntry.select().where(
        (AuditEntry.entity == "stock_item") & (AuditEntry.entity_id == str(typo["id"]))
    )
    assert sorted(e["action"] for e in logged) == ["create", "delete"]

    moved = await item(admin, "Насос сливной")
    await receive(admin, store["id"], moved["id"], "1", "1000")
    refused = await admin.delete(f"/api/v1/stock/items/{moved['id']}")
    assert refused.status_code == 409 and "отключите" in refused.text
    assert (await admin.get(f"/api/v1/stock/items/{moved['id']}")).status_code == 200
    off = await admin.patch(f"/api/v1/stock/items/{moved['id']}", json={"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False

    pump = await price_item("P-PUMP")
    waited = await item(admin, pump["name"], price_item_id=pump["id"])
    await _order_part(admin, store["id"], pump["id"])  # the store has none: the line waits
    refused = await admin.delete(f"/api/v1/stock/items/{waited['id']}")
    assert refused.status_code == 409 and pump["name"] in refused.text

    await make_employee("tech1", roles=["technician"])  # stock:view only
    fresh = await item(admin, "Ремень")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50007))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as tech:
        await login_as(tech, "tech1")
        assert (await tech.delete(f"/api/v1/stock/items/{fresh['id']}")).status_code == 403
        card = await tech.get(f"/stock/items/{fresh['id']}")
        assert 'data-testid="delete-item"' not in card.text

    card = await admin.get(f"/stock/items/{fresh['id']}")
    assert 'data-testid="delete-item"' in card.text
    gone = await admin.post(
        f"/stock/items/{fresh['id']}/delete", data={"_csrf_token": csrf_of(card.text)}
    )
    assert gone.status_code in (302, 303) and gone.headers["location"] == "/stock"
    card = await admin.get(f"/stock/items/{moved['id']}")
    assert 'data-testid="delete-item"' not in card.text
    kept = await admin.post(
        f"/stock/items/{moved['id']}/delete", data={"_csrf_token": csrf_of(card.text)}
    )
    assert kept.status_code == 409 and "отключите" in kept.text and 'role="alert"' in kept.text


async def test_a_warehouse_nothing_moved_through_is_deleted_and_others_are_refused(
    admin_client: httpx.AsyncClient,
) -> None:
    admin = admin_client
    empty = await warehouse(admin, "Пустой склад")
    used = await warehouse(admin, "Главный склад")
    named = await warehouse(admin, "Склад заказов")
    pump = await price_item("P-PUMP")
    kept = await item(admin, pump["name"], price_item_id=pump["id"])
    await receive(admin, used["id"], kept["id"], "1", "1000")
    order = await _order_part(admin, named["id"], pump["id"])  # waits: reserved in it
    refused = await admin.delete(f"/api/v1/stock/warehouses/{named['id']}")
    assert refused.status_code == 409 and "отключите" in refused.text
    cancelled = await admin.post(f"/api/v1/orders/{order}/status", json={"status": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    refused = await admin.delete(f"/api/v1/stock/warehouses/{named['id']}")
    assert refused.status_code == 409 and "Строки заказов" in refused.text  # the line names it

    page = await admin.get("/stock/warehouses")
    assert f'data-testid="delete-warehouse-{empty["id"]}"' in page.text
    assert f'data-testid="delete-warehouse-{used["id"]}"' not in page.text
    gone = await admin.post(
        f"/stock/warehouses/{empty['id']}/delete", data={"_csrf_token": csrf_of(page.text)}
    )
    assert gone.status_code in (302, 303)
    assert (await admin.get(f"/api/v1/stock/warehouses/{empty['id']}")).status_code == 404
    answer = await admin.post(
        f"/stock/warehouses/{used['id']}/delete", data={"_csrf_token": csrf_of(page.text)}
    )
    assert answer.status_code == 409 and "Главный склад" in answer.text
    assert (await admin.delete(f"/api/v1/stock/warehouses/{used['id']}")).status_code == 409
    assert (await admin.delete("/api/v1/stock/documents/1")).status_code in (404, 405)


@contextlib.asynccontextmanager
async def _elsewhere() -> AsyncIterator[asyncpg.Connection]:
    """A connection of its own, as another server process or request has."""
    other = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        yield other
    finally:
        await other.close()


async def _blocked(task: asyncio.Task[httpx.Response]) -> None:
    """The request is waiting for the other transaction's lock, not answered."""
    await asyncio.sleep(0.5)
    assert not task.done()


async def test_a_delete_waits_for_a_posting_in_flight_and_then_finds_its_moves(
    admin_client: httpx.AsyncClient,
) -> None:
    store = await warehouse(admin_client, "Главный склад")
    part = await item(admin_client, "Насос сливной")
    async with _elsewhere() as other, other.transaction():
        # a posting holds the item as hold_records does, then moves it
        await other.execute("SELECT id FROM stock_item WHERE id = $1 FOR KEY SHARE", part["id"])
        deleting = asyncio.create_task(admin_client.delete(f"/api/v1/stock/items/{part['id']}"))
        await _blocked(deleting)
        await other.execute(
            "INSERT INTO stock_move (document_id, line_id, warehouse_id, item_id, quantity,"
            " unit_cost, on_hand_after, at) VALUES (0, 0, $1, $2, 1, 0, 1, now())",
            store["id"],
            part["id"],
        )
    answer = await deleting
    assert answer.status_code == 409, answer.text
    assert (await admin_client.get(f"/api/v1/stock/items/{part['id']}")).status_code == 200


async def test_a_posting_waits_for_a_delete_in_flight_and_then_is_refused(
    admin_client: httpx.AsyncClient,
) -> None:
    store = await warehouse(admin_client, "Главный склад")
    part = await item(admin_client, "Насос сливной")
    async with _elsewhere() as other, other.transaction():
        # a delete holds the item as delete_item does
        await other.execute("SELECT id FROM stock_item WHERE id = $1 FOR UPDATE", part["id"])
        receiving = asyncio.create_task(
            post(
                admin_client,
                "receipt",
                store["id"],
                {"item_id": part["id"], "quantity": "2", "unit_cost": "500"},
                supplier="ООО Запчасть",
            )
        )
        await _blocked(receiving)
        await other.execute("DELETE FROM stock_level WHERE item_id = $1", part["id"])
        await other.execute("DELETE FROM stock_item WHERE id = $1", part["id"])
    answer = await receiving
    assert answer.status_code == 409, answer.text
    assert "удалена" in answer.json()["detail"] or "deleted" in answer.json()["detail"]
    async with _elsewhere() as other:
        assert await other.fetchval("SELECT count(*) FROM stock_move") == 0
        assert await other.fetchval("SELECT count(*) FROM stock_document") == 0
