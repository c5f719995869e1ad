"""The stock pages: levels with search, an item's card and history, a document typed into the
form (a wrong row shown at that row, with what was typed kept), and the warehouses page."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from server import clock
from tests.server.stock.helpers import item, receive, warehouse
from tests.server.web.test_pages import csrf_of


async def test_a_receipt_typed_into_the_form_is_posted_and_shown_everywhere(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    store = await warehouse(client, "Главный склад")
    pump = await item(client, "Насос сливной", article="ASK-1", unit="шт", min_level="5")
    hose = await item(client, "Шланг", unit="м")
    form = await client.get("/stock/documents/new", params={"kind": "receipt"})
    assert form.status_code == 200 and 'name="supplier"' in form.text
    typed = {
        "_csrf_token": csrf_of(form.text),
        "kind": "receipt",
        "warehouse_id": str(store["id"]),
        "supplier": "ООО Запчасть",
        "item_0": str(pump["id"]),
        "quantity_0": "2",
        "unit_cost_0": "1100",
        "item_2": str(hose["id"]),
        "quantity_2": "1,5",
        "unit_cost_2": "-3",
    }
    refused = await client.post("/stock/documents", data=typed)
    assert refused.status_code == 400
    assert re.search(r'name="unit_cost_2" value="-3"[^>]*aria-invalid="true"', refused.text)
    assert 'value="1100"' in refused.text  # the other rows stay as typed
    typed["unit_cost_2"] = "80"
    posted = await client.post("/stock/documents", data=typed)
    assert posted.status_code in (302, 303), posted.text
    page = await client.get(posted.headers["location"])
    assert page.status_code == 200 and "ООО Запчасть" in page.text and "Шланг" in page.text

    levels = await client.get("/stock", params={"q": "насос"})
    assert 'data-testid="levels"' in levels.text and "Насос сливной" in levels.text
    assert "Шланг" not in levels.text
    low = await client.get("/stock", params={"low": "true"})
    assert "Насос сливной" in low.text  # 2 on hand, 5 the minimum
    card = await client.get(f"/stock/items/{pump['id']}")
    assert card.status_code == 200 and "Главный склад" in card.text and "ПР-" in card.text
    listed = await client.get("/stock/documents")
    assert "ООО Запчасть" in listed.text and 'href="/stock"' in listed.text


async def test_warehouses_are_added_on_their_page_and_a_van_needs_a_master(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    page = await client.get("/stock/warehouses")
    token = csrf_of(page.text)
    van = await client.post(
        "/stock/warehouses", data={"_csrf_token": token, "kind": "van", "name": "Фургон"}
    )
    assert van.status_code == 400 and 'id="e-master_id"' in van.text
    assert 'value="Фургон"' in van.text
    store = await client.post(
        "/stock/warehouses", data={"_csrf_token": token, "kind": "store", "name": "Склад 2"}
    )
    assert store.status_code in (302, 303)
    shown = await client.get("/stock/warehouses")
    assert "Склад 2" in shown.text


async def test_a_storekeeper_finds_stock_in_the_navigation_and_reads_a_document_with_costs(
    admin_client: httpx.AsyncClient, keeper: httpx.AsyncClient
) -> None:
    store = await warehouse(keeper, "Главный склад")
    belt = await item(keeper, "Ремень", unit="шт")
    received = await receive(keeper, store["id"], belt["id"], "1", "100")
    home = await keeper.get("/")
    assert 'href="/stock"' in home.text
    document = await keeper.get(f"/stock/documents/{received['id']}")
    assert document.status_code == 200 and "100,00" in document.text.replace("\xa0", " ")


async def test_the_moves_ledger_page_filters_by_kind_and_period_and_reads_on_by_its_cursor(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    store = await warehouse(client, "Главный склад")
    pump = await item(client, "Насос сливной")
    hose = await item(client, "Шланг", unit="м")
    for _ in range(50):
        await receive(client, store["id"], pump["id"], "1", "100")
    await receive(client, store["id"], hose["id"], "2", "50")
    first = await client.get("/stock/moves", params={"kind": "receipt", "warehouse_id": ""})
    assert first.status_code == 200 and 'data-testid="moves"' in first.text
    assert first.text.count('data-testid="move-') == 50  # a page; the hose is the newest
    assert "Шланг" in first.text
    more = re.search(r'href="(/stock/moves\?[^"]*cursor=\d+)"', first.text)
    assert more is not None and "kind=receipt" in more.group(1)
    rest = await client.get(more.group(1).replace("&amp;", "&"))
    assert rest.text.count('data-testid="move-') == 1
    today = clock.today()
    period = {"date_from": (today + dt.timedelta(days=1)).isoformat(), "q": "шланг"}
    later = await client.get("/stock/moves", params=period)
    assert later.status_code == 200 and 'data-testid="move-' not in later.text
    wrong = await client.get("/stock/moves", params={"date_from": "31.12.2026"})
    assert wrong.status_code == 400 and "2026-11-23" in wrong.text
    assert wrong.text.count('data-testid="move-') == 50  # the whole ledger instead
    backwards = {
        "date_from": today.isoformat(),
        "date_to": (today - dt.timedelta(days=3)).isoformat(),
    }
    refused = await client.get("/stock/moves", params=backwards)
    assert refused.status_code == 400 and "Конец периода раньше его начала" in refused.text
