"""Finance: a period's income (payments less refunds) against expenses by category — those
posted by hand, a shipment's cost as delivery, the parts an order used at their cost — and the
profit, with the server's SVG chart; expenses reversed, never edited; receivables by age and by
client; bad input named at its field; who may see it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import httpx

from server import clock
from server.orders.tables import Order, OrderPayment
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.requests.builders import error_fields
from tests.server.stock.helpers import add_line, item, move_order, receive, warehouse
from tests.server.web.test_pages import csrf_of


async def _category(client: httpx.AsyncClient, code: str) -> int:
    found = (await client.get("/api/v1/finance/categories")).json()
    return int(next(c["id"] for c in found if c["code"] == code))


async def _expense(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    answer = await client.post("/api/v1/finance/expenses", json=body)
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def _repair_with_a_part(client: httpx.AsyncClient) -> dict[str, Any]:
    """An order that used a pump bought at 1000 ₽ and sells for the price list's price."""
    pump = await price_item("P-PUMP")
    store = await warehouse(client, "Главный склад")
    kept = await item(client, pump["name"], price_item_id=pump["id"], article="ASK-1")
    await receive(client, store["id"], kept["id"], "1", "1000")
    client_id = await make_client()
    order = await intake(client, client_id, device_id=await make_device(client_id))
    assert (await move_order(client, order["id"], "diagnostics")).status_code == 200
    added = await add_line(client, order["id"], price_item_id=pump["id"], warehouse_id=store["id"])
    assert added.status_code == 201, added.text
    work = await price_item("WASH-PUMP")
    assert (await add_line(client, order["id"], price_item_id=work["id"])).status_code == 201
    assert (await move_order(client, order["id"], "in_repair")).status_code == 200
    assert (await move_order(client, order["id"], "ready")).status_code == 200  # written off
    return (await client.get(f"/api/v1/orders/{order['id']}")).json()  # type: ignore[no-any-return]


async def test_the_periods_income_expenses_and_profit(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    await open_cash_shift(client, "5000")
    order = await _repair_with_a_part(client)
    total = order["total"]
    paid = await client.post(f"/api/v1/orders/{order['id']}/payments", json={"amount": total})
    assert paid.status_code == 201, paid.text
    refund = await client.post(
        f"/api/v1/orders/{order['id']}/refunds", json={"amount": "300", "reason": "Скидка"}
    )
    assert refund.status_code == 201, refund.text
    rent = await _expense(client, category_id=await _category(client, "rent"), amount="25000",
                          description="Аренда за декабрь")  # fmt: skip
    assert re.fullmatch(r"РХ-\d{6}", rent["number"])
    taxi = await _expense(client, category_id=await _category(client, "delivery"), amount="450",
                          order_id=order["id"], description="Такси с запчастью")  # fmt: skip
    assert taxi["order_number"] == order["number"]
    shipment = await client.post(
        "/api/v1/deliveries",
        json={"direction": "to_client", "carrier": "cdek", "client_id": order["client"]["id"],
              "order_id": order["id"], "status": "sent", "cost": "600",
              "sent_on": clock.today().isoformat()},
    )  # fmt: skip
    assert shipment.status_code == 201, shipment.text
    wrong = await _expense(client, category_id=await _category(client, "other"), amount="999")
    reversal = await client.post(
        f"/api/v1/finance/expenses/{wrong['id']}/reverse", json={"reason": "Ошибся суммой"}
    )
    assert reversal.status_code == 201, reversal.text
    assert (reversal.json()["amount"], reversal.json()["reverses"]) == ("-999.00", wrong["id"])
    twice = await client.post(
        f"/api/v1/finance/expenses/{wrong['id']}/reverse", json={"reason": "Ещё раз"}
    )
    assert twice.status_code == 422

    summary = (await client.get("/api/v1/finance/summary")).json()
    income = float(total) - 300
    assert (float(summary["received"]), summary["refunded"]) == (float(total), "300.00")
    assert float(summary["income"]) == income
    by_code = {c["code"]: c["amount"] for c in summary["by_category"]}
    assert by_code == {"rent": "25000.00", "delivery": "1050.00", "parts": "1000.00"}
    assert summary["expenses"] == "27050.00"  # the reversed 999 nets to nothing
    assert float(summary["profit"]) == income - 27050
    today = clock.today()
    assert summary["step"] == "day"
    point = next(p for p in summary["points"] if p["start"] == today.isoformat())
    assert (float(point["income"]), point["expenses"]) == (income, "27050.00")

    page = await client.get("/finance")
    assert page.status_code == 200
    assert page.text.count('class="chart"') == 1 and 'data-expenses="27050.00"' in page.text
    assert "Аренда за декабрь" in page.text and "РХ-" in page.text

    year = (
        await client.get(
            "/api/v1/finance/summary",
            params={"date_from": (today - dt.timedelta(days=200)).isoformat()},
        )
    ).json()
    assert year["step"] == "month" and year["expenses"] == "27050.00"
    assert len(year["points"]) in (7, 8)


async def test_bad_input_is_named_and_nothing_is_posted(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    rent = await _category(client, "rent")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"category_id": rent, "amount": "-1"}, "amount"),
        ({"category_id": rent, "amount": "NaN"}, "amount"),
        ({"category_id": 999999, "amount": "10"}, "category_id"),
        ({"category_id": rent, "amount": "10", "order_id": 999999}, "order_id"),
        ({"category_id": rent, "amount": "10",
          "day": (clock.today() + dt.timedelta(days=2)).isoformat()}, "day"),
    ]  # fmt: skip
    for body, field in cases:
        answer = await client.post("/api/v1/finance/expenses", json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert error_fields(answer) == {field}, (body, answer.text)
    assert (await client.get("/api/v1/finance/expenses")).json()["items"] == []
    backwards = await client.get(
        "/api/v1/finance/summary", params={"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert backwards.status_code == 422 and error_fields(backwards) == {"date_to"}
    page = await client.get("/finance")
    token = csrf_of(page.text)
    typed = {"_csrf_token": token, "category_id": str(rent), "amount": "много",
             "description": "Аренда склада"}  # fmt: skip
    failed = await client.post("/finance/expenses", data=typed)
    assert failed.status_code == 400 and 'id="e-amount"' in failed.text
    assert 'value="Аренда склада"' in failed.text  # what was typed stays
    typed["amount"] = "100"
    assert (await client.post("/finance/expenses", data=typed)).status_code in (302, 303)
    [posted] = (await client.get("/api/v1/finance/expenses")).json()["items"]
    url = f"/finance/expenses/{posted['id']}/reverse"
    blank = await client.post(url, data={"_csrf_token": token, "reason": " "})
    assert blank.status_code == 400 and f'id="e-reason_{posted["id"]}"' in blank.text
    undone = await client.post(url, data={"_csrf_token": token, "reason": "Ошибка"})
    assert undone.status_code in (302, 303)
    assert (await client.get("/api/v1/finance/expenses")).json()["total"] == "0.00"


async def test_receivables_by_age_and_by_client(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    owner = await make_client("Ольга Должникова", phone="+79160000077")
    other = await make_client("Пётр Должников", phone="+79160000078")
    now = dt.datetime.now(dt.UTC)
    for client_id, days, due in ((owner, 5, "1200"), (owner, 45, "800"), (other, 120, "3000")):
        order = await intake(client, client_id)
        await Order.update(
            {Order.closed_at: now - dt.timedelta(days=days), Order.amount_due: due}
        ).where(Order.id == order["id"])
        await Order.raw(
            "UPDATE service_order SET status = (SELECT id FROM order_status WHERE code = 'issued')"
            " WHERE id = {}",
            order["id"],
        )  # handed over unpaid, as a manager with the right may
    found = (await client.get("/api/v1/finance/receivables")).json()
    assert found["total"] == "5000.00"
    assert [(b["orders"], b["amount"]) for b in found["buckets"]] == [
        (1, "1200.00"), (1, "800.00"), (0, "0.00"), (1, "3000.00"),
    ]  # fmt: skip
    assert [(c["client_name"], c["amount_due"], c["orders"]) for c in found["clients"]] == [
        ("Пётр Должников", "3000.00", 1), ("Ольга Должникова", "2000.00", 2),
    ]  # fmt: skip
    assert [d["days"] for d in found["debts"]] == [120, 45, 5]
    page = (await client.get("/finance/receivables")).text
    assert "Ольга Должникова" in page and "5\u00a0000,00" in page


async def test_who_sees_finance(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await make_employee("tech", roles=["technician"])
    await login_as(client, "anna")
    assert (await client.get("/finance")).status_code == 200
    rent = await _category(client, "rent")
    added = await client.post("/api/v1/finance/categories", json={"name": "Реклама"})
    assert added.status_code == 403  # categories are a manager's
    body = {"category_id": rent, "amount": "10"}
    spent = await client.post("/api/v1/finance/expenses", json=body)
    assert spent.status_code == 201
    await login_as(client, "tech")
    for url in ("/finance", "/api/v1/finance/summary", "/api/v1/finance/receivables"):
        assert (await client.get(url)).status_code == 403, url


async def test_payments_from_before_the_cash_desk_count_as_income(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client())
    now = dt.datetime.now(dt.UTC)
    for amount in ("1500.00", "-200.00"):  # a payment and a refund kept on the order only
        await OrderPayment(order=order["id"], amount=Decimal(amount), method="cash", at=now).save()
    summary = (await admin_client.get("/api/v1/finance/summary")).json()
    assert (summary["received"], summary["refunded"], summary["income"]) == (
        "1500.00", "200.00", "1300.00",
    )  # fmt: skip
