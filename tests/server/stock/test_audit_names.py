"""The audit log names stock and purchasing records as orders are named: «Заказ поставщику
ЗП-000001», «Поступление от поставщика ПР-000001», «Склад «…»», linked to their pages, with
fields labelled and codes translated — no raw key — and only to those who see the section."""

from __future__ import annotations

import datetime as dt
import re

import httpx
from litestar import Litestar

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.purchasing.helpers import draft, move, receive, supplier
from tests.server.stock.helpers import item, warehouse
from tests.server.stock.helpers import receive as receive_by_hand


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" :", ":")


async def test_the_audit_log_names_and_links_stock_and_purchasing_records(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    admin = admin_client
    store = await warehouse(admin, "Главный склад")
    kept = await item(admin, "Насос сливной", article="ASK-1", min_level="2")
    changed = await admin.patch(f"/api/v1/stock/items/{kept['id']}", json={"min_level": "3"})
    assert changed.status_code == 200, changed.text
    receipt = await receive_by_hand(admin, store["id"], kept["id"], "1", "700")
    firm = await supplier(admin, "ООО Насосы")
    ordered = await draft(
        admin,
        firm["id"],
        store["id"],
        {"item_id": kept["id"], "quantity": "2", "unit_price": "900"},
    )
    assert (await move(admin, ordered["id"], "sent")).status_code == 200
    line = ordered["lines"][0]
    got = await receive(admin, ordered["id"], {"line_id": line["id"], "quantity": "2"})
    assert got.status_code == 200, got.text

    page = await admin.get("/audit")
    assert page.status_code == 200
    text = _text(page.text)
    for title, url in (
        (f"Заказ поставщику {ordered['number']}", f"/purchasing/{ordered['id']}"),
        (f"Поступление от поставщика {receipt['number']}", f"/stock/documents/{receipt['id']}"),
        ("Складская позиция «Насос сливной»", f"/stock/items/{kept['id']}"),
        ("Склад «Главный склад»", "/stock/warehouses"),
        ("Поставщик «ООО Насосы»", f"/purchasing/suppliers/{firm['id']}"),
    ):
        assert title in text, title
        assert f'href="{url}" data-testid="audit-record">{title}<' in page.text, url
    for said in (
        "Проведён",
        "Принят товар",
        "Статус: Черновик → Отправлен поставщику",
        "Минимальный остаток: 2 → 3",
        "Вид: Поступление от поставщика",
        "Склад: Главный склад",
        "Поставщик: ООО Насосы",
    ):
        assert said in text, said
    for raw in (
        "stock_document", "supplier_order", "stock_item", "min_level", "receipt", "partly_received",
        "warehouse_id", "supplier_id", "post ", "receive ",
    ):  # fmt: skip
        assert raw not in text, raw
    listed = (await admin.get("/api/v1/audit", params={"entity": "supplier_order"})).json()
    assert {i["title"] for i in listed["items"]} == {f"Заказ поставщику {ordered['number']}"}

    now = dt.datetime.now(dt.UTC)
    await Role(
        code="auditor", name="Аудитор", description="", is_builtin=False,
        permissions={"audit": ["view"]}, field_permissions={}, created_at=now, updated_at=now,
    ).save()  # fmt: skip
    await make_employee("auditor", roles=["auditor"])
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50010))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        await login_as(http, "auditor")
        theirs = await http.get("/audit")
        assert theirs.status_code == 200
        for hidden in (ordered["number"], receipt["number"], "Насос сливной", "ООО Насосы"):
            assert hidden not in theirs.text, hidden
