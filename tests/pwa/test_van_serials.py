"""A serial-tracked part from the van on the phone: offline, the master picks the serial used
from those the van holds; back online the part is written off into the order with exactly that
serial, and the van holds it no more."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser

from tests.live import ServerProcess, query
from tests.pwa.field import (
    PASSWORD,
    first_visit,
    open_action,
    open_field_app,
    phone,
    wait_synced,
    wait_waiting,
)

LCD = "P-LCD"
SERIAL = "LCD-SN-7731"


def _issue_serial_to_van(server: ServerProcess, login: str) -> int:
    """The display made serial-tracked, one received with its serial and issued to the van;
    the stock item's id."""
    with httpx.Client(base_url=server.url) as office:
        answer = office.post("/api/v1/auth/login", json={"login": "manager", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        office.headers["X-CSRFToken"] = office.cookies["csrftoken"]
        places = office.get("/api/v1/stock/warehouses").json()["items"]
        store = next(w for w in places if w["kind"] == "store")
        master = query(server.database_url, "SELECT id FROM employee WHERE login = $1", login)
        van = next(w for w in places if w["master_id"] == master[0]["id"])
        price = query(server.database_url, "SELECT id FROM price_item WHERE code = $1", LCD)[0]
        found = query(
            server.database_url, "SELECT id FROM stock_item WHERE price_item_id = $1", price["id"]
        )
        item_id = int(found[0]["id"])
        query(server.database_url, "UPDATE stock_item SET serial_tracked = true WHERE id = $1",
              item_id)  # fmt: skip
        for kind, warehouse, extra in (
            ("receipt", store["id"], {"supplier": "ООО Дисплеи"}),
            ("transfer", store["id"], {"to_warehouse_id": van["id"]}),
        ):
            line = {"item_id": item_id, "quantity": "1", "serials": [SERIAL]}
            if kind == "receipt":
                line["unit_cost"] = "3400"
            posted = office.post(
                "/api/v1/stock/documents",
                json={"kind": kind, "warehouse_id": warehouse, "lines": [line], **extra},
            )
            assert posted.status_code == 201, posted.text
    return item_id


def test_the_master_picks_the_serial_of_a_van_part_offline(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    item_id = _issue_serial_to_van(server, "field1")
    try:
        context = phone(browser)
        page = context.new_page()
        open_field_app(page, server.url, "field1")
        wait_synced(page)
        visit_id = first_visit(page)
        order = int(
            query(database, 'SELECT "order" AS id FROM visit WHERE id = $1', visit_id)[0]["id"]
        )
        with server.stopped():
            page.reload()
            page.wait_for_selector("[data-testid=visit]")
            page.click(f"a[href='#/visit/{visit_id}']")
            open_action(page, "line")
            page.fill("input[name=price_search]", LCD)
            page.locator("[data-price]").first.click()
            page.wait_for_selector(f"[data-testid=line-problem] [data-serial='{SERIAL}']")
            wait_waiting(page, 0)  # nothing queued before the serial is picked
            page.click(f"[data-serial='{SERIAL}']")
            page.wait_for_selector("[data-testid=lines] li.pending")
            wait_waiting(page, 1)
            van = page.evaluate(
                "async () => (await (await import('/static/field/db.js')).meta('van')).items"
            )
            display = next(i for i in van if i["item_id"] == item_id)
            assert SERIAL not in display["serials"]  # taken from the phone's copy at once
        wait_synced(page, timeout=90000)
        written = query(
            database,
            "SELECT l.serials FROM stock_document_line l JOIN stock_document d"
            " ON d.id = l.document_id WHERE d.order_id = $1 AND d.kind = 'consumption'"
            " AND l.item_id = $2",
            order,
            item_id,
        )
        assert [list(r["serials"]) for r in written] == [[SERIAL]]
        context.close()
    finally:
        query(database, "UPDATE stock_item SET serial_tracked = false WHERE id = $1", item_id)
