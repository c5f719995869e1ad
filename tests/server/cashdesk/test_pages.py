"""The cash desk's pages and the order card's money forms: errors next to the field that caused
them with everything typed kept, the split payment and the refund from the card, the X and Z
report pages; who sees the cash desk; a field master's takings land in the master's own cash
and are handed in at the counter."""

from __future__ import annotations

import re

import httpx

from server.cashdesk.tables import CashDesk, CashDocument
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.orders.builders import intake, make_client
from tests.server.sync.builders import field_day, mutation, push
from tests.server.web.test_pages import csrf_of, form_login


async def _order_due(client: httpx.AsyncClient, price: str) -> int:
    order = await intake(client, await make_client())
    line = await client.post(
        f"/api/v1/orders/{order['id']}/lines",
        json={"kind": "service", "name": "Ремонт", "unit_price": price, "price_reason": "Тест"},
    )
    assert line.status_code == 201, line.text
    return int(order["id"])


def _error(html: str, name: str) -> str:
    found = re.search(rf'<div class="error" id="e-{name}">([^<]*)</div>', html)
    assert found, f"no error shown at {name}"
    return found.group(1)


async def test_the_desk_page_opens_moves_and_closes_with_errors_in_place(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    page = await client.get("/cash")
    assert page.status_code == 200 and "Касс" in page.text
    token = csrf_of(page.text)
    added = await client.post("/cash/desks", data={"_csrf_token": token, "desk_name": "Касса 1"})
    assert added.status_code in (302, 303), added.text
    desk = await CashDesk.select().first()
    assert desk is not None
    prefix = f"d{desk['id']}_"
    bad = await client.post(
        f"/cash/desks/{desk['id']}/open",
        data={"_csrf_token": token, prefix + "opening_balance": "пять"},
    )
    assert bad.status_code == 400 and _error(bad.text, prefix + "opening_balance")
    assert 'value="пять"' in bad.text  # what was typed stays
    opened = await client.post(
        f"/cash/desks/{desk['id']}/open",
        data={"_csrf_token": token, prefix + "opening_balance": "1 000,50"},
    )
    assert opened.status_code in (302, 303), opened.text
    twice = await client.post(
        f"/cash/desks/{desk['id']}/open",
        data={"_csrf_token": token, prefix + "opening_balance": "0"},
    )
    assert twice.status_code == 409 and "уже открыта" in twice.text  # said, not lost
    page = await client.get("/cash")
    shift = re.search(r'href="/cash/shifts/(\d+)"', page.text)
    assert shift and "1\u00a0000,50\u00a0₽" in page.text
    shift_id = int(shift.group(1))
    move = f"m{shift_id}_"
    too_much = await client.post(
        f"/cash/shifts/{shift_id}/moves",
        data={"_csrf_token": token, move + "kind": "cash_out", move + "amount": "2000",
              move + "reason": "Инкассация"},
    )  # fmt: skip
    assert too_much.status_code == 422
    assert "1\u00a0000,50" in _error(too_much.text, move + "amount")
    assert 'value="Инкассация"' in too_much.text
    close = f"s{shift_id}_"
    unexplained = await client.post(
        f"/cash/shifts/{shift_id}/close", data={"_csrf_token": token, close + "counted": "1000"}
    )
    assert unexplained.status_code == 422 and _error(unexplained.text, close + "comment")
    closed = await client.post(
        f"/cash/shifts/{shift_id}/close",
        data={"_csrf_token": token, close + "counted": "1000", close + "comment": "Мелочь"},
    )
    assert closed.status_code in (302, 303)
    assert closed.headers["location"] == f"/cash/shifts/{shift_id}"
    z = (await client.get(f"/cash/shifts/{shift_id}")).text
    assert re.search(r'data-testid="report-title">Z-отчёт · Касса 1 · смена 1<', z)
    assert 'data-testid="difference"><strong>-0,50\u00a0₽' in z


async def test_the_order_card_takes_a_split_payment_and_refunds(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    order_id = await _order_due(client, "3000")
    card = await client.get(f"/orders/{order_id}")
    token = csrf_of(card.text)
    assert 'data-testid="payment-form"' in card.text and 'data-testid="refund"' not in card.text
    form = {"_csrf_token": token, "amount": "2000", "method": "cash", "amount2": "1000",
            "method2": "card"}  # fmt: skip
    no_shift = await client.post(f"/orders/{order_id}/payments", data=form)
    assert no_shift.status_code == 400 and _error(no_shift.text, "amount")
    assert 'value="1000"' in no_shift.text  # the split typed stays
    await open_cash_shift(client, "100")
    bad_part = await client.post(f"/orders/{order_id}/payments", data={**form, "amount2": "-1"})
    assert bad_part.status_code == 400 and _error(bad_part.text, "amount2")
    paid = await client.post(f"/orders/{order_id}/payments", data=form)
    assert paid.status_code in (302, 303), paid.text
    paid_card = (await client.get(f"/orders/{order_id}")).text
    assert 'data-testid="payments"' in paid_card and paid_card.count("КД-") >= 2
    assert 'data-testid="refund"' in paid_card and 'data-testid="payment-form"' not in paid_card
    document = await CashDocument.select().where(CashDocument.kind == "payment").first()
    assert document is not None
    refund = {"_csrf_token": token, "refund_amount": "2200", "refund_method": "cash",
              "refund_reason": "Отказ от ремонта", "refund_of": str(document["id"])}  # fmt: skip
    drawer = await client.post(f"/orders/{order_id}/refunds", data=refund)
    assert drawer.status_code == 400  # 2200 in cash: the drawer holds 100 + 2000
    assert "2\u00a0100,00" in _error(drawer.text, "refund_amount")
    assert 'value="Отказ от ремонта"' in drawer.text
    assert '<details class="card" open' in drawer.text  # the refund form stays open
    done = await client.post(f"/orders/{order_id}/refunds", data={**refund, "refund_amount": "500"})
    assert done.status_code in (302, 303), done.text
    order = (await client.get(f"/api/v1/orders/{order_id}")).json()
    assert (order["paid"], order["amount_due"]) == ("2500.00", "500.00")
    timeline = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    assert {"payment", "refund"} <= {e["kind"] for e in timeline}


async def test_who_sees_the_cash_desk(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await make_employee("master", roles=["field_technician"])
    await make_employee("tech", roles=["technician"])
    await login_as(client, "anna")
    home = (await client.get("/")).text
    assert 'href="/cash"' in home and (await client.get("/cash")).status_code == 200
    desk_page = (await client.get("/cash")).text
    assert 'data-testid="desk-form"' not in desk_page  # adding a desk is a manager's
    for login in ("master", "tech"):
        await login_as(client, login)
        assert 'href="/cash"' not in (await client.get("/")).text
        assert (await client.get("/cash")).status_code == 403
        assert (await client.get("/api/v1/cash/desks")).status_code == 403


async def test_a_field_masters_takings_land_in_the_masters_own_cash(
    client: httpx.AsyncClient,
) -> None:
    day = await field_day(client)  # logged in as the field master
    order_id = day["order"]["id"]
    results = await push(
        client, mutation("order.payment", order_id, {"amount": "1200.00", "method": "cash"})
    )
    assert [r["result"] for r in results] == ["applied"], results
    documents = await CashDocument.select().where(CashDocument.order_id == order_id)
    assert [(d["kind"], d["shift_id"], str(d["amount"])) for d in documents] == [
        ("payment", None, "1200.00")
    ]  # no shift: a master carries the money until handing it in
    await make_employee("chief", roles=["manager"])
    await login_as(client, "chief")
    desks = (await client.get("/api/v1/cash/desks")).json()["items"]
    own = [d for d in desks if d["kind"] == "field"]
    assert [(d["master_id"], d["cash"]) for d in own] == [(day["master"].id, "1200.00")]

    shift = await open_cash_shift(client, "100")  # the master hands the cash in at the counter
    url = f"/api/v1/cash/shifts/{shift['id']}/handovers"
    handed = await client.post(url, json={"desk_id": own[0]["id"], "amount": "1000"})
    assert handed.status_code == 201, handed.text
    too_much = await client.post(url, json={"desk_id": own[0]["id"], "amount": "500"})
    assert too_much.status_code == 422 and "200,00" in too_much.text
    wrong_desk = await client.post(url, json={"desk_id": shift["desk_id"], "amount": "1"})
    assert wrong_desk.status_code == 422
    desks = (await client.get("/api/v1/cash/desks")).json()["items"]
    cash = {d["kind"]: d["cash"] for d in desks}
    assert cash == {"field": "200.00", "counter": "1100.00"}
    page = (await client.get("/cash")).text
    assert f'data-testid="handover-{own[0]["id"]}"' in page
    prefix = f"h{own[0]['id']}_"
    form = {"_csrf_token": csrf_of(page), "desk_id": str(own[0]["id"]), prefix + "amount": "300"}
    refused = await client.post(f"/cash/shifts/{shift['id']}/handovers", data=form)
    assert refused.status_code == 422 and _error(refused.text, prefix + "amount")
    form[prefix + "amount"] = "200"
    taken = await client.post(f"/cash/shifts/{shift['id']}/handovers", data=form)
    assert taken.status_code in (302, 303), taken.text
