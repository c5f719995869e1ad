"""Mutual settlements with partners: the report sheet of a locked payroll month is what the
center owes the partner; accruals, charges, payouts and receipts posted beside it move the
balance, a reversal undoes one; the reconciliation statement of a period has the balance at its
start, the lines and the balance at its end, also as XLSX; payouts land in the finance summary
as the partners' expense and receipts as income; bad input is named at its field; who may."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import httpx
from openpyxl import load_workbook

from server import clock
from server.finance.tables import ExpenseCategory
from server.orders.tables import Order
from server.partners.schemas import OrgIn
from server.partners.services import create_organization
from server.staff.services import system_actor
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import error_fields
from tests.server.web.test_pages import csrf_of


async def _locked_month_for(client: httpx.AsyncClient, partner_id: int) -> dict[str, Any]:
    """Last month, locked: the partner repaired one order with 2000 of work, at 30 %."""
    rule = {"organization_id": partner_id, "work_percent": "30"}
    assert (await client.post("/api/v1/payroll/rules", json=rule)).status_code == 201
    last = clock.today().replace(day=1) - dt.timedelta(days=1)
    order = await intake(client, await make_client())
    patched = await client.patch(
        f"/api/v1/orders/{order['id']}", json={"service_center_id": partner_id}
    )
    assert patched.status_code == 200, patched.text
    line = {"kind": "service", "name": "Ремонт", "unit_price": "2000", "price_reason": "Тест"}
    assert (await client.post(f"/api/v1/orders/{order['id']}/lines", json=line)).status_code == 201
    at = dt.datetime.combine(last, dt.time(12), clock.zone())
    await Order.update({Order.closed_at: at}).where(Order.id == order["id"])
    await Order.raw(
        "UPDATE service_order SET status = (SELECT id FROM order_status WHERE code = 'issued')"
        " WHERE id = {}",
        order["id"],
    )
    made = await client.post(
        "/api/v1/payroll/periods",
        json={"first_day": last.replace(day=1).isoformat(), "last_day": last.isoformat()},
    )
    assert made.status_code == 201, made.text
    url = f"/api/v1/payroll/periods/{made.json()['id']}"
    assert (await client.post(f"{url}/approve")).status_code == 201
    assert (await client.post(f"{url}/lock")).status_code == 201
    return order


async def _post(client: httpx.AsyncClient, partner_id: int, **body: Any) -> dict[str, Any]:
    answer = await client.post(f"/api/v1/finance/partners/{partner_id}/entries", json=body)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _balance(found: list[dict[str, Any]], partner_id: int) -> dict[str, Any]:
    return next(b for b in found if b["organization_id"] == partner_id)


async def test_a_partners_balance_and_statement(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    north = await create_organization(
        system_actor(), OrgIn(kind="service_center", name="АСЦ Север")
    )
    order = await _locked_month_for(client, north.id)
    found = _balance((await client.get("/api/v1/finance/partners")).json(), north.id)
    assert (found["sheets"], found["balance"]) == ("600.00", "600.00")  # 30 % of 2000

    trip = await _post(client, north.id, kind="accrual", amount="200", description="Выезд")
    assert re.fullmatch(r"ВР-\d{6}", trip["number"])
    parts = await _post(client, north.id, kind="charge", amount="150", order_id=order["id"],
                        description="Запчасти со склада")  # fmt: skip
    assert parts["order_number"] == order["number"]
    await _post(client, north.id, kind="payout", amount="500", description="Платёжка 17")
    await _post(client, north.id, kind="receipt", amount="100", description="Возврат аванса")
    found = _balance((await client.get("/api/v1/finance/partners")).json(), north.id)
    assert found["balance"] == "250.00"  # 600 + 200 − 150 − 500 + 100

    undone = await client.post(
        f"/api/v1/finance/partner-entries/{parts['id']}/reverse", json={"reason": "Гарантия"}
    )
    assert undone.status_code == 201, undone.text
    assert (undone.json()["amount"], undone.json()["reverses"]) == ("-150.00", parts["id"])
    again = await client.post(
        f"/api/v1/finance/partner-entries/{parts['id']}/reverse", json={"reason": "Ещё"}
    )
    assert again.status_code == 422 and error_fields(again) == {"reason"}
    found = _balance((await client.get("/api/v1/finance/partners")).json(), north.id)
    assert found["balance"] == "400.00"

    url = f"/api/v1/finance/partners/{north.id}/statement"
    month = (await client.get(url)).json()  # this month: the sheet is before it
    assert (month["opening"], month["closing"]) == ("600.00", "400.00")
    assert [(x["number"][:3], x["to_partner"], x["to_center"]) for x in month["lines"]] == [
        ("ВР-", "200.00", "0.00"), ("ВР-", "0.00", "150.00"), ("ВР-", "0.00", "500.00"),
        ("ВР-", "100.00", "0.00"), ("ВР-", "150.00", "0.00"),
    ]  # fmt: skip
    assert (month["to_partner"], month["to_center"]) == ("450.00", "650.00")
    first = (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    earlier = (await client.get(url, params={"date_from": first.isoformat(),
                                             "date_to": month["first_day"]})).json()  # fmt: skip
    assert earlier["opening"] == "0.00" and earlier["lines"][0]["text"].startswith("Акт")
    assert earlier["lines"][0]["to_partner"] == "600.00"

    book = await client.get(f"{url}.xlsx")
    assert book.status_code == 200
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(book.content)).active.iter_rows()
    ]
    assert rows[2][2] == "Сальдо на начало" and rows[2][3] == 600.0
    assert rows[-1][2].startswith("Сальдо на конец") and rows[-1][3] == 400.0

    summary = (await client.get("/api/v1/finance/summary")).json()
    assert summary["from_partners"] == "100.00"
    assert {c["code"]: c["amount"] for c in summary["by_category"]}["partners"] == "500.00"

    page = await client.get(f"/finance/partners/{north.id}")
    assert page.status_code == 200 and "Платёжка 17" in page.text
    assert 'data-testid="closing"' in page.text and "400,00" in page.text
    listing = await client.get("/finance/partners")
    assert "АСЦ Север" in listing.text and "Центр должен партнёру" in listing.text


async def test_bad_settlements_are_named_and_nothing_is_posted(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    north = await create_organization(
        system_actor(), OrgIn(kind="service_center", name="АСЦ Север")
    )
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "gift", "amount": "10", "description": "x"}, "kind"),
        ({"kind": "payout", "amount": "0", "description": "x"}, "amount"),
        ({"kind": "payout", "amount": "-5", "description": "x"}, "amount"),
        ({"kind": "payout", "amount": "NaN", "description": "x"}, "amount"),
        ({"kind": "payout", "amount": "10", "description": "   "}, "description"),
        ({"kind": "payout", "amount": "10", "description": "x", "day": tomorrow}, "day"),
        ({"kind": "payout", "amount": "10", "description": "x", "order_id": 999999}, "order_id"),
    ]
    for body, field in cases:
        answer = await client.post(f"/api/v1/finance/partners/{north.id}/entries", json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert error_fields(answer) == {field}, (body, answer.text)
    nobody = await client.post(
        "/api/v1/finance/partners/999999/entries",
        json={"kind": "payout", "amount": "10", "description": "x"},
    )
    assert nobody.status_code == 404
    assert (await client.get("/api/v1/finance/partners/999999/statement")).status_code == 404
    assert (
        _balance((await client.get("/api/v1/finance/partners")).json(), north.id)["balance"]
        == "0.00"
    )

    page = await client.get(f"/finance/partners/{north.id}")
    typed = {"_csrf_token": csrf_of(page.text), "kind": "payout", "amount": "много",
             "description": "Платёжка 18"}  # fmt: skip
    failed = await client.post(f"/finance/partners/{north.id}/entries", data=typed)
    assert failed.status_code == 400 and 'id="e-amount"' in failed.text
    assert 'value="Платёжка 18"' in failed.text  # what was typed stays
    typed["amount"] = "1200,50"
    posted = await client.post(f"/finance/partners/{north.id}/entries", data=typed)
    assert posted.status_code in (302, 303)
    entry = (await client.get(f"/api/v1/finance/partners/{north.id}/statement")).json()["lines"][0]
    blank = await client.post(
        f"/finance/partner-entries/{entry['entry']['id']}/reverse",
        data={"_csrf_token": csrf_of(page.text), "reason": " "},
    )
    assert blank.status_code == 400 and f'id="e-reason_{entry["entry"]["id"]}"' in blank.text
    undone = await client.post(
        f"/finance/partner-entries/{entry['entry']['id']}/reverse",
        data={"_csrf_token": csrf_of(page.text), "reason": "Ошибка"},
    )
    assert undone.status_code in (302, 303)
    assert undone.headers["location"].endswith(f"/finance/partners/{north.id}")
    balance = _balance((await client.get("/api/v1/finance/partners")).json(), north.id)
    assert balance["balance"] == "0.00"


async def test_who_settles_with_partners(client: httpx.AsyncClient) -> None:
    north = await create_organization(
        system_actor(), OrgIn(kind="service_center", name="АСЦ Север")
    )
    await make_employee("anna", roles=["receiver"])
    await make_employee("tech", roles=["technician"])
    await login_as(client, "anna")  # sees finance, posts expenses, but settles with nobody
    assert (await client.get(f"/finance/partners/{north.id}")).status_code == 200
    body = {"kind": "payout", "amount": "10", "description": "x"}
    posted = await client.post(f"/api/v1/finance/partners/{north.id}/entries", json=body)
    assert posted.status_code == 403
    await login_as(client, "tech")
    for url in ("/finance/partners", "/api/v1/finance/partners",
                f"/api/v1/finance/partners/{north.id}/statement"):  # fmt: skip
        assert (await client.get(url)).status_code == 403, url


async def test_a_center_from_before_gets_the_partners_category(
    admin_client: httpx.AsyncClient,
) -> None:
    """A database whose built-in categories were made before the partners' one, with a
    category of its own of that name: that one becomes the built-in (its expenses stay)."""
    client = admin_client
    await client.get("/api/v1/finance/categories")
    await ExpenseCategory.update({ExpenseCategory.code: None, ExpenseCategory.sort: 100}).where(
        ExpenseCategory.code == "partners"
    )  # as if the center had made it before
    own = await ExpenseCategory.select().where(ExpenseCategory.name == "Партнёрские СЦ").first()
    assert own is not None
    found = (await client.get("/api/v1/finance/categories")).json()
    partners = [c for c in found if c["code"] == "partners"]
    assert [c["id"] for c in partners] == [own["id"]]
    assert len(found) == 6  # delivery, parts, rent, salaries, partners, other: no twin
