"""An order's parts: a part line from a store is reserved there (what the store lacks waits and
is held when stock arrives), written off into the order when it becomes «Ready», returned when
the line goes; a part from a master's van is written off at once, and refused when the van has
none; cancelling an order frees its reservations; the card shows the margin."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar

from server.orders.tables import OrderType
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.requests.builders import error_fields
from tests.server.stock.conftest import storekeeper_role
from tests.server.stock.helpers import (
    add_line,
    item,
    level,
    move_order,
    order_lines,
    receive,
    warehouse,
)
from tests.server.web.test_pages import csrf_of


async def test_a_store_part_is_reserved_waits_for_stock_and_is_written_off_when_ready(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    pump = await price_item("P-PUMP")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, pump["name"], price_item_id=pump["id"], article="ASK-1")
    await receive(client, store["id"], kept["id"], "1", "1000")
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    assert (await move_order(client, order["id"], "diagnostics")).status_code == 200
    added = await add_line(
        client, order["id"], price_item_id=pump["id"], quantity="2", warehouse_id=store["id"]
    )
    assert added.status_code in (200, 201), added.text
    part = (await order_lines(client, order["id"]))[0]
    assert part["warehouse_id"] == store["id"]
    assert (part["stock"]["held"], part["stock"]["waiting"]) == ("1.000", "1.000")
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and (shelf["on_hand"], shelf["reserved"]) == ("1.000", "1.000")
    short = (await client.get("/api/v1/stock/shortages")).json()["items"]
    assert [(s["item_id"], s["waiting"], s["orders"]) for s in short] == [
        (kept["id"], "1.000", [order["number"]])
    ]

    await add_line(client, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
    assert (await move_order(client, order["id"], "in_repair")).status_code == 200
    early = await move_order(client, order["id"], "ready")
    assert early.status_code == 409 and error_fields(early) == {"status"}
    assert pump["name"] in early.text
    await receive(client, store["id"], kept["id"], "3", "1200")  # the waiting unit is held now
    part = (await order_lines(client, order["id"]))[0]
    assert (part["stock"]["held"], part["stock"]["waiting"]) == ("2.000", "0.000")
    assert (await move_order(client, order["id"], "ready")).status_code == 200
    part = (await order_lines(client, order["id"]))[0]
    assert part["stock"]["consumed"] == "2.000"
    assert part["margin"] == "1500.00"  # 2 × 1900 sold, 2 × 1150 average cost
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and (shelf["on_hand"], shelf["reserved"]) == ("2.000", "0.000")
    written = (await client.get("/api/v1/stock/documents", params={"order_id": order["id"]})).json()
    assert [(d["kind"], d["order_number"]) for d in written["items"]] == [
        ("consumption", order["number"])
    ]

    assert (await move_order(client, order["id"], "in_repair")).status_code == 200
    gone = await client.delete(f"/api/v1/orders/{order['id']}/lines/{part['id']}")
    assert gone.status_code in (200, 204), gone.text
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and shelf["on_hand"] == "4.000"
    kinds = [
        d["kind"]
        for d in (
            await client.get("/api/v1/stock/documents", params={"order_id": order["id"]})
        ).json()["items"]
    ]
    assert kinds == ["order_return", "consumption"]


async def test_a_part_from_the_van_is_written_off_at_once_and_refused_when_the_van_has_none(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    master = await make_employee("field1", roles=["field_technician"])
    pump = await price_item("P-PUMP")
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master.id)
    kept = await item(admin, pump["name"], price_item_id=pump["id"])
    await receive(admin, store["id"], kept["id"], "5", "1000")
    moved = await admin.post(
        "/api/v1/stock/documents",
        json={
            "kind": "transfer",
            "warehouse_id": store["id"],
            "to_warehouse_id": van["id"],
            "lines": [{"item_id": kept["id"], "quantity": "1"}],
        },
    )
    assert moved.status_code == 201, moved.text
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order = await intake(
        admin, await make_client(), order_type_id=field["id"], technician_id=master.id
    )

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50004))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        used = await add_line(phone, order["id"], price_item_id=pump["id"], warehouse_id=van["id"])
        assert used.status_code in (200, 201), used.text
        part = (await order_lines(phone, order["id"]))[0]
        assert (
            part["stock"]["consumed"] == "1.000"
            and part["stock"]["warehouse_name"] == "Фургон Петрова"
        )
        assert "margin" not in part  # a field master does not see purchase prices
        none_left = await add_line(
            phone, order["id"], price_item_id=pump["id"], warehouse_id=van["id"]
        )
        assert none_left.status_code == 409 and error_fields(none_left) == {"quantity"}, (
            none_left.text
        )
        assert len(await order_lines(phone, order["id"])) == 1  # the refused line was not kept
        foreign = await add_line(
            phone, order["id"], price_item_id=pump["id"], warehouse_id=store["id"]
        )
        assert foreign.status_code == 404 and error_fields(foreign) == {"warehouse_id"}
        service = await add_line(
            phone,
            order["id"],
            price_item_id=(await price_item("VISIT"))["id"],
            warehouse_id=van["id"],
        )
        assert service.status_code == 422 and error_fields(service) == {"warehouse_id"}
    in_van = await level(admin, van["id"], kept["id"])
    assert in_van is not None and in_van["on_hand"] == "0.000"


async def test_cancelling_an_order_frees_what_was_reserved_for_it(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    glass = await price_item("G-GLASS")
    store = await warehouse(client, "Витрина")
    kept = await item(client, glass["name"], kind="good", price_item_id=glass["id"])
    await receive(client, store["id"], kept["id"], "2", "150")
    order = await intake(client, await make_client())
    added = await add_line(
        client, order["id"], price_item_id=glass["id"], quantity="2", warehouse_id=store["id"]
    )
    assert added.status_code in (200, 201), added.text
    unkept = await add_line(
        client,
        order["id"],
        price_item_id=(await price_item("G-CASE"))["id"],
        warehouse_id=store["id"],
    )
    assert unkept.status_code == 422 and error_fields(unkept) == {"warehouse_id"}
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and shelf["reserved"] == "2.000"
    assert (await move_order(client, order["id"], "cancelled")).status_code == 200
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and (shelf["on_hand"], shelf["reserved"]) == ("2.000", "0.000")


async def test_the_card_takes_a_part_from_a_warehouse_and_shows_where_it_stands(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    pump = await price_item("P-PUMP")
    store = await warehouse(client, "Главный склад")
    await item(client, pump["name"], price_item_id=pump["id"])
    order = await intake(client, await make_client())
    card = await client.get(f"/orders/{order['id']}")
    assert 'name="warehouse_id"' in card.text and "Главный склад" in card.text
    form = {
        "_csrf_token": csrf_of(card.text),
        "price_item_id": str(pump["id"]),
        "quantity": "1.5",
        "warehouse_id": str(store["id"]),
    }
    refused = await client.post(f"/orders/{order['id']}/lines", data=form)
    assert refused.status_code == 400
    assert 'id="e-quantity"' in refused.text and 'value="1.5"' in refused.text  # kept as typed
    form["quantity"] = "1"
    added = await client.post(f"/orders/{order['id']}/lines", data=form, follow_redirects=True)
    assert added.status_code == 200
    stock_line = re.search(
        r'data-testid="line-stock">([^<]*)<span class="badge off">([^<]*)<', added.text
    )
    assert stock_line is not None, added.text
    assert "Главный склад" in stock_line.group(1) and "1" in stock_line.group(2)


async def test_a_field_master_finishes_an_order_whose_part_the_office_reserved_in_a_store(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    master = await make_employee("field1", roles=["field_technician"])
    pump = await price_item("P-PUMP")
    store = await warehouse(admin, "Главный склад")
    kept = await item(admin, pump["name"], price_item_id=pump["id"])
    await receive(admin, store["id"], kept["id"], "1", "1000")
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order = await intake(
        admin, await make_client(), order_type_id=field["id"], technician_id=master.id
    )
    added = await add_line(admin, order["id"], price_item_id=pump["id"], warehouse_id=store["id"])
    assert added.status_code in (200, 201), added.text
    await add_line(admin, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
    for status in ("scheduled", "in_repair"):
        assert (await move_order(admin, order["id"], status)).status_code == 200
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50005))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        done = await move_order(phone, order["id"], "ready")
        assert done.status_code == 200, done.text  # he does not see the store, yet may finish
        part = (await order_lines(phone, order["id"]))[0]
        assert part["stock"]["consumed"] == "1.000"
        assert part["stock"]["warehouse_name"] != "Главный склад"  # a store he does not see
    shelf = await level(admin, store["id"], kept["id"])
    assert shelf is not None and shelf["on_hand"] == "0.000"


async def test_a_master_who_may_uses_a_part_the_van_lacks_and_it_goes_in_when_issued(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    await storekeeper_role("issues_later", special=("issue_later",))
    master = await make_employee("field1", roles=["field_technician", "issues_later"])
    pump = await price_item("P-PUMP")
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master.id)
    kept = await item(admin, pump["name"], price_item_id=pump["id"])
    await receive(admin, store["id"], kept["id"], "5", "1000")
    await _transfer(admin, store["id"], van["id"], kept["id"], "1")
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order = await intake(
        admin, await make_client(), order_type_id=field["id"], technician_id=master.id
    )
    for status in ("scheduled", "in_repair"):
        assert (await move_order(admin, order["id"], status)).status_code == 200

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50006))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        pull = (await phone.get("/api/v1/sync/pull")).json()
        assert pull["van"]["issue_later"] is True
        used = await add_line(
            phone, order["id"], price_item_id=pump["id"], quantity="3", warehouse_id=van["id"]
        )
        assert used.status_code in (200, 201), used.text
        stock = (await order_lines(phone, order["id"]))[0]["stock"]
        assert (stock["consumed"], stock["waiting"]) == ("1.000", "2.000")
        short = (await admin.get("/api/v1/stock/shortages")).json()["items"]
        assert [(s["item_id"], s["waiting"], s["orders"]) for s in short] == [
            (kept["id"], "2.000", [order["number"]])
        ]
        await add_line(phone, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
        done = await move_order(phone, order["id"], "ready")
        assert done.status_code == 200, done.text  # used already: the issue does not hold it up
    issue = (await admin.get("/api/v1/stock/to-issue")).json()["items"]
    assert [
        (t["warehouse_name"], t["item_id"], t["quantity"], t["order_number"]) for t in issue
    ] == [("Фургон Петрова", kept["id"], "2.000", order["number"])]
    page = await admin.get("/stock/shortages")
    assert page.status_code == 200
    row = page.text.split(f'data-testid="to-issue-{van["id"]}-{kept["id"]}"', 1)[1].split("</tr>")[
        0
    ]
    assert "Фургон Петрова" in row and order["number"] in row and "2 шт" in row

    await _transfer(admin, store["id"], van["id"], kept["id"], "1")
    stock = (await order_lines(admin, order["id"]))[0]["stock"]
    assert (stock["consumed"], stock["waiting"]) == ("2.000", "1.000")
    await _transfer(admin, store["id"], van["id"], kept["id"], "2")
    stock = (await order_lines(admin, order["id"]))[0]["stock"]
    assert (stock["consumed"], stock["waiting"]) == ("3.000", "0.000")
    in_van = await level(admin, van["id"], kept["id"])
    assert in_van is not None and (in_van["on_hand"], in_van["reserved"]) == ("1.000", "0.000")
    written = (await admin.get("/api/v1/stock/documents", params={"order_id": order["id"]})).json()
    assert [d["kind"] for d in written["items"]] == ["consumption"] * 3
    assert (await admin.get("/api/v1/stock/shortages")).json()["items"] == []
    assert (await admin.get("/api/v1/stock/to-issue")).json()["items"] == []


async def _transfer(
    client: httpx.AsyncClient, source: int, van: int, item_id: int, quantity: str
) -> None:
    moved = await client.post(
        "/api/v1/stock/documents",
        json={
            "kind": "transfer",
            "warehouse_id": source,
            "to_warehouse_id": van,
            "lines": [{"item_id": item_id, "quantity": quantity}],
        },
    )
    assert moved.status_code == 201, moved.text
