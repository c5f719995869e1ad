"""Who sees which warehouse: a field master only their own van, its levels, documents and
history; a keeper of a store that store; costs only those who may see purchase prices."""

from __future__ import annotations

import httpx
from litestar import Litestar

from tests.server.builders import login_as, make_employee
from tests.server.stock.helpers import item, post, receive, warehouse


async def test_a_field_master_sees_only_own_van(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    mine = await make_employee("field1", roles=["field_technician"])
    other = await make_employee("field2", roles=["field_technician"])
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=mine.id)
    foreign = await warehouse(admin, "Фургон Сидорова", kind="van", master_id=other.id)
    valve = await item(admin, "Клапан заливной", unit="шт")
    await receive(admin, store["id"], valve["id"], "10", "300")
    for target in (van, foreign):
        sent = await post(
            admin,
            "transfer",
            store["id"],
            {"item_id": valve["id"], "quantity": "2"},
            to_warehouse_id=target["id"],
        )
        assert sent.status_code == 201

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50003))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        listed = (await phone.get("/api/v1/stock/warehouses")).json()["items"]
        assert [w["name"] for w in listed] == ["Фургон Петрова"]
        assert (await phone.get(f"/api/v1/stock/warehouses/{foreign['id']}")).status_code == 404
        levels = (await phone.get("/api/v1/stock/levels")).json()["items"]
        assert [(x["warehouse_name"], x["on_hand"]) for x in levels] == [
            ("Фургон Петрова", "2.000")
        ]
        assert levels[0]["avg_cost"] is None  # a field master may not see purchase prices
        found = (await phone.get("/api/v1/stock/items", params={"q": "клапан"})).json()["items"]
        assert [(x["name"], x["on_hand"]) for x in found] == [("Клапан заливной", "2.000")]
        moves = (await phone.get(f"/api/v1/stock/items/{valve['id']}/moves")).json()["items"]
        assert [(m["warehouse_name"], m["quantity"]) for m in moves] == [
            ("Фургон Петрова", "2.000")
        ]
        assert all(m["unit_cost"] is None for m in moves)
        documents = (await phone.get("/api/v1/stock/documents")).json()["items"]
        assert len(documents) == 1 and documents[0]["to_warehouse_name"] == "Фургон Петрова"
        assert documents[0]["warehouse_name"] not in (
            "",
            "Главный склад",
        )  # a store he does not see
        theirs = (
            await admin.get("/api/v1/stock/documents", params={"warehouse_id": foreign["id"]})
        ).json()
        answer = await phone.get(f"/api/v1/stock/documents/{theirs['items'][0]['id']}")
        assert answer.status_code == 404
        for path in (
            f"/api/v1/stock/levels?warehouse_id={foreign['id']}",
            f"/api/v1/stock/items/{valve['id']}/moves?warehouse_id={foreign['id']}",
            f"/api/v1/stock/items?warehouse_id={store['id']}",
        ):
            assert (await phone.get(path)).status_code == 404, path
        taken = await post(
            phone, "write_off", van["id"], {"item_id": valve["id"], "quantity": "1"}, reason="x"
        )
        assert taken.status_code == 403  # no stock:create: parts leave a van through orders


async def test_items_are_found_by_article_code_barcode_and_compatible_model(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    pump = await item(
        client,
        "Насос сливной",
        article="ART-145",
        manufacturer_codes=["00145212"],
        compatible=["Bosch WAN28281", "Siemens WM14"],
        barcode="4607001234567",
    )
    await item(client, "Ремень приводной", article="1270J5")
    for q in ("насос", "art-145", "00145212", "wan28281", "4607001234567", "сливной bosch"):
        found = (await client.get("/api/v1/stock/items", params={"q": q})).json()["items"]
        assert [x["id"] for x in found] == [pump["id"]], q
    twin = await client.post(
        "/api/v1/stock/items", json={"name": "Другой", "barcode": "4607001234567"}
    )
    assert twin.status_code == 409
    bad = await client.post(
        "/api/v1/stock/items", json={"name": "Провод", "unit": "шт", "min_level": "0.5"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "min_level"
    wire = await client.post(
        "/api/v1/stock/items", json={"name": "Провод", "unit": "м", "min_level": "0.5"}
    )
    assert wire.status_code == 201 and wire.json()["whole"] is False
    pages = (await client.get("/api/v1/stock/items", params={"limit": 2})).json()
    assert [x["name"] for x in pages["items"]] == ["Насос сливной", "Провод"]
    rest = (
        await client.get("/api/v1/stock/items", params={"limit": 2, "cursor": pages["next"]})
    ).json()
    assert [x["name"] for x in rest["items"]] == ["Ремень приводной"] and rest["next"] is None
