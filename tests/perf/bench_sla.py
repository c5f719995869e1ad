"""One SLA sweep over a big center: time and queries (figures only, never pass or fail).

Usage: python -m tests.perf sla [--orders=100000]

A database of its own (`servio_bench_sla`) is filled with N open in-shop orders created over
the last two weeks, a third of them moved on (new → diagnostics, some on to waiting for parts,
as status changes on the audit log), and one policy (accept in 2 business hours, resolution in
40, paused while waiting for parts) on the shipped calendar. Then the sweep runs twice: the
first records every warning and breach (timeline entries and notify events); the second is the
steady state of a minute with nothing new (only orders whose next instant came are read);
the third follows 1,000 orders moved on to diagnostics (their status changes on the audit log).
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_sla")

FILL = """
WITH t AS (SELECT id FROM order_type WHERE code = 'repair'),
     s AS (SELECT id FROM order_status WHERE code = 'new')
INSERT INTO service_order (number, public_code, order_type, status, priority, client,
                           created_at, updated_at)
SELECT 'B-' || n, 'C' || n, t.id, s.id, 'normal', $2,
       now() - (n % 20160) * interval '1 minute', now()
FROM generate_series(1, $1) AS n, t, s
"""
MOVE = """
UPDATE service_order SET status = (SELECT id FROM order_status WHERE code = $1) WHERE id % $2 = 0
"""
HISTORY = """
INSERT INTO audit_log (at, entity, entity_id, action, changes, ip, scope, hidden_from_roles)
SELECT o.created_at + interval '30 minutes', 'order', o.id::text, 'status',
       '{"status": ["New", "Diagnostics"]}'::jsonb, '', 'order:' || o.id,
       '{}'::varchar[]
FROM service_order o WHERE o.id % 3 = 0
UNION ALL
SELECT o.created_at + interval '3 hours', 'order', o.id::text, 'status',
       '{"status": ["Diagnostics", "Waiting for parts"]}'::jsonb, '', 'order:' || o.id,
       '{}'::varchar[]
FROM service_order o WHERE o.id % 6 = 0
"""
CHANGE = """
WITH moved AS (
    UPDATE service_order SET status = (SELECT id FROM order_status WHERE code = 'diagnostics')
    WHERE id IN (SELECT id FROM service_order
                 WHERE status = (SELECT id FROM order_status WHERE code = 'new')
                 ORDER BY id LIMIT $1)
    RETURNING id
)
INSERT INTO audit_log (at, entity, entity_id, action, changes, ip, scope, hidden_from_roles)
SELECT now(), 'order', id::text, 'status', '{"status": ["New", "Diagnostics"]}'::jsonb, '',
       'order:' || id, '{}'::varchar[]
FROM moved
"""


def _options(argv: list[str]) -> dict[str, Any]:
    options = {"orders": 100_000}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name == "orders" and value.isdigit():
            options["orders"] = int(value)
    return options


async def _fill(orders: int) -> None:
    from server.clients.tables import Client
    from server.sla.tables import SlaPolicy
    from tests.database import reset_database

    await reset_database()
    now = time.time()
    client = Client(kind="person", name="Бенч Клиентов", created_at=_now(), updated_at=_now())
    await client.save()
    import asyncpg

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        async with conn.transaction():
            await conn.execute(FILL, orders, client.id)
            for code, every in (("diagnostics", 3), ("waiting_parts", 6)):
                await conn.execute(MOVE, code, every)
            await conn.execute(HISTORY)
    finally:
        await conn.close()
    await SlaPolicy(
        name="Ремонт",
        accept_minutes=120,
        resolution_minutes=2400,
        pause_statuses=["waiting_parts"],
        updated_at=_now(),
    ).save()
    print(f"filled {orders} orders in {time.time() - now:.1f} s")


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


async def _change(count: int) -> None:
    import asyncpg

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        await conn.execute(CHANGE, count)
    finally:
        await conn.close()


async def _run(orders: int) -> None:
    from server.sla import sweep
    from tests.querycount import count_queries

    await _fill(orders)
    print(f"{'run':<8} {'read':>8} {'clocks':>8} {'recorded':>28} {'seconds':>8} {'queries':>8}")
    for run in ("first", "steady", "changed"):
        if run == "changed":
            await _change(1000)
        with count_queries() as counted:
            report = await sweep.sweep()
        recorded = ", ".join(f"{k} {v}" for k, v in sorted(report.recorded.items())) or "—"
        print(
            f"{run:<8} {report.orders:>8} {report.with_clocks:>8} {recorded:>28}"
            f" {report.seconds:>8.1f} {len(counted):>8}",
            flush=True,
        )


def main(argv: list[str]) -> None:
    """Fill the database and time two sweeps."""
    from tests.database import prepare_test_database

    os.environ["DATABASE_URL"] = prepare_test_database()
    asyncio.run(_run(_options(argv)["orders"]))
