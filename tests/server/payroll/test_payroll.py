"""Payroll: a month computed from closed orders by the rules — a role's salary and percentages
of work and of parts margin, an employee's own rule with a brand coefficient, a partner service
center's reward raised for a brand — with a bonus and a deduction by hand; approved and locked,
after which a changed order and a reopened one land in the next month as corrections while the
locked month stays as it was; the report sheets per employee and per partner; each employee's
own figures; who may do what."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook

from server import clock
from server.orders.tables import Order, OrderLine
from server.partners.schemas import OrgIn
from server.partners.services import create_organization
from server.staff.services import system_actor
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device
from tests.server.requests.builders import error_fields


def _last_month() -> tuple[dt.date, dt.date]:
    last = clock.today().replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


async def _closed_order(
    client: httpx.AsyncClient, closed_on: dt.date, **people: Any
) -> dict[str, Any]:
    """A Bosch repair (work 2000, a part sold at 1000 bought at 600) handed over that day."""
    owner = await make_client()
    order = await intake(client, owner, device_id=await make_device(owner, brand="Bosch"))
    if people:
        changed = await client.patch(f"/api/v1/orders/{order['id']}", json=people)
        assert changed.status_code == 200, changed.text
    for kind, name, price, cost in (
        ("service", "Ремонт", "2000", None),
        ("part", "ТЭН", "1000", "600"),
    ):
        line = {"kind": kind, "name": name, "unit_price": price, "price_reason": "Тест"}
        if cost:
            line["purchase_price"] = cost
        answer = await client.post(f"/api/v1/orders/{order['id']}/lines", json=line)
        assert answer.status_code == 201, answer.text
    await _close(order["id"], closed_on)
    return order


async def _close(order_id: int, day: dt.date) -> None:
    """Handed over that day at noon (as the workflow would close it)."""
    at = dt.datetime.combine(day, dt.time(12), clock.zone())
    await Order.update({Order.closed_at: at}).where(Order.id == order_id)
    await Order.raw(
        "UPDATE service_order SET status = (SELECT id FROM order_status WHERE code = 'issued')"
        " WHERE id = {}",
        order_id,
    )


def _payee(period: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in period["payees"] if p["name"] == name)


async def test_a_month_locked_and_corrected_in_the_next(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    tech1 = await make_employee("tech1", roles=["technician"], full_name="Иван Первый")
    tech2 = await make_employee("tech2", roles=["technician"], full_name="Пётр Второй")
    partner = await create_organization(
        system_actor(), OrgIn(kind="service_center", name="АСЦ Север")
    )
    rules = [
        {"role_code": "technician", "base_kind": "month", "base_amount": "30000",
         "work_percent": "10", "margin_percent": "50"},
        {"employee_id": tech2.id, "work_percent": "20",
         "coefficients": [{"kind": "brand", "key": "bosch", "factor": "1.5"}]},
        {"organization_id": partner.id, "work_percent": "30", "per_line": {"part": "50"},
         "coefficients": [{"kind": "brand", "key": "Bosch", "factor": "1.2"}]},
    ]  # fmt: skip
    for rule in rules:
        saved = await client.post("/api/v1/payroll/rules", json=rule)
        assert saved.status_code == 201, saved.text
    first, last = _last_month()
    middle = first + dt.timedelta(days=10)
    a = await _closed_order(client, middle, technician_id=tech1.id)
    b = await _closed_order(client, middle, technician_id=tech2.id)
    await _closed_order(client, middle, service_center_id=partner.id)
    await _closed_order(client, last + dt.timedelta(days=1), technician_id=tech1.id)  # not ours

    made = await client.post(
        "/api/v1/payroll/periods",
        json={"first_day": first.isoformat(), "last_day": last.isoformat()},
    )
    assert made.status_code == 201, made.text
    period = made.json()
    url = f"/api/v1/payroll/periods/{period['id']}"
    one = _payee(period, "Иван Первый")
    assert one["by_kind"] == {"base": "30000.00", "work": "200.00", "margin": "200.00"}
    assert one["orders"] == 1
    two = _payee(period, "Пётр Второй")
    assert two["by_kind"] == {"work": "600.00"}  # 20% of 2000 × 1.5 for Bosch; no salary
    north = _payee(period, "АСЦ Север")
    assert north["by_kind"] == {"work": "720.00", "per_line": "60.00"}  # 30% × 1.2; 50 × 1.2
    work_line = next(x for x in two["lines"] if x["kind"] == "work")
    assert work_line["basis"].startswith("20\u00a0%") and work_line["basis"].endswith("× 1,5")

    adjustments = [
        {"kind": "bonus", "amount": "1000", "reason": "План", "employee_id": tech1.id},
        {"kind": "deduction", "amount": "500", "reason": "Брак", "employee_id": tech2.id},
    ]
    for body in adjustments:
        assert (await client.post(f"{url}/adjustments", json=body)).status_code == 201
    recomputed = (await client.post(f"{url}/compute")).json()  # the bonuses stay
    assert _payee(recomputed, "Иван Первый")["total"] == "31400.00"
    assert _payee(recomputed, "Пётр Второй")["total"] == "100.00"
    assert recomputed["total"] == "32280.00"

    early = await client.post(f"{url}/lock")
    assert early.status_code == 409  # approve first
    assert (await client.post(f"{url}/approve")).status_code == 201
    assert (await client.post(f"{url}/compute")).status_code == 409
    assert (await client.post(f"{url}/lock")).status_code == 201
    late = await client.post(
        f"{url}/adjustments",
        json={"kind": "bonus", "amount": "10", "reason": "x", "employee_id": tech1.id},
    )
    assert late.status_code == 422 and error_fields(late) == {"amount"}

    # After locking: a work line is added to A, and B is reopened and handed over this month.
    await OrderLine(
        order=a["id"], kind="service", name="Доп. работа", unit_price=Decimal(1000),
        total=Decimal(1000), created_at=dt.datetime.now(dt.UTC),
    ).save()  # fmt: skip
    await _close(b["id"], clock.today())
    await client.post("/api/v1/payroll/rules", json={**rules[0], "work_percent": "99"})
    # (a rule changed later does not rewrite the locked month: it keeps its own)

    assert (await client.get(url)).json()["total"] == "32280.00"  # the locked month stays
    following = await client.post("/api/v1/payroll/periods", json={})
    assert following.status_code == 201, following.text
    now = following.json()
    corrections = [
        (p["name"], x["kind"], x["order_number"], x["amount"])
        for p in now["payees"] for x in p["lines"] if x["for_period"]
    ]  # fmt: skip
    assert sorted(corrections) == sorted([
        ("Иван Первый", "work", a["number"], "100.00"),  # 10% of the new 1000, by its rules
        ("Пётр Второй", "work", b["number"], "-600.00"),  # B left the locked month...
    ])  # fmt: skip
    two_now = _payee(now, "Пётр Второй")
    fresh = [x for x in two_now["lines"] if not x["for_period"]]
    assert [(x["kind"], x["amount"]) for x in fresh] == [("work", "600.00")]  # ...and is here

    sheets = await client.get(f"{url}/sheets.xlsx")
    assert sheets.status_code == 200
    book = load_workbook(io.BytesIO(sheets.content))
    assert {"Иван Первый", "Пётр Второй", "АСЦ Север"} <= set(book.sheetnames)
    north_rows = [[c.value for c in row] for row in book["АСЦ Север"].iter_rows()]
    assert north_rows[-1][0] == "Итого" and north_rows[-1][-1] == 780.0
    summary_rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert summary_rows[-1][-1] == 32280.0

    await login_as(client, "tech2")
    mine = (await client.get("/api/v1/payroll/me")).json()
    assert (mine["orders_done"], mine["earned"], mine["has_rule"]) == (1, "600.00", True)
    assert (await client.get("/payroll/me")).status_code == 200
    for path in ("/api/v1/payroll/periods", url, "/payroll", "/api/v1/payroll/rules"):
        assert (await client.get(path)).status_code == 403, path


async def test_bad_rules_and_periods_are_named(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    cases: list[tuple[dict[str, Any], str]] = [
        ({"work_percent": "10"}, "role_code"),
        ({"role_code": "technician", "employee_id": 1}, "role_code"),
        ({"role_code": "nobody"}, "role_code"),
        ({"role_code": "technician", "work_percent": "101"}, "work_percent"),
        ({"role_code": "technician", "base_amount": "-5"}, "base_amount"),
        ({"role_code": "technician",
          "coefficients": [{"kind": "brand", "key": "Bosch", "factor": "0"}]},
         "coefficients.0.factor"),
    ]  # fmt: skip
    for body, field in cases:
        answer = await client.post("/api/v1/payroll/rules", json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert error_fields(answer) == {field}, (body, answer.text)
    assert (await client.get("/api/v1/payroll/rules")).json() == []
    first, last = _last_month()
    made = await client.post("/api/v1/payroll/periods", json={"first_day": first.isoformat()})
    assert made.status_code == 201 and made.json()["last_day"] == last.isoformat()
    overlap = await client.post(
        "/api/v1/payroll/periods", json={"first_day": (last - dt.timedelta(days=3)).isoformat()}
    )
    assert overlap.status_code == 422 and error_fields(overlap) == {"first_day"}
    backwards = await client.post(
        "/api/v1/payroll/periods",
        json={"first_day": "2025-03-10", "last_day": "2025-03-01"},
    )
    assert backwards.status_code == 422 and error_fields(backwards) == {"last_day"}
