"""The orders list page: the detailed filter form as a browser sends it, errors next to their
fields, the empty result in the table, and the sortable headers the caller may use."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from server import clock
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client

EMPTY_FORM = {
    "status": "",
    "type": "",
    "priority": "",
    "assignee": "",
    "created_from": "",
    "created_to": "",
}


def _table(html: str) -> str:
    found = re.search(r'<table class="grid" data-testid="order-table">.*?</table>', html, re.S)
    assert found, "the page has the orders table"
    return found.group(0)


async def test_the_filter_form_sent_with_empty_fields_filters_nothing(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client(), declared_fault="Не включается")
    page = await admin_client.get("/orders", params=EMPTY_FORM)
    assert page.status_code == 200, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    assert order["number"] in _table(page.text)
    api = await admin_client.get("/api/v1/orders", params=EMPTY_FORM)
    assert api.status_code == 200, api.text
    assert [o["number"] for o in api.json()["items"]] == [order["number"]]


async def test_a_bad_date_is_shown_next_to_its_field_on_the_page(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client())
    page = await admin_client.get("/orders", params={**EMPTY_FORM, "created_from": "31.02.2026"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert '"detail"' not in page.text
    error = re.search(r'<div class="error" id="e-created_from"[^>]*>([^<]+)</div>', page.text)
    assert error and "Введите дату" in error.group(1), page.text[-3000:]
    assert 'aria-describedby="e-created_from"' in page.text
    assert '<details class="card filters" open>' in page.text
    assert order["number"] in _table(page.text)  # the other filters still apply
    api = await admin_client.get("/api/v1/orders", params={"created_to": "2026-99-01"})
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "created_to"


async def test_days_in_both_forms_and_a_reversed_period(admin_client: httpx.AsyncClient) -> None:
    order = await intake(admin_client, await make_client())
    day = dt.datetime.fromisoformat(order["created_at"]).astimezone(clock.zone()).date().isoformat()
    d, m, y = day[8:], day[5:7], day[:4]
    for given in (day, f"{d}.{m}.{y}"):
        page = await admin_client.get("/orders", params={"created_from": given, "created_to": day})
        assert page.status_code == 200, given
        assert order["number"] in _table(page.text)
        assert f'value="{day}"' in page.text  # the date input gets the ISO form back
    later = await admin_client.get("/orders", params={"created_from": "2030-01-02"})
    assert "Заказы не найдены" in _table(later.text)
    reversed_ = await admin_client.get(
        "/orders", params={"created_from": "2026-12-10", "created_to": "2026-12-01"}
    )
    assert reversed_.status_code == 400
    assert 'data-testid="error-created_to"' in reversed_.text


async def test_no_query_value_fails_the_page(admin_client: httpx.AsyncClient) -> None:
    await intake(admin_client, await make_client())
    for params in (
        {"client": "abc"},
        {"assignee": "nobody"},
        {"overdue": "maybe"},
        {"cursor": "damaged"},
        {"group": "x" * 5000, "q": "я" * 5000, "sla": "y" * 300},
        {"custom.bad code!": "1"},
        {"sort": "zz"},
    ):
        page = await admin_client.get("/orders", params=params)
        assert page.status_code in (200, 400), (params, page.status_code)
        assert page.headers["content-type"].startswith("text/html"), params
        assert '{"detail"' not in page.text, params


async def test_an_empty_search_says_nothing_found_in_the_table(
    admin_client: httpx.AsyncClient,
) -> None:
    await intake(admin_client, await make_client("Пётр Соколов"))
    page = await admin_client.get("/orders", params={"q": "несуществующий"})
    assert page.status_code == 200
    table = _table(page.text)
    assert 'data-testid="nothing-found-table"' in table and "Заказы не найдены" in table
    assert 'href="/orders">Сбросить' in table


async def test_headers_sort_only_by_what_the_role_may_see(client: httpx.AsyncClient) -> None:
    await Role.update({Role.field_permissions: {"order.total": "hidden"}}).where(
        Role.code == "receiver"
    )
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    first = await intake(client, await make_client("Анна Белова"))
    second = await intake(client, await make_client("Борис Белов"))
    page = await client.get("/orders", params={"sort": "number"})
    assert page.status_code == 200
    table = _table(page.text)
    assert 'data-testid="sort-number"' in table and 'aria-sort="ascending"' in table
    assert 'href="/orders?sort=-number"' in table  # a second click turns the order
    assert 'data-testid="th-total"' not in table and 'data-testid="sort-total"' not in table
    assert table.index(first["number"]) < table.index(second["number"])
    down = _table((await client.get("/orders", params={"sort": "-number"})).text)
    assert down.index(second["number"]) < down.index(first["number"])
    hidden = await client.get("/orders", params={"sort": "-total"})
    assert hidden.status_code == 200  # ignored: the default order, nothing about totals
    assert "sort=-total" not in hidden.text
