"""Levels and the moves ledger as XLSX (stock:export): the rows of the list with its filters,
Russian headers; a viewer's export holds only the warehouses they see, costs only for whoever
may see them, orders only for whoever may read them; without the permission, 403."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import httpx
import pytest
from litestar import Litestar
from openpyxl import load_workbook

from server import clock
from server.staff.tables import Role
from server.stock import exports
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.stock.helpers import item, post, receive, warehouse


def sheet(answer: httpx.Response) -> list[tuple[Any, ...]]:
    """The rows of the workbook's sheet, its header first."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(exports.printforms.MEDIA_TYPES["xlsx"])
    assert "attachment" in answer.headers["content-disposition"]
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


async def _stock(admin: httpx.AsyncClient, master_id: int) -> dict[str, Any]:
    """Two stores and a van; a pump and a hose received, moved and written off; a pump
    written off from the van into an order."""
    main = await warehouse(admin, "Главный склад")
    spare = await warehouse(admin, "Запасной склад")
    van = await warehouse(admin, "Фургон Петрова", kind="van", master_id=master_id)
    priced = await price_item("P-PUMP")
    pump = await item(
        admin, "Насос сливной", article="ASK-1", min_level="5", price_item_id=priced["id"]
    )
    hose = await item(admin, "Шланг заливной", unit="м")
    await receive(admin, main["id"], pump["id"], "4", "1000")
    await receive(admin, spare["id"], hose["id"], "12.5", "80")
    for quantity, target in (("1", spare), ("2", van)):
        line = {"item_id": pump["id"], "quantity": quantity}
        assert (
            await post(admin, "transfer", main["id"], line, to_warehouse_id=target["id"])
        ).is_success
    client_id = await make_client()
    order = await intake(admin, client_id, device_id=await make_device(client_id))
    line = {"price_item_id": priced["id"], "quantity": "1", "warehouse_id": van["id"]}
    assert (await admin.post(f"/api/v1/orders/{order['id']}/lines", json=line)).status_code == 201
    return {"main": main, "spare": spare, "van": van, "pump": pump, "hose": hose, "order": order}


async def test_levels_and_moves_are_exported_with_the_filters_of_their_lists(
    admin_client: httpx.AsyncClient,
) -> None:
    admin = admin_client
    master = await make_employee("field1", roles=["field_technician"])
    made = await _stock(admin, master.id)
    rows = sheet(await admin.get("/api/v1/stock/levels.xlsx"))
    assert rows[0] == (
        "Позиция", "Артикул", "Склад", "Единица", "В наличии", "В резерве", "Свободно",
        "Минимум", "Средняя себестоимость",
    )  # fmt: skip
    listed = (await admin.get("/api/v1/stock/levels")).json()["items"]
    assert [(r[0], r[2], r[4]) for r in rows[1:]] == [
        (x["item_name"], x["warehouse_name"], float(x["on_hand"])) for x in listed
    ]
    hose = next(r for r in rows if r[0] == "Шланг заливной")
    assert hose[2:] == ("Запасной склад", "м", 12.5, 0, 12.5, 0, 80)
    one = {"warehouse_id": made["main"]["id"]}
    assert [r[2] for r in sheet(await admin.get("/api/v1/stock/levels.xlsx", params=one))[1:]] == [
        "Главный склад"
    ]
    found = sheet(await admin.get("/api/v1/stock/levels.xlsx", params={"q": "шланг"}))
    assert [r[0] for r in found[1:]] == ["Шланг заливной"]
    low = sheet(await admin.get("/api/v1/stock/levels.xlsx", params={"low": "true"}))
    assert {r[2] for r in low[1:]} == {"Главный склад", "Запасной склад", "Фургон Петрова"}
    assert {r[0] for r in low[1:]} == {"Насос сливной"}  # under its minimum of 5 everywhere

    moves = sheet(await admin.get("/api/v1/stock/moves.xlsx"))
    assert moves[0] == (
        "Когда", "Документ", "Вид", "Позиция", "Артикул", "Склад", "Количество", "Единица",
        "Остаток", "Себестоимость", "Заказ",
    )  # fmt: skip
    ledger = (await admin.get("/api/v1/stock/moves", params={"limit": 200})).json()["items"]
    assert [r[1] for r in moves[1:]] == [m["document_number"] for m in ledger]
    assert len(ledger) == 7  # 2 receipts, 2 transfers of 2 moves each, 1 write-off
    written_off = moves[1]
    assert written_off[2] == "Списание в заказ" and written_off[6] == -1
    assert written_off[10] == made["order"]["number"]
    at = written_off[0]
    assert isinstance(at, dt.datetime) and abs(
        at - clock.local(clock.now()).replace(tzinfo=None)
    ) < dt.timedelta(minutes=5)
    filters: list[tuple[dict[str, Any], int]] = [
        ({"kind": "receipt"}, 2),
        ({"warehouse_id": made["van"]["id"]}, 2),
        ({"item_id": made["hose"]["id"]}, 1),
        ({"q": "насос"}, 6),
        ({"date_from": clock.today().isoformat(), "date_to": clock.today().isoformat()}, 7),
        ({"date_from": (clock.today() + dt.timedelta(days=1)).isoformat()}, 0),
        ({"date_to": (clock.today() - dt.timedelta(days=1)).isoformat()}, 0),
    ]
    for params, count in filters:
        listed = (await admin.get("/api/v1/stock/moves", params=params)).json()["items"]
        exported = sheet(await admin.get("/api/v1/stock/moves.xlsx", params=params))[1:]
        assert len(listed) == len(exported) == count, params
        assert [r[1] for r in exported] == [m["document_number"] for m in listed], params
    period = {"date_from": "2020-01-01", "date_to": clock.today().isoformat(), "limit": 3}
    paged: list[int] = []
    while True:  # a period is read newest first by time, its cursor too
        page = (await admin.get("/api/v1/stock/moves", params=period)).json()
        paged += [m["id"] for m in page["items"]]
        if page["next"] is None:
            break
        period["cursor"] = page["next"]
    assert paged == [m["id"] for m in ledger]
    backwards = {"date_from": clock.today().isoformat(), "date_to": "2020-01-01"}
    refused = await admin.get("/api/v1/stock/moves.xlsx", params=backwards)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "date_to"


async def test_an_export_shows_only_what_its_viewer_may_see(
    admin_client: httpx.AsyncClient, app: Litestar, keeper: httpx.AsyncClient
) -> None:
    admin = admin_client
    now = dt.datetime.now(dt.UTC)
    await Role(
        code="van_keeper",
        name="Мастер с выгрузкой",
        description="",
        is_builtin=False,
        permissions={"stock": ["view", "export"], "special": []},
        field_permissions={"order_line.purchase_price": "hidden"},
        created_at=now,
        updated_at=now,
    ).save()
    master = await make_employee("field1", roles=["van_keeper"])
    made = await _stock(admin, master.id)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50005))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "field1")
        levels = sheet(await phone.get("/api/v1/stock/levels.xlsx"))
        assert "Средняя себестоимость" not in levels[0]
        assert [(r[0], r[2], r[4]) for r in levels[1:]] == [("Насос сливной", "Фургон Петрова", 1)]
        moves = sheet(await phone.get("/api/v1/stock/moves.xlsx"))
        assert "Себестоимость" not in moves[0]
        assert {r[5] for r in moves[1:]} == {"Фургон Петрова"} and len(moves) == 3
        text = " ".join(str(v) for row in levels + moves for v in row)
        assert "Главный склад" not in text and "Запасной склад" not in text
        assert made["order"]["number"] not in text  # no orders:view
        foreign = {"warehouse_id": made["main"]["id"]}
        for path in ("/api/v1/stock/levels.xlsx", "/api/v1/stock/moves.xlsx"):
            assert (await phone.get(path, params=foreign)).status_code == 404
        page = await phone.get("/stock")
        assert 'href="/api/v1/stock/levels.xlsx"' in page.text

    moves = sheet(await keeper.get("/api/v1/stock/moves.xlsx", params={"kind": "consumption"}))
    assert [(r[5], r[9], r[10]) for r in moves[1:]] == [("Фургон Петрова", 1000, "заказ скрыт")]


async def test_exports_need_the_export_permission(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    await make_employee("tech1", roles=["technician"])  # stock:view, no export
    store = await warehouse(admin_client, "Главный склад")
    pump = await item(admin_client, "Насос сливной")
    await receive(admin_client, store["id"], pump["id"], "1", "1000")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50006))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as tech:
        await login_as(tech, "tech1")
        for path in ("/api/v1/stock/levels.xlsx", "/api/v1/stock/moves.xlsx"):
            assert (await tech.get(path)).status_code == 403, path
        assert (await tech.get("/api/v1/stock/moves")).status_code == 200
        for page in ("/stock", "/stock/moves", f"/stock/items/{pump['id']}"):
            shown = await tech.get(page)
            assert shown.status_code == 200 and ".xlsx" not in shown.text, page
    for page, link in (
        (
            "/stock?q=насос&low=true",
            "/api/v1/stock/levels.xlsx?q=%D0%BD%D0%B0%D1%81%D0%BE%D1%81&amp;low=true",
        ),
        (f"/stock/items/{pump['id']}", f"/api/v1/stock/moves.xlsx?item_id={pump['id']}"),
        ("/stock/moves?kind=receipt&warehouse_id=", "/api/v1/stock/moves.xlsx?kind=receipt"),
    ):
        shown = await admin_client.get(page)
        assert f'href="{link}"' in shown.text, page


async def test_an_export_past_the_limit_is_refused(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await warehouse(admin_client, "Главный склад")
    for name in ("Насос", "Шланг"):
        await receive(admin_client, store["id"], (await item(admin_client, name))["id"], "1", "9")
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    for path in ("/api/v1/stock/levels.xlsx", "/api/v1/stock/moves.xlsx"):
        refused = await admin_client.get(path)
        assert refused.status_code == 422 and "сузьте отбор" in refused.text, path
    assert (
        len(sheet(await admin_client.get("/api/v1/stock/moves.xlsx", params={"q": "шланг"}))) == 2
    )
