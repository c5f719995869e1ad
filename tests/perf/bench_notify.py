"""Notifications at volume: 1,000 mails through a real SMTP server (aiosmtpd) and 1,000 Web
Pushes to a local push service that checks each VAPID signature and decrypts each payload.
Figures only (never pass or fail): events in, messages made, sent, seconds, statements.

Usage: python -m tests.perf notify [--messages=1000]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import time
from typing import Any

os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_notify")


def _count(argv: list[str]) -> int:
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name == "messages" and value.isdigit():
            return int(value)
    return 1000


async def _clients(count: int) -> list[int]:
    """`count` clients with an email, and an order each (rows written directly)."""
    import asyncpg

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        ids = await conn.fetch(
            "INSERT INTO client (kind, name, created_at, updated_at)"
            " SELECT 'person', 'Клиент ' || n, now(), now() FROM generate_series(1, $1) n"
            " RETURNING id",
            count,
        )
        client_ids = [r["id"] for r in ids]
        await conn.executemany(
            "INSERT INTO client_email (client, email, is_primary, contact_name)"
            " VALUES ($1, $2, true, '')",
            [(c, f"client{c}@example.ru") for c in client_ids],
        )
        kind = await conn.fetchval("SELECT id FROM order_type WHERE code = 'repair'")
        status = await conn.fetchval("SELECT id FROM order_status WHERE code = 'new'")
        orders = await conn.fetch(
            "INSERT INTO service_order (number, public_code, order_type, status, priority,"
            " client, created_at, updated_at)"
            " SELECT 'N-' || c, 'K' || c, $2, $3, 'normal', c, now(), now()"
            " FROM unnest($1::int[]) c RETURNING id",
            client_ids,
            kind,
            status,
        )
        return [r["id"] for r in orders]
    finally:
        await conn.close()


async def _assign(orders: list[int], masters: list[int]) -> None:
    """Each order to a master (whose push it is): the messages name what they may read."""
    import asyncpg

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        await conn.executemany(
            "UPDATE service_order SET technician = $2 WHERE id = $1",
            [(o, masters[i % len(masters)]) for i, o in enumerate(orders)],
        )
    finally:
        await conn.close()


async def _drain(total: int) -> tuple[float, int]:
    from server.notify import engine
    from tests.querycount import count_queries

    started = time.perf_counter()
    with count_queries() as counted:
        await engine.run_all(rounds=total)
    return time.perf_counter() - started, len(counted)


async def _mail(count: int) -> list[Any]:
    from server.notify import api as notify
    from server.notify import events
    from tests.mailbox import smtp_server

    orders = await _clients(count)
    with smtp_server() as (box, port):
        os.environ.update(
            {
                "SERVIO_SMTP_HOST": "127.0.0.1",
                "SERVIO_SMTP_PORT": str(port),
                "SERVIO_SMTP_TLS": "none",
                "SERVIO_MAIL_FROM": "servis@example.ru",
            }
        )
        _fresh_settings()
        made = time.perf_counter()
        await notify.emit_many(
            [notify.Event(events.ORDER_RECEIVED, key=f"bench:{o}", order_id=o) for o in orders]
        )
        emitted = time.perf_counter() - made
        seconds, statements = await _drain(count)
        received = len(box.wait_for(count, timeout=60))
    return ["email", count, received, emitted, seconds, statements]


async def _push(count: int) -> list[Any]:
    from server.notify import api as notify
    from server.notify import events
    from server.notify.tables import PushSubscription
    from tests.pushservice import push_service
    from tests.server.builders import make_employee

    async def one_master(n: int, service: Any) -> int:
        master = await make_employee(f"m{n}", roles=["technician"])
        browser = service.browser(f"m{n}")
        sub = service.subscription(browser)
        await PushSubscription(
            employee=master.id,
            endpoint=sub["endpoint"],
            p256dh=sub["keys"]["p256dh"],
            auth=sub["keys"]["auth"],
            created_at=dt.datetime.now(dt.UTC),
        ).save()
        return master.id

    with push_service() as service:
        os.environ.update(
            {
                "SERVIO_PUSH_SERVICES": service.origin,
                "SERVIO_PUSH_CONTACT": "mailto:admin@example.ru",
            }
        )
        _fresh_settings()
        masters = [await one_master(n, service) for n in range(20)]
        orders = await _clients(count)
        await _assign(orders, masters)
        found = [
            notify.Event(
                events.SLA_WARNING,
                key=f"bench-push:{o}",
                order_id=o,
                employee_id=masters[i % len(masters)],
            )
            for i, o in enumerate(orders)
        ]
        made = time.perf_counter()
        await notify.emit_many(found)
        emitted = time.perf_counter() - made
        seconds, statements = await _drain(count)
        received = sum(len(b.received) for b in service.browsers.values())
        refused = len(service.refused)
    return ["push", count, f"{received} ({refused} refused)", emitted, seconds, statements]


def _fresh_settings() -> None:
    from server.config import get_settings

    get_settings.cache_clear()


async def _run(count: int) -> None:
    from tests.database import reset_database

    print(
        f"{'channel':<8} {'events':>7} {'delivered':>18} {'emit s':>7} {'send s':>7}"
        f" {'per s':>7} {'stmts':>7}"
    )
    for bench in (_mail, _push):
        await reset_database()
        channel, events_in, delivered, emitted, seconds, statements = await bench(count)
        print(
            f"{channel:<8} {events_in:>7} {delivered!s:>18} {emitted:>7.2f} {seconds:>7.1f}"
            f" {events_in / seconds:>7.0f} {statements:>7}"
        )


def main(argv: list[str]) -> None:
    """Fill, emit, drain, and print the figures."""
    from tests.database import prepare_test_database

    os.environ["DATABASE_URL"] = prepare_test_database()
    os.environ["SERVIO_WORKER"] = "0"
    asyncio.run(_run(_count(argv)))
