"""Serial numbers of an order's parts: a serial-tracked part line carries the serial chosen from
those on its warehouse's shelf, the write-off into the order takes exactly that serial (the
order cannot reach «Ready» while a line has none), a serial not on the shelf is refused at the
field, the serial shows on the order's line and in the item's history, and goes back with the
line. From a van (the phone's sync), the master names the serial used."""

from __future__ import annotations

from typing import Any

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
    post,
    warehouse,
)
from tests.server.sync.builders import mutation, push
from tests.server.web.test_pages import csrf_of


async def _choose(
    client: httpx.AsyncClient, order_id: int, line_id: int, *serials: str
) -> httpx.Response:
    return await client.put(
        f"/api/v1/orders/{order_id}/lines/{line_id}/serials", json={"serials": list(serials)}
    )


async def _receive(client: httpx.AsyncClient, store_id: int, item_id: int, *serials: str) -> None:
    answer = await post(
        client,
        "receipt",
        store_id,
        {"item_id": item_id, "quantity": str(len(serials)), "unit_cost": "5000",
         "serials": list(serials)},
        supplier="ООО Запчасть",
    )  # fmt: skip
    assert answer.status_code == 201, answer.text


async def _write_off(client: httpx.AsyncClient, store_id: int, item_id: int, serial: str) -> Any:
    return await post(
        client,
        "write_off",
        store_id,
        {"item_id": item_id, "quantity": "1", "serials": [serial]},
        reason="Брак",
    )


async def test_a_serial_tracked_part_is_written_off_into_the_order_with_its_chosen_serial(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    board = await price_item("P-LCD")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, board["name"], price_item_id=board["id"], serial_tracked=True)
    await _receive(client, store["id"], kept["id"], "SN-1", "SN-2")
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    other = await intake(client, client_id, device_id=await make_device(client_id))
    assert (await move_order(client, order["id"], "diagnostics")).status_code == 200

    wrong = await add_line(
        client, order["id"], price_item_id=board["id"], warehouse_id=store["id"],
        serials=["SN-9"],
    )  # fmt: skip
    assert wrong.status_code == 409 and error_fields(wrong) == {"serials"}, wrong.text
    assert "SN-9" in wrong.text and await order_lines(client, order["id"]) == []
    added = await add_line(client, order["id"], price_item_id=board["id"], warehouse_id=store["id"])
    assert added.status_code in (200, 201), added.text
    part = (await order_lines(client, order["id"]))[0]
    assert part["stock"]["serials"] == [] and part["stock"]["serial_choices"] == ["SN-1", "SN-2"]
    card = await client.get(f"/orders/{order['id']}")
    assert 'data-testid="line-serials-form"' in card.text and '<option value="SN-2">' in card.text
    await add_line(client, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
    assert (await move_order(client, order["id"], "in_repair")).status_code == 200

    refused = await move_order(client, order["id"], "ready")
    assert refused.status_code == 409 and error_fields(refused) == {"status"}
    assert board["name"] in refused.text
    absent = await _choose(client, order["id"], part["id"], "SN-9")
    assert (
        absent.status_code == 409 and error_fields(absent) == {"serials"} and "SN-9" in absent.text
    )
    too_many = await _choose(client, order["id"], part["id"], "SN-1", "SN-2")
    assert too_many.status_code == 422 and error_fields(too_many) == {"serials"}
    form = {"_csrf_token": csrf_of(card.text), "serials": "SN-2"}
    chosen = await client.post(
        f"/orders/{order['id']}/lines/{part['id']}/serials", data=form, follow_redirects=True
    )
    assert chosen.status_code == 200 and 'data-testid="line-serials">' in chosen.text
    assert "SN-2" in chosen.text.split('data-testid="line-serials">', 1)[1].split("<")[0]
    part = (await order_lines(client, order["id"]))[0]
    assert part["stock"]["serials"] == ["SN-2"] and part["stock"]["serial_choices"] is None
    taken = await add_line(
        client, other["id"], price_item_id=board["id"], warehouse_id=store["id"],
        serials=["SN-2"],
    )  # fmt: skip
    assert taken.status_code == 409 and error_fields(taken) == {"serials"}, taken.text
    kept_by_order = await _write_off(client, store["id"], kept["id"], "SN-2")
    assert kept_by_order.status_code == 409, kept_by_order.text  # chosen for the order

    assert (await move_order(client, order["id"], "ready")).status_code == 200
    part = (await order_lines(client, order["id"]))[0]
    assert part["stock"]["consumed"] == "1.000" and part["stock"]["serials"] == ["SN-2"]
    written = (await client.get("/api/v1/stock/documents", params={"order_id": order["id"]})).json()
    document = (await client.get(f"/api/v1/stock/documents/{written['items'][0]['id']}")).json()
    assert [line["serials"] for line in document["lines"]] == [["SN-2"]]
    history = (await client.get(f"/api/v1/stock/items/{kept['id']}/moves")).json()["items"]
    assert [(m["document_kind"], m["serials"]) for m in history] == [
        ("consumption", ["SN-2"]),
        ("receipt", ["SN-1", "SN-2"]),
    ]
    page = await client.get(f"/stock/items/{kept['id']}")
    assert page.status_code == 200 and 'data-testid="move-serials"' in page.text
    gone = await _write_off(client, store["id"], kept["id"], "SN-2")
    assert gone.status_code == 409 and error_fields(gone) == {"lines.0.serials"}, gone.text

    assert (await move_order(client, order["id"], "in_repair")).status_code == 200
    back = await client.delete(f"/api/v1/orders/{order['id']}/lines/{part['id']}")
    assert back.status_code in (200, 204), back.text
    returned = await _write_off(client, store["id"], kept["id"], "SN-2")
    assert returned.status_code == 201, returned.text  # back on the shelf with the line
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and shelf["on_hand"] == "1.000"


async def test_a_serial_given_with_the_line_is_reserved_and_written_off_at_once_when_ready(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    board = await price_item("P-LCD")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, board["name"], price_item_id=board["id"], serial_tracked=True)
    await _receive(client, store["id"], kept["id"], "SN-1", "SN-2")
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    for status in ("diagnostics", "in_repair"):
        assert (await move_order(client, order["id"], status)).status_code == 200
    await add_line(client, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
    added = await add_line(
        client, order["id"], price_item_id=board["id"], warehouse_id=store["id"],
        serials=[" SN-1 "],
    )  # fmt: skip
    assert added.status_code in (200, 201), added.text
    part = next(x for x in await order_lines(client, order["id"]) if x.get("stock"))
    assert part["stock"]["serials"] == ["SN-1"]
    assert (await move_order(client, order["id"], "ready")).status_code == 200
    # in «Ready», a part line is written off at once: its serial is required
    bare = await add_line(client, order["id"], price_item_id=board["id"], warehouse_id=store["id"])
    assert bare.status_code == 422 and error_fields(bare) == {"serials"}, bare.text
    now = await add_line(
        client, order["id"], price_item_id=board["id"], warehouse_id=store["id"],
        serials=["SN-2"],
    )  # fmt: skip
    assert now.status_code in (200, 201), now.text
    serials = sorted(
        x["stock"]["serials"][0] for x in await order_lines(client, order["id"]) if x.get("stock")
    )
    assert serials == ["SN-1", "SN-2"]
    shelf = await level(client, store["id"], kept["id"])
    assert shelf is not None and shelf["on_hand"] == "0.000"


async def test_the_master_names_the_serial_of_a_van_part_through_the_sync(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    master = await make_employee("field1", roles=["field_technician"])
    board = await price_item("P-LCD")
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master.id)
    kept = await item(admin, board["name"], price_item_id=board["id"], serial_tracked=True)
    await _receive(admin, store["id"], kept["id"], "SN-1", "SN-2")
    moved = await admin.post(
        "/api/v1/stock/documents",
        json={"kind": "transfer", "warehouse_id": store["id"], "to_warehouse_id": van["id"],
              "lines": [{"item_id": kept["id"], "quantity": "1", "serials": ["SN-2"]}]},
    )  # fmt: skip
    assert moved.status_code == 201, moved.text
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order = await intake(
        admin, await make_client(), order_type_id=field["id"], technician_id=master.id
    )

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50007))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        pull = (await phone.get("/api/v1/sync/pull")).json()
        [in_van] = pull["van"]["items"]
        assert (in_van["serial_tracked"], in_van["serials"]) == (True, ["SN-2"])
        line = {"price_item_id": board["id"], "quantity": "1", "warehouse_id": van["id"]}
        bare, elsewhere, used = await push(
            phone,
            mutation("order.line", order["id"], line),
            mutation("order.line", order["id"], {**line, "serials": ["SN-1"]}),
            mutation("order.line", order["id"], {**line, "serials": ["SN-2"]}),
        )
        assert (bare["result"], bare["field"]) == ("rejected", "serials"), bare
        assert (elsewhere["result"], elsewhere["field"]) == ("rejected", "serials"), elsewhere
        assert "SN-1" in elsewhere["reason"] and "Фургон Петрова" in elsewhere["reason"]
        assert used["result"] == "applied", used
        [part] = await order_lines(phone, order["id"])
        assert (part["stock"]["consumed"], part["stock"]["serials"]) == ("1.000", ["SN-2"])
        assert (await phone.get("/api/v1/sync/pull")).json()["van"]["items"] == []
    in_van_level = await level(admin, van["id"], kept["id"])
    assert in_van_level is not None and in_van_level["on_hand"] == "0.000"


async def test_a_serial_part_used_before_the_van_had_it_goes_in_with_its_serial_when_issued(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    await storekeeper_role("issues_later", special=("issue_later",))
    master = await make_employee("field1", roles=["field_technician", "issues_later"])
    board = await price_item("P-LCD")
    store = await warehouse(admin, "Главный склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master.id)
    kept = await item(admin, board["name"], price_item_id=board["id"], serial_tracked=True)
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order = await intake(
        admin, await make_client(), order_type_id=field["id"], technician_id=master.id
    )
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50008))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        used = await add_line(
            phone, order["id"], price_item_id=board["id"], warehouse_id=van["id"],
            serials=["SN-7"],
        )  # fmt: skip
        assert used.status_code in (200, 201), used.text
        [part] = await order_lines(phone, order["id"])
        assert (part["stock"]["waiting"], part["stock"]["serials"]) == ("1.000", ["SN-7"])
    await _receive(admin, store["id"], kept["id"], "SN-6", "SN-7")
    moved = await admin.post(
        "/api/v1/stock/documents",
        json={"kind": "transfer", "warehouse_id": store["id"], "to_warehouse_id": van["id"],
              "lines": [{"item_id": kept["id"], "quantity": "2", "serials": ["SN-6", "SN-7"]}]},
    )  # fmt: skip
    assert moved.status_code == 201, moved.text
    [part] = await order_lines(admin, order["id"])
    assert (part["stock"]["consumed"], part["stock"]["serials"]) == ("1.000", ["SN-7"])
    used_up = await post(
        admin, "write_off", van["id"],
        {"item_id": kept["id"], "quantity": "1", "serials": ["SN-7"]}, reason="Брак",
    )  # fmt: skip
    assert used_up.status_code == 409, used_up.text  # SN-7 went into the order, SN-6 stays


async def test_units_received_before_the_item_was_serial_tracked_are_named_once_each(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    board = await price_item("P-LCD")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, board["name"], price_item_id=board["id"])
    line = {"item_id": kept["id"], "quantity": "2", "unit_cost": "900"}
    answer = await post(client, "receipt", store["id"], line, supplier="ООО Запчасть")
    assert answer.status_code == 201, answer.text
    tracked = await client.patch(f"/api/v1/stock/items/{kept['id']}", json={"serial_tracked": True})
    assert tracked.status_code == 200 and tracked.json()["serial_tracked"] is True, tracked.text
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    for status in ("diagnostics", "in_repair"):
        assert (await move_order(client, order["id"], status)).status_code == 200
    await add_line(client, order["id"], price_item_id=(await price_item("WASH-PUMP"))["id"])
    added = await add_line(
        client, order["id"], price_item_id=board["id"], warehouse_id=store["id"],
        serials=["OLD-1"],
    )  # fmt: skip
    assert added.status_code in (200, 201), added.text  # one of the two units without a serial
    other = await _write_off(client, store["id"], kept["id"], "OLD-2")
    assert other.status_code == 201, other.text  # the other one
    assert (await move_order(client, order["id"], "ready")).status_code == 200
    part = next(x for x in await order_lines(client, order["id"]) if x.get("stock"))
    assert (part["stock"]["consumed"], part["stock"]["serials"]) == ("1.000", ["OLD-1"])
    await _receive(client, store["id"], kept["id"], "NEW-1")
    none_left = await _write_off(client, store["id"], kept["id"], "OLD-3")
    assert none_left.status_code == 409 and error_fields(none_left) == {"lines.0.serials"}
