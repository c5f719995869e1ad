"""Finance fields follow field access: a role with the income hidden posts expenses and sees
them but not the period's income or profit (API, page, chart); with the expense totals hidden
it sees the income but not the expenses or profit; with the expense day read-only it posts
today's expenses only, and with it hidden the day is left out of the list."""

from __future__ import annotations

import datetime as dt

import httpx

from server import clock
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import error_fields
from tests.server.web.test_pages import csrf_of


async def _rent(client: httpx.AsyncClient) -> int:
    found = (await client.get("/api/v1/finance/categories")).json()
    return int(next(c["id"] for c in found if c["code"] == "rent"))


async def _receiver_with(client: httpx.AsyncClient, fields: dict[str, str]) -> None:
    await Role.update({Role.field_permissions: fields}).where(Role.code == "receiver")
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")


async def _day_with_money(admin: httpx.AsyncClient) -> None:
    """A payment of 1000 and a rent of 300 today."""
    await open_cash_shift(admin, "0")
    order = await intake(admin, await make_client())
    paid = await admin.post(f"/api/v1/orders/{order['id']}/payments", json={"amount": "1000"})
    assert paid.status_code == 201, paid.text
    rent = {"category_id": await _rent(admin), "amount": "300", "description": "Аренда"}
    assert (await admin.post("/api/v1/finance/expenses", json=rent)).status_code == 201


async def test_income_hidden(admin_client: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    await _day_with_money(admin_client)
    full = (await admin_client.get("/api/v1/finance/summary")).json()
    assert (full["income"], full["expenses"], full["profit"]) == ("1000.00", "300.00", "700.00")

    await _receiver_with(client, {"finance.income": "hidden"})
    seen = (await client.get("/api/v1/finance/summary")).json()
    for name in ("received", "refunded", "from_partners", "income", "profit"):
        assert name not in seen, name
    assert seen["expenses"] == "300.00" and seen["by_category"][0]["amount"] == "300.00"
    assert all("income" not in p for p in seen["points"])
    page = (await client.get("/finance")).text
    assert 'data-testid="income"' not in page and 'data-testid="profit"' not in page
    assert "data-income=" not in page and 'data-expenses="300.00"' in page
    assert "1\u00a0000,00" not in page and "700,00" not in page
    own = {"category_id": await _rent(client), "amount": "50", "description": "Вода"}
    assert (await client.post("/api/v1/finance/expenses", json=own)).status_code == 201


async def test_expense_totals_hidden(
    admin_client: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    await _day_with_money(admin_client)
    await _receiver_with(client, {"finance.expenses": "hidden"})
    seen = (await client.get("/api/v1/finance/summary")).json()
    for name in ("expenses", "by_category", "profit"):
        assert name not in seen, name
    assert seen["income"] == "1000.00"
    assert all("expenses" not in p for p in seen["points"])
    page = (await client.get("/finance")).text
    assert '<dd data-testid="expenses">' not in page and 'data-testid="by-category"' not in page
    assert "data-expenses=" not in page and 'data-income="1000.00"' in page


async def test_expense_day_read_only_or_hidden(client: httpx.AsyncClient) -> None:
    await _receiver_with(client, {"expense.day": "read"})
    rent = await _rent(client)
    yesterday = (clock.today() - dt.timedelta(days=1)).isoformat()
    body = {"category_id": rent, "amount": "10", "description": "Вчера", "day": yesterday}
    back = await client.post("/api/v1/finance/expenses", json=body)
    assert back.status_code == 403 and error_fields(back) == {"day"}
    today = await client.post("/api/v1/finance/expenses", json={**body, "day": None})
    assert today.status_code == 201 and today.json()["day"] == clock.today().isoformat()
    page = await client.get("/finance")
    assert 'name="day"' not in page.text.split('data-testid="expense-form"')[1].split("</form>")[0]
    typed = {"_csrf_token": csrf_of(page.text), "category_id": str(rent), "amount": "20",
             "description": "Сегодня"}  # fmt: skip
    assert (await client.post("/finance/expenses", data=typed)).status_code in (302, 303)

    await Role.update({Role.field_permissions: {"expense.day": "hidden"}}).where(
        Role.code == "receiver"
    )
    listed = (await client.get("/api/v1/finance/expenses")).json()["items"]
    assert len(listed) == 2 and all("day" not in e for e in listed)
