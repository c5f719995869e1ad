"""Regression tests of issue #9's findings about scope and field access (1, 2, 5, 6, 11, 13).

Each test builds the situation an attacker used on the demo data and checks the output path
named in the finding.
"""

from __future__ import annotations

import base64
from typing import Any

import asyncpg
import httpx
import pytest

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.dispatch.builders import field_order
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.sync.builders import plan_visit

HIDDEN = {
    f"order.{f}": "hidden" for f in ("total", "paid", "amount_due", "declared_fault", "due_at")
}


async def _two_technicians(client: httpx.AsyncClient) -> dict[str, Any]:
    """A client with a device and one order for each of two bench technicians."""
    await make_employee("boss", roles=["admin"])
    mine = await make_employee("tech1", roles=["technician"])
    theirs = await make_employee("tech2", roles=["technician"])
    client_id = await make_client("Общий клиент")
    device_id = await make_device(client_id, serial="SHARED1")
    await login_as(client, "boss")
    own = await intake(
        client, client_id, device_id=device_id, technician_id=mine.id,
        declared_fault="moyapoloma",
    )  # fmt: skip
    other = await intake(
        client, client_id, device_id=device_id, technician_id=theirs.id,
        declared_fault="chuzhayapoloma",
    )  # fmt: skip
    return {"client": client_id, "device": device_id, "own": own, "other": other}


async def test_history_lists_only_orders_in_scope(client: httpx.AsyncClient) -> None:
    data = await _two_technicians(client)
    await login_as(client, "tech1")
    for url in (
        f"/api/v1/clients/{data['client']}/history",
        f"/api/v1/devices/{data['device']}/history",
        f"/clients/{data['client']}",
    ):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert "moyapoloma" in response.text, url
        assert "chuzhayapoloma" not in response.text, url
        assert data["other"]["number"] not in response.text, url


async def test_dealer_lists_only_clients_of_own_orders(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await make_employee("dealer", roles=["dealer"])
    await make_client("Чужой клиент", phone="+79160000001")
    await login_as(client, "dealer")
    mine = await client.post("/api/v1/clients", json={"name": "Клиент дилера"})
    assert mine.status_code == 201
    names = [c["name"] for c in (await client.get("/api/v1/clients")).json()["items"]]
    assert names == ["Клиент дилера"]
    found = (await client.get("/api/v1/clients", params={"q": "79160000001"})).json()["items"]
    assert found == []


async def test_field_master_pull_history_holds_only_own_orders(client: httpx.AsyncClient) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    other = await make_employee("field2", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    foreign = await intake(client, order["client"]["id"], declared_fault="chuzhoyvyezd")
    assert (await client.patch(f"/api/v1/orders/{foreign['id']}",
                               json={"technician_id": other.id})).status_code == 200  # fmt: skip
    await plan_visit(client, order["id"], master.id)
    await login_as(client, "field1")
    pulled = (await client.get("/api/v1/sync/pull")).json()
    history = pulled["clients"][0]["history"]
    assert [h["id"] for h in history] == [order["id"]]
    assert "chuzhoyvyezd" not in str(pulled)


async def _hide_from_technicians() -> None:
    await Role.update({Role.field_permissions: HIDDEN}).where(Role.code == "technician")


async def test_hidden_money_and_fault_stay_hidden_everywhere(client: httpx.AsyncClient) -> None:
    data = await _two_technicians(client)
    order_id = data["own"]["id"]
    item = await price_item("DIAG")
    assert (await client.post(f"/api/v1/orders/{order_id}/lines",
                              json={"price_item_id": item["id"]})).status_code == 201  # fmt: skip
    await open_cash_shift(client)
    paid = await client.post(f"/api/v1/orders/{order_id}/payments", json={"amount": "123.45"})
    assert paid.status_code == 201
    changed = await client.patch(
        f"/api/v1/orders/{order_id}", json={"declared_fault": "novayapoloma"}
    )
    assert changed.status_code == 200
    await _hide_from_technicians()
    await login_as(client, "tech1")
    price = f"{item['price']:.2f}"

    lines = (await client.get(f"/api/v1/orders/{order_id}/lines")).json()
    assert lines["items"] and all(
        "unit_price" not in i and "total" not in i for i in lines["items"]
    )
    assert "total" not in lines and "paid" not in lines

    feed = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    text = str(feed)
    for secret in ("moyapoloma", "novayapoloma", "123.45", price):
        assert secret not in text, secret
    assert any(e["kind"] == "line_add" for e in feed)  # the line is there, without its money

    history = (await client.get(f"/api/v1/clients/{data['client']}/history")).json()
    assert history["orders"] and all(
        not {"declared_fault", "total", "amount_due"} & set(o) for o in history["orders"]
    )
    card = (await client.get(f"/api/v1/clients/{data['client']}")).json()
    assert "total_spend" not in card["totals"]

    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200
    for secret in ("novayapoloma", "123.45"):  # (the price list itself stays on the form)
        assert secret not in page.text, secret


async def test_search_sort_and_cursor_ignore_hidden_fields(client: httpx.AsyncClient) -> None:
    data = await _two_technicians(client)
    await intake(client, data["client"], technician_id=(await _tech1_id()), declared_fault="x")
    await _hide_from_technicians()
    await login_as(client, "tech1")
    by_fault = await client.get("/api/v1/orders", params={"q": "moyapoloma"})
    assert by_fault.status_code == 200 and by_fault.json()["items"] == []
    by_number = await client.get("/api/v1/orders", params={"q": data["own"]["number"]})
    assert [o["id"] for o in by_number.json()["items"]] == [data["own"]["id"]]
    assert (await client.get("/api/v1/orders", params={"sort": "due"})).status_code == 422
    assert (await client.get("/api/v1/orders", params={"overdue": "true"})).status_code == 422

    page = (await client.get("/api/v1/orders", params={"limit": 1})).json()
    assert page["next"]
    raw = base64.urlsafe_b64decode(page["next"] + "=" * (-len(page["next"]) % 4))
    assert b"due" not in raw
    forged = page["next"][:-2] + ("AA" if page["next"][-2:] != "AA" else "BB")
    assert (await client.get("/api/v1/orders", params={"cursor": forged})).status_code == 422


async def _tech1_id() -> int:
    from server.staff.tables import Employee

    row = await Employee.select(Employee.id).where(Employee.login == "tech1").first()
    assert row is not None
    return int(row["id"])


async def test_technician_cannot_hide_own_changes(client: httpx.AsyncClient) -> None:
    data = await _two_technicians(client)
    order_id = data["own"]["id"]
    await make_employee("manager", roles=["manager"])
    await login_as(client, "tech1")
    changed = await client.patch(f"/api/v1/orders/{order_id}", json={"declared_fault": "drugaya"})
    assert changed.status_code == 200
    feed = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    own_change = [e for e in feed if e["kind"] == "update"][-1]
    url = f"/api/v1/orders/{order_id}/timeline/{own_change['id']}"
    hide = await client.patch(url, json={"hidden_from_roles": ["manager", "admin"]})
    assert hide.status_code == 403
    await login_as(client, "manager")
    refused = await client.patch(url, json={"hidden_from_roles": ["receiver"]})
    assert refused.status_code == 403 and "receiver" in refused.text
    allowed = await client.patch(url, json={"hidden_from_roles": ["dealer"]})
    assert allowed.status_code == 200
    feed = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    assert own_change["id"] in [e["id"] for e in feed]


async def test_reassigned_order_takes_its_visit_from_the_old_master(
    client: httpx.AsyncClient,
) -> None:
    first = await make_employee("field1", roles=["field_technician"])
    second = await make_employee("field2", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await plan_visit(client, order["id"], first.id)
    moved = await client.patch(f"/api/v1/orders/{order['id']}", json={"technician_id": second.id})
    assert moved.status_code == 200
    await login_as(client, "field1")
    assert (await client.get(f"/api/v1/visits/{visit['id']}")).status_code == 404
    assert (await client.get(f"/dispatch/visits/{visit['id']}")).status_code == 404
    status = await client.post(f"/api/v1/visits/{visit['id']}/status", json={"status": "en_route"})
    assert status.status_code == 404
    day = (await client.get("/api/v1/visits", params={"day": visit["day"]})).json()
    assert visit["id"] not in [v["id"] for v in day["items"]]


async def test_client_card_shows_others_reminders_only_to_editors(
    client: httpx.AsyncClient,
) -> None:
    data = await _two_technicians(client)
    await make_employee("manager", roles=["manager"])
    await login_as(client, "manager")
    private = await client.post(
        f"/api/v1/clients/{data['client']}/reminders",
        json={"text": "lichnoe-napominanie", "due_at": "2030-01-01T10:00:00Z"},
    )
    assert private.status_code == 201
    await login_as(client, "tech1")
    card = await client.get(f"/api/v1/clients/{data['client']}")
    assert card.status_code == 200 and "lichnoe-napominanie" not in card.text
    await login_as(client, "manager")
    assert "lichnoe-napominanie" in (await client.get(f"/api/v1/clients/{data['client']}")).text


@pytest.mark.usefixtures("db")
async def test_a_transaction_whose_connection_dies_hands_it_back() -> None:
    """The outage of finding 13: the backend goes away inside a transaction; the caller sees
    the connection error (503) and the next query of the same task runs on a good one."""
    from server.piccolo_conf import DB
    from server.staff.tables import Employee

    with pytest.raises((asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)):
        async with DB.transaction():
            await Employee.raw("SELECT pg_terminate_backend(pg_backend_pid())")
            await Employee.raw("SELECT 1")
    assert DB.current_transaction.get() is None
    assert await Employee.count() >= 0
