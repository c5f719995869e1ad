"""Reminders about clients and loyalty discounts."""

from __future__ import annotations

from decimal import Decimal

import httpx

from server.audit.tables import AuditEntry
from server.clients.services import effective_discount
from tests.server.builders import login_as, make_employee
from tests.server.clients.helpers import errors_of, make_client
from tests.server.orders.builders import intake


async def test_reminders_are_seen_by_their_assignee_overdue_first(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("boss", roles=["admin"])
    anna = await make_employee("anna", roles=["receiver"])
    await login_as(client, "boss")
    owner = await make_client(client, "Иван")
    url = f"/api/v1/clients/{owner['id']}/reminders"
    later = await client.post(
        url,
        json={"text": "Позвонить", "due_at": "2099-01-01T10:00:00+03:00", "assignee_id": anna.id},
    )
    assert later.status_code == 201, later.text
    overdue = await client.post(
        url,
        json={
            "text": "Напомнить о заказе",
            "due_at": "2020-01-01T10:00:00+03:00",
            "assignee_id": anna.id,
        },
    )
    await client.post(url, json={"text": "Моё", "due_at": "2030-01-01T10:00:00Z"})
    naive = await client.post(url, json={"text": "x", "due_at": "2030-01-01T10:00:00"})
    assert naive.status_code == 422 and await errors_of(naive) == {"due_at"}
    assert [r["text"] for r in (await client.get("/api/v1/reminders")).json()["items"]] == ["Моё"]
    everyone = (await client.get("/api/v1/reminders", params={"all": "1"})).json()["items"]
    assert len(everyone) == 3

    await login_as(client, "anna")
    items = (await client.get("/api/v1/reminders")).json()["items"]
    assert [r["text"] for r in items] == ["Напомнить о заказе", "Позвонить"]
    assert items[0]["overdue"] is True and items[1]["overdue"] is False
    assert (await client.get("/api/v1/reminders", params={"all": "1"})).status_code == 200
    done = await client.patch(f"/api/v1/reminders/{overdue.json()['id']}", json={"done": True})
    assert done.status_code == 200 and done.json()["done"] is True
    assert [r["text"] for r in (await client.get("/api/v1/reminders")).json()["items"]] == [
        "Позвонить"
    ]
    card = (await client.get(f"/api/v1/clients/{owner['id']}")).json()
    assert {r["text"] for r in card["reminders"]} == {"Позвонить", "Моё"}
    scopes = await AuditEntry.select(AuditEntry.scope).where(AuditEntry.entity == "reminder")
    assert {s["scope"] for s in scopes} == {f"client:{owner['id']}"}


async def test_technician_sees_only_own_reminders(client: httpx.AsyncClient) -> None:
    tech = await make_employee("tech", roles=["technician"])
    other = await make_employee("other", roles=["technician"])
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    owner = await make_client(client, "Иван")
    for master in (tech, other):  # both work on an order of the client
        await intake(client, owner["id"], technician_id=master.id)
    await login_as(client, "tech")
    own = await client.post(
        f"/api/v1/clients/{owner['id']}/reminders",
        json={"text": "Перезвонить", "due_at": "2030-01-01T10:00:00Z"},
    )
    assert own.status_code == 201
    foreign = await client.post(
        f"/api/v1/clients/{owner['id']}/reminders",
        json={"text": "Тебе", "due_at": "2030-01-01T10:00:00Z", "assignee_id": other.id},
    )
    assert foreign.status_code == 403
    await login_as(client, "other")
    theirs = await client.post(
        f"/api/v1/clients/{owner['id']}/reminders",
        json={"text": "Своё", "due_at": "2030-01-01T10:00:00Z"},
    )
    await login_as(client, "tech")
    refused = await client.patch(f"/api/v1/reminders/{theirs.json()['id']}", json={"done": True})
    assert refused.status_code == 404
    assert [r["text"] for r in (await client.get("/api/v1/reminders")).json()["items"]] == [
        "Перезвонить"
    ]
    assert (await client.get("/api/v1/reminders", params={"all": "1"})).status_code == 403


async def test_effective_discount_personal_versus_rules(admin_client: httpx.AsyncClient) -> None:
    owner = await make_client(admin_client, "Иван", discount_percent="5")
    assert await effective_discount(owner["id"]) == (Decimal("5.00"), "Личная скидка 5%")
    rule = await admin_client.post(
        "/api/v1/settings/loyalty-rules",
        json={"name": "Постоянный клиент", "min_completed_orders": 0, "percent": "10"},
    )
    assert rule.status_code == 201, rule.text
    percent, reason = await effective_discount(owner["id"])
    assert percent == Decimal("10.00")
    assert reason == "Правило «Постоянный клиент»: 0 выполненных заказов"
    unreachable = await admin_client.post(
        "/api/v1/settings/loyalty-rules",
        json={"name": "Крупный", "min_total_spend": "100000", "percent": "20"},
    )
    assert unreachable.status_code == 201
    assert (await effective_discount(owner["id"]))[0] == Decimal("10.00")
    await admin_client.patch(f"/api/v1/clients/{owner['id']}", json={"discount_percent": 15})
    card = (await admin_client.get(f"/api/v1/clients/{owner['id']}")).json()
    assert card["discount"] == {"percent": "15.00", "reason": "Личная скидка 15%"}
    await admin_client.patch(
        f"/api/v1/settings/loyalty-rules/{rule.json()['id']}", json={"percent": 30}
    )
    assert (await effective_discount(owner["id"]))[0] == Decimal("30.00")
    deleted = await admin_client.delete(f"/api/v1/settings/loyalty-rules/{rule.json()['id']}")
    assert deleted.status_code == 204
    assert await effective_discount(owner["id"]) == (Decimal("15.00"), "Личная скидка 15%")
    rules = (await admin_client.get("/api/v1/settings/loyalty-rules")).json()["items"]
    assert [r["name"] for r in rules] == ["Крупный"]
    audited = await AuditEntry.count().where(AuditEntry.entity == "loyalty_rule")
    assert audited == 4


async def test_loyalty_rule_input_is_checked(admin_client: httpx.AsyncClient) -> None:
    url = "/api/v1/settings/loyalty-rules"
    cases = [
        ({"name": "X", "percent": "10"}, "min_completed_orders"),
        ({"name": "X", "percent": "0", "min_completed_orders": 1}, "percent"),
        ({"name": "X", "percent": "101", "min_completed_orders": 1}, "percent"),
        ({"name": "X", "percent": "5", "min_total_spend": "1e30"}, "min_total_spend"),
        ({"name": " ", "percent": "5", "min_completed_orders": 1}, "name"),
    ]
    for body, field in cases:
        response = await admin_client.post(url, json=body)
        assert response.status_code == 422, (body, response.text)
        assert await errors_of(response) == {field}
