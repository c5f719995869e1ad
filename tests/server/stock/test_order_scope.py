"""Stock names an order only to whoever may read it: a bench technician sees every warehouse,
so the write-off of another technician's order and what that order waits for, but neither the
order's number nor its id («заказ скрыт» on the pages)."""

from __future__ import annotations

from typing import Any

import httpx
from litestar import Litestar

from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.stock.helpers import item, post, receive, warehouse


async def _order(client: httpx.AsyncClient, technician: int) -> dict[str, Any]:
    client_id = await make_client()
    device = await make_device(client_id)
    return await intake(client, client_id, device_id=device, technician_id=technician)


async def _part(
    client: httpx.AsyncClient, order_id: int, price_id: int, quantity: str, warehouse_id: int
) -> None:
    line = {"price_item_id": price_id, "quantity": quantity, "warehouse_id": warehouse_id}
    added = await client.post(f"/api/v1/orders/{order_id}/lines", json=line)
    assert added.status_code == 201, added.text


async def test_a_technician_sees_stock_of_foreign_orders_without_their_number(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    mine = await make_employee("tech1", roles=["technician"])
    other = await make_employee("tech2", roles=["technician"])
    master = await make_employee("field1", roles=["field_technician"])
    pump = await price_item("P-PUMP")
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master.id)
    kept = await item(admin, pump["name"], price_item_id=pump["id"])
    await receive(admin, store["id"], kept["id"], "3", "1000")
    line = {"item_id": kept["id"], "quantity": "1"}
    assert (await post(admin, "transfer", store["id"], line, to_warehouse_id=van["id"])).is_success
    foreign = await _order(admin, other.id)
    own = await _order(admin, mine.id)
    await _part(admin, foreign["id"], pump["id"], "1", van["id"])  # written off at once
    await _part(admin, foreign["id"], pump["id"], "5", store["id"])  # 2 held, 3 wait
    await _part(admin, own["id"], pump["id"], "1", store["id"])  # waits
    written = (await admin.get("/api/v1/stock/documents", params={"kind": "consumption"})).json()
    assert [d["order_number"] for d in written["items"]] == [foreign["number"]]
    document = written["items"][0]["id"]

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50004))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as tech:
        await login_as(tech, "tech1")
        listed = await tech.get("/api/v1/stock/documents")
        brief = next(d for d in listed.json()["items"] if d["id"] == document)
        assert (brief["order_number"], brief["order_hidden"]) == ("", True)
        card = (await tech.get(f"/api/v1/stock/documents/{document}")).json()
        assert (card["order_id"], card["order_number"], card["order_hidden"]) == (None, "", True)
        by_order = await tech.get("/api/v1/stock/documents", params={"order_id": foreign["id"]})
        assert by_order.json()["items"] == []
        moves = (await tech.get(f"/api/v1/stock/items/{kept['id']}/moves")).json()["items"]
        written_off = next(m for m in moves if m["document_id"] == document)
        assert (written_off["order_id"], written_off["order_hidden"]) == (None, True)
        short = (await tech.get("/api/v1/stock/shortages")).json()["items"]
        assert [(s["orders"], s["hidden_orders"]) for s in short] == [([own["number"]], 1)]
        answers = [listed, by_order]
        for page in (
            "/stock/documents",
            f"/stock/documents/{document}",
            f"/stock/items/{kept['id']}",
        ):
            shown = await tech.get(page)
            assert shown.status_code == 200 and "заказ скрыт" in shown.text, page
            answers.append(shown)
        answers += [await tech.get(f"/api/v1/stock/items/{kept['id']}/moves")]
        for answer in answers:
            assert foreign["number"] not in answer.text, answer.url
            assert f'"order_id":{foreign["id"]}' not in answer.text.replace(" ", "")

    card = (await admin.get(f"/api/v1/stock/documents/{document}")).json()
    assert (card["order_id"], card["order_number"], card["order_hidden"]) == (
        foreign["id"],
        foreign["number"],
        False,
    )
    page = await admin.get(f"/stock/items/{kept['id']}")
    assert f'href="/orders/{foreign["id"]}"' in page.text and "заказ скрыт" not in page.text
