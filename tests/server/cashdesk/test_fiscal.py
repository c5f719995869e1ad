"""Fiscal receipts against a local server speaking ATOL's web server protocol: every payment
and refund taken at a desk gets one receipt even when a try's answer is lost (the uuid makes a
second try the same task), the final payment lists the order's lines and counts the advance,
a refusal is kept with the register's words; money a master takes at the client's is sent to
the client's e-mail or phone instead of printed (printed when the client left neither); a bank
transfer and a center without a register get none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from server.cashdesk import fiscal
from server.cashdesk.tables import CashReceipt
from server.clients.tables import ClientEmail, ClientPhone
from server.config import get_settings
from tests.atol import AtolRegister, atol_register
from tests.server.builders import open_cash_shift
from tests.server.orders.builders import intake, make_client
from tests.server.sync.builders import field_day, mutation, push


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Iterator[AtolRegister]:
    with atol_register() as running:
        monkeypatch.setenv("SERVIO_FISCAL", "atol")
        monkeypatch.setenv("SERVIO_FISCAL_URL", running.url)
        monkeypatch.setenv("SERVIO_FISCAL_TIMEOUT", "0.5")
        get_settings.cache_clear()
        yield running
    monkeypatch.undo()
    get_settings.cache_clear()


async def _receipts() -> list[dict[str, Any]]:
    query = CashReceipt.select().order_by(CashReceipt.id).output(load_json=True)
    return list(await query)


async def _order(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    order = await intake(client, await make_client(), **fields)
    for name, price in (("Замена насоса", "2000"), ("Насос сливной", "1000")):
        kind = "service" if name.startswith("Замена") else "part"
        answer = await client.post(
            f"/api/v1/orders/{order['id']}/lines",
            json={"kind": kind, "name": name, "unit_price": price, "price_reason": "Тест"},
        )
        assert answer.status_code == 201, answer.text
    return order


async def test_one_receipt_per_payment_even_when_an_answer_is_lost(
    admin_client: httpx.AsyncClient, register: AtolRegister
) -> None:
    await open_cash_shift(admin_client)
    order = await _order(admin_client, prepayment="500", prepayment_method="cash")
    [advance] = await _receipts()
    assert await fiscal.send(advance["id"]) == "done"
    assert register.printed()[0].task["items"][0]["paymentMethod"] == "prepayment"

    register.late_posts, register.late_by = 1, 1.5  # the register queues it, the answer is lost
    paid = await admin_client.post(
        f"/api/v1/orders/{order['id']}/payments",
        json={
            "parts": [{"method": "cash", "amount": "1500"}, {"method": "card", "amount": "1000"}]
        },
    )
    assert paid.status_code == 201, paid.text
    final = (await _receipts())[1]
    assert await fiscal.send(final["id"]) == "pending"  # timed out: tried again later
    assert "Timeout" in (await _receipts())[1]["error"]
    assert await fiscal.send(final["id"]) == "done"  # the same uuid: the register knows it
    assert await fiscal.send(final["id"]) == "done"  # nothing more is sent once done
    assert register.posts == 3 and len(register.receipts) == 2 and len(register.printed()) == 2

    task = register.receipts[final["uuid"]].task
    assert task["type"] == "sell" and task["total"] == 3000.0
    assert [(i["name"], i["amount"], i["paymentObject"]) for i in task["items"]] == [
        ("Замена насоса", 2000.0, "service"), ("Насос сливной", 1000.0, "commodity"),
    ]  # fmt: skip
    assert {i["paymentMethod"] for i in task["items"]} == {"fullPayment"}
    assert task["payments"] == [
        {"type": "cash", "sum": 1500.0},
        {"type": "electronically", "sum": 1000.0},
        {"type": "prepaid", "sum": 500.0},
    ]
    shift = (await admin_client.get("/api/v1/cash/desks")).json()["items"][0]["open_shift"]
    report = (await admin_client.get(f"/api/v1/cash/shifts/{shift['id']}")).json()
    fiscal_data = [d["fiscal"] for d in report["documents"]]
    assert [f["state"] for f in fiscal_data] == ["done", "done"]
    assert [f["document_number"] for f in fiscal_data] == [101, 102]
    assert all(f["document_sign"] and f["storage_number"] for f in fiscal_data)
    page = (await admin_client.get(f"/cash/shifts/{shift['id']}")).text
    assert "чек: ФД 101" in page and "чек: ФД 102" in page


async def test_a_refund_gets_a_return_receipt_and_a_transfer_none(
    admin_client: httpx.AsyncClient, register: AtolRegister
) -> None:
    await open_cash_shift(admin_client, "1000")
    order = await _order(admin_client)
    url = f"/api/v1/orders/{order['id']}"
    assert (await admin_client.post(f"{url}/payments", json={"amount": "3000"})).status_code == 201
    by_bank = await admin_client.post(f"{url}/refunds", json={"amount": "100", "method": "transfer",
                                                              "reason": "Скидка"})  # fmt: skip
    assert by_bank.status_code == 201, by_bank.text
    back = await admin_client.post(f"{url}/refunds", json={"amount": "400", "reason": "Брак"})
    assert back.status_code == 201, back.text
    receipts = await _receipts()
    assert [r["kind"] for r in receipts] == ["sell", "sellReturn"]  # none for the transfer
    register.busy_reads = 2  # the register prints it a moment later
    assert await fiscal.send(receipts[1]["id"]) == "done"
    task = register.receipts[receipts[1]["uuid"]].task
    assert task["payments"] == [{"type": "cash", "sum": 400.0}]
    assert task["items"][0]["amount"] == 400.0


async def test_a_refused_receipt_is_kept_with_the_registers_words(
    admin_client: httpx.AsyncClient, register: AtolRegister
) -> None:
    await open_cash_shift(admin_client)
    order = await _order(admin_client)
    await CashReceipt.delete(force=True)
    paid = await admin_client.post(f"/api/v1/orders/{order['id']}/payments", json={"amount": "10"})
    assert paid.status_code == 201
    [receipt] = await _receipts()
    broken = {**receipt["task"], "total": 11.0}  # a task the register refuses
    await CashReceipt.update({CashReceipt.task: broken}).where(CashReceipt.id == receipt["id"])
    assert await fiscal.send(receipt["id"]) == "failed"
    [kept] = await _receipts()
    assert kept["state"] == "failed" and "Сумма" in kept["error"]
    assert await fiscal.send(receipt["id"]) == "failed"  # not sent again
    assert register.posts == 1


async def test_without_a_register_nothing_pretends_to_be_fiscal(
    admin_client: httpx.AsyncClient,
) -> None:
    assert not fiscal.enabled()
    await open_cash_shift(admin_client)
    order = await _order(admin_client, prepayment="500")
    paid = await admin_client.post(f"/api/v1/orders/{order['id']}/payments", json={"amount": "10"})
    assert paid.status_code == 201
    assert await _receipts() == []
    shift = (await admin_client.get("/api/v1/cash/desks")).json()["items"][0]["open_shift"]
    report = (await admin_client.get(f"/api/v1/cash/shifts/{shift['id']}")).json()
    assert [d["fiscal"] for d in report["documents"]] == [None, None]


async def test_money_taken_in_the_field_gets_an_electronic_receipt(
    client: httpx.AsyncClient, register: AtolRegister
) -> None:
    day = await field_day(client)
    order_id, client_id = day["order"]["id"], day["order"]["client"]["id"]
    paid = mutation("order.payment", order_id, {"amount": "300.00", "method": "cash"})
    assert [r["result"] for r in await push(client, paid)] == ["applied"]
    [printed] = await _receipts()  # no e-mail or phone: printed at the center, handed later
    assert "electronically" not in printed["task"] and "clientInfo" not in printed["task"]

    await ClientPhone(client=client_id, number="+79161112233", is_primary=True).save()
    await ClientEmail(client=client_id, email="petrov@example.ru").save()
    again = mutation("order.payment", order_id, {"amount": "200.00", "method": "cash"})
    assert [r["result"] for r in await push(client, again)] == ["applied"]
    sent = (await _receipts())[1]
    assert sent["task"]["electronically"] is True
    assert sent["task"]["clientInfo"] == {"emailOrPhone": "petrov@example.ru"}  # e-mail first
    assert sent["task"]["operator"]["name"] == day["master"].full_name
    assert await fiscal.send(sent["id"]) == "done"
    assert register.receipts[sent["uuid"]].task["electronically"] is True
