"""The rules around supplier orders: who may do what (a field master gets 403, a receiver only
reads), cancelling only before anything arrived, the list's filters and signed cursor, a line's
repair order hidden from one who may not see that repair, a field repair moved on to «Visit
scheduled», and the XLSX export with the list's filters."""

from __future__ import annotations

import io

import httpx
from openpyxl import load_workbook

from server.orders.tables import OrderType
from tests.server.builders import login_as, make_employee
from tests.server.purchasing.helpers import (
    ORDERS,
    draft,
    move,
    order_part,
    receive,
    repair_waiting,
    stocked,
    supplier,
    supplier_order,
)
from tests.server.requests.builders import error_fields


async def test_a_field_master_gets_403_and_a_receiver_only_reads(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    stock = await stocked(client)
    firm = await supplier(client)
    made = await draft(client, firm["id"], stock.store["id"])
    await make_employee("field1", roles=["field_technician"])
    await make_employee("recv", roles=["receiver"])
    await login_as(client, "field1")
    for url in (ORDERS, f"{ORDERS}/{made['id']}", "/api/v1/purchasing/suppliers"):
        assert (await client.get(url)).status_code == 403, url
    await login_as(client, "recv")
    assert (await client.get(f"{ORDERS}/{made['id']}")).status_code == 200
    body = {"supplier_id": firm["id"], "warehouse_id": stock.store["id"]}
    assert (await client.post(ORDERS, json=body)).status_code == 403
    assert (
        await client.post("/api/v1/purchasing/suppliers", json={"name": "X"})
    ).status_code == 403
    assert (await move(client, made["id"], "sent")).status_code == 403
    assert (await client.get(f"{ORDERS}.xlsx")).status_code == 403


async def test_cancel_only_before_anything_arrived(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    stock = await stocked(client)
    firm = await supplier(client)
    line = {"item_id": stock.item["id"], "quantity": "2", "unit_price": "500"}
    empty = await draft(client, firm["id"], stock.store["id"])
    unsent = await move(client, empty["id"], "sent")
    assert unsent.status_code == 409 and error_fields(unsent) == {"status"}
    assert (await move(client, empty["id"], "cancelled")).json()["status"] == "cancelled"
    assert (await move(client, empty["id"], "sent")).status_code == 409
    sent = await draft(client, firm["id"], stock.store["id"], line)
    assert (await move(client, sent["id"], "sent")).status_code == 200
    assert (await move(client, sent["id"], "confirmed")).json()["next_statuses"] == ["cancelled"]
    got = await receive(client, sent["id"], {"line_id": sent["lines"][0]["id"], "quantity": "1"})
    assert got.status_code == 200, got.text
    refused = await move(client, sent["id"], "cancelled")
    assert refused.status_code == 409 and error_fields(refused) == {"status"}
    unknown = await move(client, sent["id"], "flying")
    assert unknown.status_code == 422 and error_fields(unknown) == {"status"}
    closed = await draft(client, firm["id"], stock.store["id"], line)
    early = await receive(
        client, closed["id"], {"line_id": closed["lines"][0]["id"], "quantity": "1"}
    )
    assert early.status_code == 409 and error_fields(early) == {"status"}, "a draft is not sent"


async def test_the_list_filters_and_pages_with_a_signed_cursor(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    stock = await stocked(client)
    first, second = await supplier(client, "ООО Насосы"), await supplier(client, "ИП Петров")
    made = [await draft(client, s["id"], stock.store["id"]) for s in (first, second, first)]
    page = (await client.get(ORDERS, params={"limit": 2})).json()
    assert [o["number"] for o in page["items"]] == ["ЗП-000003", "ЗП-000002"]
    rest = (await client.get(ORDERS, params={"limit": 2, "cursor": page["next"]})).json()
    assert [o["number"] for o in rest["items"]] == ["ЗП-000001"] and rest["next"] is None
    damaged = await client.get(ORDERS, params={"cursor": page["next"][:-2] + "xx"})
    assert damaged.status_code == 422 and error_fields(damaged) == {"cursor"}
    mine = (await client.get(ORDERS, params={"supplier_id": first["id"]})).json()["items"]
    assert [o["id"] for o in mine] == [made[2]["id"], made[0]["id"]]
    found = (await client.get(ORDERS, params={"q": "петров"})).json()["items"]
    assert [o["id"] for o in found] == [made[1]["id"]]
    await move(client, made[1]["id"], "cancelled")
    cancelled = (await client.get(ORDERS, params={"status": "cancelled"})).json()["items"]
    assert [o["id"] for o in cancelled] == [made[1]["id"]]
    bad = await client.get(ORDERS, params={"status": "lost"})
    assert bad.status_code == 400 or bad.status_code == 422


async def test_a_repair_out_of_scope_is_not_named(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    stock = await stocked(client)
    firm = await supplier(client)
    tech1 = await make_employee("tech1", roles=["technician"])
    tech2 = await make_employee("tech2", roles=["technician"])
    mine, my_line = await repair_waiting(client, stock, "1", technician_id=tech1.id)
    theirs, their_line = await repair_waiting(client, stock, "1", technician_id=tech2.id)
    await order_part(client, mine["id"], my_line["id"], supplier_id=firm["id"])
    done = (await order_part(client, theirs["id"], their_line["id"])).json()
    await login_as(client, "tech1")
    seen = await supplier_order(client, done["supplier_order_id"])
    repairs = [line["repair"] for line in seen["lines"]]
    assert repairs[0]["order_number"] == mine["number"]
    assert repairs[1] == {"hidden": True}
    assert theirs["number"] not in str(seen)
    found = (await client.get(ORDERS, params={"q": theirs["number"]})).json()["items"]
    assert found == [], "a repair one does not see finds nothing"
    page = await client.get(f"/purchasing/{done['supplier_order_id']}")
    assert theirs["number"] not in page.text and mine["number"] in page.text
    refused = await order_part(client, theirs["id"], their_line["id"])
    assert refused.status_code == 404


async def test_a_field_repair_moves_on_to_the_scheduled_visit(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    stock = await stocked(client)
    firm = await supplier(client)
    master = await make_employee("field1", roles=["field_technician"])
    field = await OrderType.select(OrderType.id).where(OrderType.code == "field").first()
    assert field is not None
    order, part = await repair_waiting(
        client, stock, "1", order_type_id=field["id"], technician_id=master.id, status="scheduled"
    )
    assert (await client.post(f"/api/v1/orders/{order['id']}/status",
                              json={"status": "in_repair"})).status_code == 200  # fmt: skip
    done = (await order_part(client, order["id"], part["id"], supplier_id=firm["id"])).json()
    assert done["repair_moved"] and done["repair_status"]
    await move(client, done["supplier_order_id"], "sent")
    line = (await supplier_order(client, done["supplier_order_id"]))["lines"][0]
    got = await receive(client, done["supplier_order_id"], {"line_id": line["id"], "quantity": "1"})
    assert got.json()["repairs_moved"] == [order["number"]]
    state = (await client.get(f"/api/v1/orders/{order['id']}")).json()["status"]["code"]
    assert state == "scheduled"


async def test_the_export_has_a_row_per_line_with_the_filters(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    stock = await stocked(client)
    firm, other = await supplier(client, "ООО Насосы"), await supplier(client, "ИП Петров")
    line = {"item_id": stock.item["id"], "quantity": "2", "unit_price": "1250.50"}
    await draft(client, firm["id"], stock.store["id"], line, line)
    await draft(client, other["id"], stock.store["id"], line)
    answer = await client.get(f"{ORDERS}.xlsx", params={"supplier_id": firm["id"]})
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Номер", "Статус", "Поставщик")
    assert [(r[0], r[2], r[6], r[9], r[11], r[12]) for r in rows[1:]] == [
        ("ЗП-000001", "ООО Насосы", stock.item["name"], 2, 1250.5, 2501)
    ] * 2


async def test_an_item_or_warehouse_a_supplier_order_names_is_not_deleted(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    stock = await stocked(client)
    seller = await supplier(client)
    line = {"item_id": stock.item["id"], "quantity": "1", "unit_price": "900"}
    await draft(client, seller["id"], stock.store["id"], line)
    item = await client.delete(f"/api/v1/stock/items/{stock.item['id']}")
    assert item.status_code == 409 and "Заказы поставщикам" in item.text, item.text
    store = await client.delete(f"/api/v1/stock/warehouses/{stock.store['id']}")
    assert store.status_code == 409 and "Заказы поставщикам" in store.text, store.text
