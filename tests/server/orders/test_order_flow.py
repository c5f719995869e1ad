"""From intake to handover through HTTP: receiver, technician, customer, receiver."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from litestar import Litestar

from server import clock
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.orders.builders import intake, make_client, make_device, price_item


def client_for(app: Litestar, ip: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 1))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_intake_to_handover(client: httpx.AsyncClient, app: Litestar) -> None:
    master = await make_employee("master", roles=["technician"])
    await make_employee("anna", roles=["receiver"])
    client_id = await make_client()
    device_id = await make_device(client_id)
    await login_as(client, "anna")
    await open_cash_shift(client)

    order = await intake(
        client,
        client_id,
        device_id=device_id,
        declared_fault="Не сливает воду",
        appearance="Царапины на крышке",
        accessories="Шланг",
        locked_note="1234",
        estimated_cost="3000",
        prepayment="500",
        technician_id=master.id,
    )
    assert re.fullmatch(r"\d\d-000001", order["number"])
    assert re.fullmatch(r"[2-9A-Z]{6}", order["public_code"])
    assert order["status"]["code"] == "new"
    assert order["device"]["serial"] == "SN123456"
    assert order["paid"] == "500.00"
    assert order["amount_due"] == "0.00"
    assert order["locked_note"] == "1234"

    async with client_for(app, "127.0.0.9") as bench:
        await login_as(bench, "master")
        order_url = f"/api/v1/orders/{order['id']}"
        diag = await bench.post(f"{order_url}/status", json={"status": "diagnostics"})
        assert diag.status_code == 200, diag.text
        too_early = await bench.post(f"{order_url}/status", json={"status": "ready"})
        assert too_early.status_code == 422  # diagnostics -> ready is no transition
        await bench.post(f"{order_url}/status", json={"status": "in_repair"})
        no_work = await bench.post(f"{order_url}/status", json={"status": "ready"})
        assert no_work.status_code == 422
        assert "работ" in no_work.json()["detail"]
        pump = await price_item("WASH-PUMP")
        part = await price_item("P-PUMP")
        with_lines = await bench.post(f"{order_url}/lines", json={"price_item_id": pump["id"]})
        assert with_lines.status_code == 201, with_lines.text
        with_lines = await bench.post(f"{order_url}/lines", json={"price_item_id": part["id"]})
        body = with_lines.json()
        assert body["total"] == "4100.00"
        assert body["amount_due"] == "3600.00"
        assert all(
            "purchase_price" not in line for line in body["lines"]
        )  # hidden from technicians
        cheaper = await bench.post(
            f"{order_url}/lines", json={"price_item_id": pump["id"], "unit_price": "100"}
        )
        assert cheaper.status_code == 403
        ready = await bench.post(f"{order_url}/status", json={"status": "ready"})
        assert ready.status_code == 200
        refused = await bench.post(f"{order_url}/status", json={"status": "issued"})
        assert refused.status_code == 403  # only the counter hands devices over

    async with client_for(app, "10.0.0.5") as customer:
        seen = await customer.post(
            "/api/v1/public/status",
            json={"number": order["number"], "code": order["public_code"].lower()},
        )
        assert seen.status_code == 200
        assert seen.json()["found"] is True
        assert seen.json()["status"] == "Готов"
        assert seen.json()["amount_due"] == "3600.00"
        assert set(seen.json()) == {
            "found",
            "number",
            "status",
            "status_group",
            "device",
            "due_at",
            "amount_due",
            "visit_day",
            "visit_window_start",
            "visit_window_end",
        }

    unpaid = await client.post(f"/api/v1/orders/{order['id']}/status", json={"status": "issued"})
    assert unpaid.status_code == 422
    assert "3600.00" in unpaid.json()["detail"]
    paid = await client.post(
        f"/api/v1/orders/{order['id']}/payments", json={"amount": "3600", "method": "card"}
    )
    assert paid.status_code == 201
    assert paid.json()["amount_due"] == "0.00"
    issued = await client.post(f"/api/v1/orders/{order['id']}/status", json={"status": "issued"})
    assert issued.status_code == 200
    assert issued.json()["status"]["group"] == "closed"
    assert issued.json()["closed_at"] is not None

    feed = (await client.get(f"/api/v1/orders/{order['id']}/timeline")).json()["items"]
    kinds = [e["kind"] for e in feed]
    assert kinds[0] == "create"
    assert kinds.count("status") == 4
    assert kinds.count("line_add") == 2
    assert "payment" in kinds


async def test_the_number_follows_the_centers_year_on_new_years_night(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_year = dt.datetime(2026, 12, 31, 21, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Moscow
    monkeypatch.setattr(clock, "now", lambda: new_year)
    order = await intake(admin_client, await make_client())
    assert order["number"] == "27-000001"
