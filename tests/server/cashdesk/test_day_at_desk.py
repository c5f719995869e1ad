"""A day at the counter desk through the API, every figure checked: the shift opened with the
drawer's cash, a prepayment at intake, a payment split across cash and card, refunds (the right
to make them, at most what was paid, at most what is left of a payment), cash taken out (never
more than the drawer holds), the X report, closing with a difference (said why), the Z report;
and what may not happen: money taken with the shift closed, a second open shift."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from server.cashdesk.tables import CashDocument, CashShift
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import error_fields


async def _line(client: httpx.AsyncClient, order_id: int, price: str) -> None:
    answer = await client.post(
        f"/api/v1/orders/{order_id}/lines",
        json={"kind": "service", "name": "Ремонт", "unit_price": price, "price_reason": "Тест"},
    )
    assert answer.status_code == 201, answer.text


async def _order(client: httpx.AsyncClient, order_id: int) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/orders/{order_id}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _methods(report: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {m["method"]: (m["received"], m["refunded"], m["net"]) for m in report["methods"]}


async def test_a_day_at_the_desk(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    await make_employee("kassir", roles=["receiver"])
    await make_employee("chief", roles=["manager"])
    made = await client.post("/api/v1/cash/desks", json={"name": "Касса 1"})
    assert made.status_code == 201, made.text
    desk = made.json()
    owner = await make_client()

    await login_as(client, "kassir")
    no_shift = await client.post("/api/v1/orders", json={"client_id": owner, "prepayment": "500"})
    assert no_shift.status_code == 422
    assert error_fields(no_shift) == {"prepayment"}  # no shift yet: the intake is refused whole
    assert await CashDocument.count() == 0

    opened = await client.post(
        f"/api/v1/cash/desks/{desk['id']}/shifts", json={"opening_balance": "1000"}
    )
    assert opened.status_code == 201, opened.text
    shift = opened.json()
    assert (shift["report"], shift["number"], shift["expected_cash"]) == ("X", 1, "1000.00")
    twice = await client.post(f"/api/v1/cash/desks/{desk['id']}/shifts", json={})
    assert twice.status_code == 409

    order = await intake(client, owner, prepayment="500", prepayment_method="cash")
    assert (order["paid"], order["prepayment"]) == ("500.00", "500.00")

    await login_as(client, "boss")
    await _line(client, order["id"], "3000")
    await login_as(client, "kassir")
    split = await client.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={
            "parts": [{"method": "cash", "amount": "1500"}, {"method": "card", "amount": "1000"}]
        },
    )
    assert split.status_code == 201, split.text
    assert (split.json()["paid"], split.json()["amount_due"]) == ("3000.00", "0.00")
    payments = (await client.get(f"/api/v1/orders/{order['id']}/payments")).json()["items"]
    assert [(p["method"], p["amount"]) for p in payments] == [
        ("cash", "500.00"), ("cash", "1500.00"), ("card", "1000.00"),
    ]  # fmt: skip
    assert payments[1]["document_id"] == payments[2]["document_id"]  # one document, two parts
    assert payments[0]["document_number"] != payments[1]["document_number"]

    refused = await client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={"amount": "700", "method": "cash", "reason": "Не подошёл чехол"},
    )
    assert refused.status_code == 422 and error_fields(refused) == {"amount"}  # no refund right

    await login_as(client, "chief")
    split_id = payments[1]["document_id"]
    too_much = await client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={"amount": "3000.01", "reason": "Ошибка"},
    )
    assert too_much.status_code == 422 and "3\u00a0000,00\u00a0₽" in too_much.text
    beyond_payment = await client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={"amount": "2600", "reason": "Ошибка", "refund_of": split_id},
    )
    assert beyond_payment.status_code == 422 and "2\u00a0500,00" in beyond_payment.text
    no_reason = await client.post(
        f"/api/v1/orders/{order['id']}/refunds", json={"amount": "700", "reason": " "}
    )
    assert no_reason.status_code == 422 and error_fields(no_reason) == {"reason"}
    refund = await client.post(
        f"/api/v1/orders/{order['id']}/refunds",
        json={
            "amount": "700",
            "method": "cash",
            "reason": "Не подошёл чехол",
            "refund_of": split_id,
        },
    )
    assert refund.status_code == 201, refund.text
    assert (refund.json()["paid"], refund.json()["amount_due"]) == ("2300.00", "700.00")

    await login_as(client, "kassir")
    moves = f"/api/v1/cash/shifts/{shift['id']}/moves"
    too_big = await client.post(
        moves, json={"kind": "cash_out", "amount": "2300.01", "reason": "Инкассация"}
    )
    assert too_big.status_code == 422 and "2\u00a0300,00" in too_big.text  # 1000 + 2000 - 700
    why = await client.post(moves, json={"kind": "cash_out", "amount": "2000", "reason": ""})
    assert why.status_code == 422 and error_fields(why) == {"reason"}
    body = {"kind": "cash_out", "amount": "2000", "reason": "Инкассация"}
    out = await client.post(moves, json=body)
    assert out.status_code == 201, out.text

    x = (await client.get(f"/api/v1/cash/shifts/{shift['id']}")).json()
    assert x["report"] == "X"
    assert _methods(x) == {
        "cash": ("2000.00", "700.00", "1300.00"),
        "card": ("1000.00", "0.00", "1000.00"),
    }
    assert (x["payments_count"], x["refunds_count"]) == (2, 1)
    assert (x["received"], x["refunded"], x["revenue"]) == ("3000.00", "700.00", "2300.00")
    assert (x["prepayments"], x["cash_in"], x["cash_out"]) == ("500.00", "0.00", "2000.00")
    assert x["expected_cash"] == "300.00"  # 1000 + 500 + 1500 - 700 - 2000
    assert len(x["documents"]) == 4

    close = f"/api/v1/cash/shifts/{shift['id']}/close"
    unexplained = await client.post(close, json={"counted": "250"})
    assert unexplained.status_code == 422 and error_fields(unexplained) == {"comment"}
    z = await client.post(close, json={"counted": "250", "comment": "Не хватает 50 ₽"})
    assert z.status_code == 201, z.text
    z_report = z.json()
    assert (z_report["report"], z_report["expected_cash"]) == ("Z", "300.00")
    assert (z_report["counted"], z_report["difference"]) == ("250.00", "-50.00")
    assert z_report["close_comment"] == "Не хватает 50 ₽"
    again = await client.post(close, json={"counted": "250", "comment": "x"})
    assert again.status_code == 409

    late = await client.post(
        f"/api/v1/orders/{order['id']}/payments", json={"amount": "700", "method": "card"}
    )
    assert late.status_code == 422 and error_fields(late) == {"amount"}
    assert (await _order(client, order["id"]))["paid"] == "2300.00"  # nothing was posted
    by_bank = await client.post(
        f"/api/v1/orders/{order['id']}/payments", json={"amount": "700", "method": "transfer"}
    )
    assert by_bank.status_code == 201, by_bank.text  # a bank transfer needs no shift
    assert by_bank.json()["amount_due"] == "0.00"

    desks = (await client.get("/api/v1/cash/desks")).json()["items"]
    assert [(d["name"], d["open_shift"], d["cash"]) for d in desks] == [("Касса 1", None, "250.00")]
    second = await open_cash_shift(client, "250")
    assert (second["number"], second["expected_cash"]) == (2, "250.00")


async def test_one_open_shift_when_two_open_at_once(admin_client: httpx.AsyncClient) -> None:
    desk = (await admin_client.post("/api/v1/cash/desks", json={"name": "Касса 2"})).json()
    url = f"/api/v1/cash/desks/{desk['id']}/shifts"
    answers = await asyncio.gather(*(admin_client.post(url, json={}) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert await CashShift.count().where(CashShift.closed_at.is_null()) == 1


async def test_payouts_at_once_never_spend_the_same_cash(admin_client: httpx.AsyncClient) -> None:
    shift = await open_cash_shift(admin_client, "1000")
    url = f"/api/v1/cash/shifts/{shift['id']}/moves"
    body = {"kind": "cash_out", "amount": "600", "reason": "В банк"}
    answers = await asyncio.gather(*(admin_client.post(url, json=body) for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [201, 422, 422]
    report = (await admin_client.get(f"/api/v1/cash/shifts/{shift['id']}")).json()
    assert (report["cash_out"], report["expected_cash"]) == ("600.00", "400.00")


async def test_bad_input_is_named(admin_client: httpx.AsyncClient) -> None:
    shift = await open_cash_shift(admin_client)
    owner = await make_client()
    order = await intake(admin_client, owner)
    await _line(admin_client, order["id"], "100")
    pay = f"/api/v1/orders/{order['id']}/payments"
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"amount": "-5"}, {"amount"}),
        ({"amount": "0"}, {"amount"}),
        ({"amount": "NaN"}, {"amount"}),
        ({"amount": "1e12"}, {"amount"}),
        ({}, {"amount"}),
        ({"parts": [{"method": "cash", "amount": "10"}, {"method": "card", "amount": "-1"}]},
         {"parts.1.amount"}),
        ({"amount": "10", "method": "crypto"}, {"method"}),
        ({"amount": "10", "desk_id": 999999}, {"amount"}),
    ]  # fmt: skip
    for body, fields in cases:
        answer = await admin_client.post(pay, json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert error_fields(answer) == fields, (body, answer.text)
    assert await CashDocument.count() == 0
    moves = f"/api/v1/cash/shifts/{shift['id']}/moves"
    wrong = ({"kind": "cash_in", "amount": "x", "reason": "a"}, {"kind": "steal", "amount": "1"})
    for move in wrong:
        answer = await admin_client.post(moves, json=move)
        assert answer.status_code in (400, 422), answer.text
    opened = await admin_client.post(
        f"/api/v1/cash/desks/{shift['desk_id']}/shifts", json={"opening_balance": "-1"}
    )
    assert opened.status_code in (409, 422)
