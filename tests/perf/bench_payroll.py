"""A month's payroll over a big center: time and queries (figures only, never pass or fail).

Usage: python -m tests.perf payroll [--orders=20000] [--employees=50]

A database of its own (`servio_bench_payroll`) gets N technicians, three partner service
centers, a role rule (salary, 10 % of work, 30 % of parts margin), ten employees' own rules
with brand coefficients and the partners' rules, and M orders handed over last month (three
lines each: work, a part, a good; every tenth repaired by a partner). Then: making and
computing the month, reading it, its XLSX report sheets, computing it again, and, once it is
locked, computing the following month with the corrections of a thousand changed orders.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from typing import Any

os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_payroll")

ORDERS = """
WITH t AS (SELECT id FROM order_type WHERE code = 'repair'),
     s AS (SELECT id FROM order_status WHERE code = 'issued')
INSERT INTO service_order (number, public_code, order_type, status, priority, client,
                           technician, service_center, created_at, updated_at, closed_at)
SELECT 'P-' || n, 'Q' || n, t.id, s.id, 'normal', $2,
       CASE WHEN n % 10 = 0 THEN NULL ELSE ($3::int[])[1 + n % array_length($3::int[], 1)] END,
       CASE WHEN n % 10 = 0 THEN ($4::int[])[1 + n % array_length($4::int[], 1)] END,
       $5::timestamptz, $5::timestamptz, $5::timestamptz + (n % (27 * 24)) * interval '1 hour'
FROM generate_series(1, $1) AS n, t, s
"""
LINES = """
INSERT INTO order_line ("order", kind, name, quantity, unit_price, purchase_price, total,
                        discount_percent, warranty_days, created_at)
SELECT o.id, k.kind, k.name, 1, k.price, k.cost, k.price, 0, 0, now()
FROM service_order o,
     (VALUES ('service', 'Ремонт', 2500.00, 0.00), ('part', 'ТЭН', 1800.00, 1100.00),
             ('good', 'Средство от накипи', 450.00, 200.00)) AS k(kind, name, price, cost)
"""
CHANGE = (
    "UPDATE order_line SET total = total + 100 WHERE kind = 'service' AND \"order\" IN"
    " (SELECT id FROM service_order ORDER BY id LIMIT $1)"
)


def _options(argv: list[str]) -> dict[str, int]:
    options = {"orders": 20_000, "employees": 50}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name in options and value.isdigit():
            options[name] = int(value)
    return options


def _month_before(day: dt.date) -> tuple[dt.date, dt.date]:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


async def _fill(orders: int, employees: int) -> tuple[dt.date, dt.date]:
    import asyncpg

    from server import clock
    from server.clients.tables import Client
    from server.partners.schemas import OrgIn
    from server.partners.services import create_organization
    from server.payroll import rules
    from server.payroll.schemas import CoefficientIn, RuleIn
    from server.staff.services import system_actor
    from tests.database import reset_database
    from tests.server.builders import make_employee

    await reset_database()
    started = time.time()
    actor = system_actor()
    people = [
        (await make_employee(f"tech{i}", roles=["technician"], full_name=f"Мастер {i:02d}")).id
        for i in range(employees)
    ]
    partners = [
        (await create_organization(actor, OrgIn(kind="service_center", name=f"АСЦ {i}"))).id
        for i in range(3)
    ]
    now = dt.datetime.now(dt.UTC)
    client = Client(kind="person", name="Бенч Клиентов", created_at=now, updated_at=now)
    await client.save()
    first, last = _month_before(clock.today())
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        async with conn.transaction():
            start = dt.datetime.combine(first, dt.time(9), clock.zone())
            await conn.execute(ORDERS, orders, client.id, people, partners, start)
            await conn.execute(LINES)
    finally:
        await conn.close()
    bosch = [CoefficientIn("brand", "Bosch", _d("1.2"))]
    await rules.save_rule(actor, RuleIn(role_code="technician", base_kind="month",
                                        base_amount=_d("40000"), work_percent=_d("10"),
                                        margin_percent=_d("30")))  # fmt: skip
    for employee in people[:10]:
        await rules.save_rule(actor, RuleIn(employee_id=employee, work_percent=_d("15"),
                                            coefficients=bosch))  # fmt: skip
    for partner in partners:
        rule = RuleIn(
            organization_id=partner, work_percent=_d("35"), per_line={"part": _d("50")},
            coefficients=bosch,
        )  # fmt: skip
        await rules.save_rule(actor, rule)
    print(f"filled {employees} employees, {orders} orders in {time.time() - started:.1f} s")
    return first, last


def _d(text: str) -> Any:
    from decimal import Decimal

    return Decimal(text)


async def _timed(name: str, work: Any) -> Any:
    from tests.querycount import count_queries

    started = time.perf_counter()
    with count_queries() as counted:
        result = await work
    print(f"{name:<40} {time.perf_counter() - started:>8.2f} {len(counted):>8}", flush=True)
    return result


async def _run(orders: int, employees: int) -> None:
    import asyncpg

    from server.payroll import exports, periods, reading
    from server.payroll.schemas import PeriodIn
    from server.staff.services import system_actor

    first, last = await _fill(orders, employees)
    actor = system_actor()
    print(f"{'step':<40} {'seconds':>8} {'queries':>8}")
    period_id = await _timed(
        "make and compute the month", periods.create_period(actor, PeriodIn(first, last))
    )
    out = await _timed("read it (every payee, every line)", reading.period_out(actor, period_id))
    lines = sum(len(p.lines) for p in out.payees)
    data = await _timed("XLSX report sheets", exports.period_xlsx(actor, period_id))
    await _timed("compute it again", periods.compute(actor, period_id))
    await periods.approve(actor, period_id)
    await periods.lock(actor, period_id)
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        await conn.execute(CHANGE, 1000)
    finally:
        await conn.close()
    following = last + dt.timedelta(days=1)
    await _timed(
        "next month with 1,000 corrections", periods.create_period(actor, PeriodIn(following))
    )
    print(f"payees {len(out.payees)}, lines {lines}, total {out.total} ₽, XLSX {len(data)} bytes")


def main(argv: list[str]) -> None:
    """Fill the database and time the month's payroll."""
    from tests.database import prepare_test_database

    os.environ["DATABASE_URL"] = prepare_test_database()
    options = _options(argv)
    asyncio.run(_run(options["orders"], options["employees"]))
