"""The master's van on the phone: parts issued to field1's van at the office reach the phone;
offline, a part taken from the van leaves the phone's copy at once; back online the van's level
is lower by exactly one and the order has the line; a part the van lacks is refused with the
reason, and nothing is queued."""

from __future__ import annotations

from decimal import Decimal

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

PUMP = "P-PUMP"


def _van_level(database: str, login: str, code: str) -> Decimal:
    rows = query(
        database,
        "SELECT l.on_hand FROM stock_level l JOIN stock_warehouse w ON w.id = l.warehouse_id"
        " JOIN employee e ON e.id = w.master_id JOIN stock_item i ON i.id = l.item_id"
        " JOIN price_item p ON p.id = i.price_item_id WHERE e.login = $1 AND p.code = $2",
        login,
        code,
    )
    return Decimal(rows[0]["on_hand"]) if rows else Decimal(0)


def _issue_to_van(server: ServerProcess, login: str, code: str, quantity: str) -> None:
    """The storekeeper's transfer from the main store to the master's van, through the API."""
    with httpx.Client(base_url=server.url) as office:
        answer = office.post("/api/v1/auth/login", json={"login": "manager", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        office.headers["X-CSRFToken"] = office.cookies["csrftoken"]
        places = office.get("/api/v1/stock/warehouses").json()["items"]
        store = next(w for w in places if w["kind"] == "store")
        master = query(server.database_url, "SELECT id FROM employee WHERE login = $1", login)
        van = next(w for w in places if w["master_id"] == master[0]["id"])
        item = office.get("/api/v1/stock/items", params={"q": code}).json()["items"][0]
        moved = office.post(
            "/api/v1/stock/documents",
            json={
                "kind": "transfer",
                "warehouse_id": store["id"],
                "to_warehouse_id": van["id"],
                "lines": [{"item_id": item["id"], "quantity": quantity}],
            },
        )
        assert moved.status_code == 201, moved.text


def test_a_van_part_added_offline_is_taken_from_the_van_exactly_once(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    _issue_to_van(server, "field1", PUMP, "1")
    before = _van_level(database, "field1", PUMP)
    assert before >= 1
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    visit_id = first_visit(page)
    order = int(query(database, 'SELECT "order" AS id FROM visit WHERE id = $1', visit_id)[0]["id"])
    count = 'SELECT count(*) AS n FROM order_line WHERE "order" = $1'
    lines = int(query(database, count, order)[0]["n"])
    shown = f"{before.normalize():f}"
    price = query(database, "SELECT id, name FROM price_item WHERE code = $1", PUMP)[0]
    price_item, name = int(price["id"]), str(price["name"])

    with server.stopped():
        page.reload()
        page.wait_for_selector("[data-testid=visit]")
        page.click(f"a[href='#/visit/{visit_id}']")
        open_action(page, "line")
        page.fill("input[name=price_search]", PUMP)
        assert page.get_attribute("[data-in-van]", "data-in-van") == shown
        assert page.is_checked("input[name=from_van]")
        page.locator("[data-price]").first.click()
        page.wait_for_selector("[data-testid=lines] li.pending")
        wait_waiting(page, 1)
        left = page.evaluate(
            "async () => (await (await import('/static/field/db.js')).meta('van')).items"
        )
        pump = next(i for i in left if i["price_item_id"] == price_item)
        assert Decimal(pump["available"]) == before - 1

        open_action(page, "line")  # more than the van holds: refused on the phone, nothing queued
        page.fill("input[name=quantity]", str(int(before) + 5))
        page.fill("input[name=price_search]", PUMP)
        page.locator("[data-price]").first.click()
        page.wait_for_selector("[data-testid=line-problem]:not(:empty)")
        assert name in page.inner_text("[data-testid=line-problem]")  # the reason names the part
        wait_waiting(page, 1)

    wait_synced(page, timeout=90000)
    assert _van_level(database, "field1", PUMP) == before - 1
    assert int(query(database, count, order)[0]["n"]) == lines + 1
    written = query(
        database,
        "SELECT count(*) AS n FROM stock_document WHERE order_id = $1 AND kind = 'consumption'",
        order,
    )
    assert int(written[0]["n"]) >= 1
    page.reload()  # the next pull's van is the server's, and agrees with the phone's
    wait_synced(page)
    van = page.evaluate("async () => (await (await import('/static/field/db.js')).meta('van'))")
    held = {i["price_item_id"]: Decimal(i["available"]) for i in van["items"]}
    assert held.get(price_item, Decimal(0)) == before - 1
    context.close()


def _may_issue_later(database: str, login: str, allowed: bool) -> None:
    """Give the master (or take back) a role that may use a part the van lacks."""
    query(
        database,
        "INSERT INTO role (code, name, description, is_builtin, permissions, field_permissions,"
        " created_at, updated_at) VALUES ('issue_later', 'Берёт без остатка', '', false,"
        " '{\"special\": [\"issue_later\"]}', '{}', now(), now()) ON CONFLICT (code) DO NOTHING",
    )
    if allowed:
        query(
            database,
            "INSERT INTO employee_role (employee, role) SELECT e.id, r.id FROM employee e, role r"
            " WHERE e.login = $1 AND r.code = 'issue_later'",
            login,
        )
    else:
        query(
            database,
            "DELETE FROM employee_role WHERE employee = (SELECT id FROM employee WHERE login = $1)"
            " AND role = (SELECT id FROM role WHERE code = 'issue_later')",
            login,
        )


def test_a_master_who_may_takes_more_than_the_van_holds_and_the_rest_is_issued_later(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    _issue_to_van(server, "field2", PUMP, "1")
    before = _van_level(database, "field2", PUMP)
    _may_issue_later(database, "field2", True)
    try:
        context = phone(browser)
        page = context.new_page()
        open_field_app(page, server.url, "field2")
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
            page.fill("input[name=quantity]", str(int(before) + 1))
            page.fill("input[name=price_search]", PUMP)
            page.locator("[data-price]").first.click()
            page.wait_for_selector("[data-testid=lines] li.pending")  # let through, not refused
            wait_waiting(page, 1)
        wait_synced(page, timeout=90000)
        assert _van_level(database, "field2", PUMP) == 0
        waits = query(
            database,
            "SELECT quantity - held AS n FROM stock_reservation WHERE order_id = $1",
            order,
        )
        assert [Decimal(r["n"]) for r in waits] == [Decimal(1)]  # one to be issued
        _issue_to_van(server, "field2", PUMP, "1")
        assert _van_level(database, "field2", PUMP) == 0  # went into the order at once
        assert query(database, "SELECT id FROM stock_reservation WHERE order_id = $1", order) == []
        context.close()
    finally:
        _may_issue_later(database, "field2", False)
