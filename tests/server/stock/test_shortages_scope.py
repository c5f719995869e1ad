"""What is short, as a keeper of one store sees it: the parts orders wait for, the orders named,
the minimum and the suggested quantity are summed over the warehouses the keeper sees only —
what waits in another store tells nothing through the sums or the count of hidden orders."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar

from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, price_item
from tests.server.stock.conftest import storekeeper_role
from tests.server.stock.helpers import item, warehouse


async def _wait_for(
    client: httpx.AsyncClient, price_item_id: int, store_id: int, quantity: str
) -> dict[str, Any]:
    """A new order whose part line waits for `quantity` of the part on the store."""
    order = await intake(client, await make_client())
    added = await client.post(
        f"/api/v1/orders/{order['id']}/lines",
        json={"price_item_id": price_item_id, "quantity": quantity, "warehouse_id": store_id},
    )
    assert added.status_code in (200, 201), added.text
    return order


async def test_a_keeper_of_one_store_sees_only_its_shortages_in_the_sums(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    await storekeeper_role("one_store", special=())
    keeper = await make_employee("keeper1", roles=["one_store"])
    mine = await warehouse(admin, "Склад на Ленина", keeper_ids=[keeper.id])
    other = await warehouse(admin, "Склад на Мира")
    pump, bearing = await price_item("P-PUMP"), await price_item("P-BEAR")
    kept = await item(admin, pump["name"], price_item_id=pump["id"], min_level="2")
    elsewhere = await item(admin, bearing["name"], price_item_id=bearing["id"])
    here = await _wait_for(admin, pump["id"], mine["id"], "1")
    there = await _wait_for(admin, pump["id"], other["id"], "3")
    await _wait_for(admin, bearing["id"], other["id"], "5")

    everything = {
        s["item_id"]: s for s in (await admin.get("/api/v1/stock/shortages")).json()["items"]
    }
    assert (everything[kept["id"]]["waiting"], everything[kept["id"]]["suggested"]) == (
        "4.000",
        "6.000",
    )
    assert sorted(everything[kept["id"]]["orders"]) == sorted([here["number"], there["number"]])
    assert everything[elsewhere["id"]]["waiting"] == "5.000"

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50009))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        await login_as(http, "keeper1")
        short = (await http.get("/api/v1/stock/shortages")).json()["items"]
        assert [
            (s["item_id"], s["waiting"], s["suggested"], s["orders"], s["hidden_orders"])
            for s in short
        ] == [(kept["id"], "1.000", "3.000", [], 1)]  # one order, not readable without orders
        page = await http.get("/stock/shortages")
        assert page.status_code == 200
        assert bearing["name"] not in page.text and there["number"] not in page.text
        low = (await http.get("/api/v1/stock/levels", params={"low": "true"})).json()["items"]
        assert [(x["warehouse_name"], x["item_id"], x["reserved"]) for x in low] == [
            ("Склад на Ленина", kept["id"], "0.000")
        ]
