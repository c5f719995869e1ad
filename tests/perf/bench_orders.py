"""Orders list and card on a big center: response times over real HTTP, queries, query plans.

Usage: python -m tests.perf orders [--orders=100000] [--repeat=20] [--fresh]

The database `servio_bench_orders` on the test server is loaded once with
`servio demo --orders N` and kept for later runs (unless --fresh or it holds fewer orders).
The measuring runs in a child process whose server modules point at that database.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

DATABASE = "servio_bench_orders"
# tests.database recreates its test database on import; keep it away from the test suite's.
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_orders_base")


def _options(argv: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {"orders": 100_000, "repeat": 20, "fresh": False}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name == "fresh":
            options["fresh"] = True
        elif name in ("orders", "repeat") and value.isdigit():
            options[name] = int(value)
    return options


async def _order_count(url: str) -> int:
    import asyncpg

    try:
        conn = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError):
        return -1
    try:
        return int(await conn.fetchval("SELECT count(*) FROM service_order"))
    except asyncpg.PostgresError:
        return -1
    finally:
        await conn.close()


def _prepare(orders: int, fresh: bool) -> str:
    """The URL of a database holding the demo with at least `orders` orders."""
    from server.db import with_database
    from tests.database import ROOT, prepare_test_database
    from tests.live import SERVIO, fresh_database

    url = with_database(prepare_test_database(), DATABASE)
    have = asyncio.run(_order_count(url))
    if not fresh and have >= orders:
        print(f"database {DATABASE}: reusing {have} orders")
        return url
    url = fresh_database(DATABASE)
    started = time.perf_counter()
    result = subprocess.run(
        [SERVIO, "demo", f"--orders={orders}"],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise RuntimeError(f"servio demo failed:\n{result.stderr[-3000:]}")
    loaded = [line for line in result.stdout.splitlines() if line.startswith("demo data")]
    print(f"servio demo --orders {orders}: {time.perf_counter() - started:.1f} s")
    print("  " + (loaded[0] if loaded else result.stdout.strip()[-300:]))
    return url


def main(argv: list[str]) -> None:
    """Load (or reuse) the big database, then measure in a child process and print."""
    options = _options(argv)
    url = _prepare(options["orders"], options["fresh"])
    code = (
        "import asyncio, sys; from tests.perf.bench_orders import measure; "
        f"asyncio.run(measure(repeat={options['repeat']}))"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        timeout=1800,
    )


# --- the child: real HTTP into the app ---------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _time(client: Any, url: str, repeat: int) -> tuple[list[float], dict[str, Any]]:
    body: dict[str, Any] = {}
    for _ in range(2):  # warm up
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        body = response.json()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return timings, body


def _walk(plan: dict[str, Any], found: dict[str, Any]) -> None:
    """Gather from a JSON plan: scans with rows read, indexes used, buffers."""
    node = plan["Node Type"]
    rows = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)
    removed = plan.get("Rows Removed by Filter", 0) * plan.get("Actual Loops", 1)
    if "Scan" in node:
        relation = plan.get("Relation Name") or plan.get("Index Name") or ""
        index = plan.get("Index Name")
        label = f"{node} on {relation}" + (f" using {index}" if index and index != relation else "")
        found["scans"].append(
            f"{label}: {rows} rows" + (f" (+{removed} filtered)" if removed else "")
        )
        found["read"] += rows + removed
        if index:
            found["indexes"].add(index)
    if node == "Sort":
        found["sorts"].append(f"Sort {plan.get('Sort Method', '')} {rows} rows")
    for child in plan.get("Plans", []):
        _walk(child, found)


def _ids_first(sql: str) -> str:
    """The list query rewritten to find the page's ids on service_order alone, then join.

    A suggestion measured side by side: with seven joins the planner will not sort the
    search's matches before joining them, so it walks the created_at index instead and
    computes to_tsvector for every row it passes.
    """
    head, _, rest = sql.partition(" WHERE ")
    condition, _, tail = rest.partition(" ORDER BY ")
    order, _, limit = tail.partition(" LIMIT ")
    inner = f"SELECT id FROM service_order WHERE {condition} ORDER BY {order} LIMIT {limit}"
    return f"{head} WHERE service_order.id = ANY(ARRAY({inner})) ORDER BY {order} LIMIT {limit}"


async def _explain(conn: Any, querystring: Any, rewrite: bool = False) -> dict[str, Any]:
    from server.piccolo_conf import DB

    sql, args = querystring.compile_string(engine_type=DB.engine_type)
    if rewrite:
        sql = _ids_first(sql)
    for _ in range(2):  # the second run: warm caches, as the app's pooled connections have
        raw = await conn.fetchval(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *args)
    plan = json.loads(raw)[0]
    found: dict[str, Any] = {"scans": [], "indexes": set(), "sorts": [], "read": 0}
    _walk(plan["Plan"], found)
    top = plan["Plan"]
    found["ms"] = plan["Execution Time"]
    found["plan_ms"] = plan.get("Planning Time", 0.0)
    found["hit"] = top.get("Shared Hit Blocks", 0)
    found["disk"] = top.get("Shared Read Blocks", 0)
    return found


def _what(statement: str) -> str:
    """A few words naming a statement: verb and main table."""
    words = statement.replace('"', "").split()
    verb = words[0] if words else "?"
    table = words[words.index("FROM") + 1] if "FROM" in words else (words[1:2] or ["?"])[0]
    if verb == "UPDATE" or verb == "INSERT":
        table = words[1] if verb == "UPDATE" else words[2]
    return f"{verb} {table}"


def _list_query(counted: Any) -> Any:
    """The list's own SELECT among the statements of one request."""
    candidates = [q for q in counted.raw if "service_order" in str(q) and "LIMIT" in str(q)]
    return max(candidates, key=lambda q: len(str(q))) if candidates else None


async def _facts() -> dict[str, Any]:
    from server.piccolo_conf import DB

    conn = await DB.get_new_connection()
    try:
        master = await conn.fetchval("SELECT id FROM employee WHERE login = 'master1'")
        surname = await conn.fetchval(
            "SELECT split_part(name, ' ', 1) FROM client WHERE kind = 'person' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        phone = await conn.fetchval(
            "SELECT right(number, 4) FROM client_phone ORDER BY id OFFSET 100 LIMIT 1"
        )
        serial = await conn.fetchval(
            "SELECT left(serial, 6) FROM device WHERE serial ~ '^[A-Z]' ORDER BY id "
            "OFFSET 50 LIMIT 1"
        )
        number = await conn.fetchval("SELECT number FROM service_order ORDER BY id LIMIT 1")
        orders = await conn.fetchval("SELECT count(*) FROM service_order")
        one_line = await conn.fetchval(
            'SELECT "order" FROM order_line GROUP BY 1 HAVING count(*) = 1 ORDER BY 1 LIMIT 1'
        )
    finally:
        await conn.close()
    return {
        "master": master,
        "surname": surname,
        "phone": phone,
        "serial": serial,
        "number": number,
        "orders": orders,
        "one_line": one_line,
    }


async def _big_card(client: Any, one_line_order: int) -> int:
    """A new order like `one_line_order` with 30 lines and 50 notes (removed afterwards)."""
    from server.piccolo_conf import DB

    card = (await client.get(f"/api/v1/orders/{one_line_order}")).json()
    response = await client.post(
        "/api/v1/orders",
        json={"client_id": card["client"]["id"], "declared_fault": "Бенчмарк: большой заказ"},
    )
    assert response.status_code == 201, response.text
    order_id = int(response.json()["id"])
    conn = await DB.get_new_connection()
    try:
        await conn.execute(
            'INSERT INTO order_line ("order", kind, price_item, name, quantity, unit_price, '
            "list_price, total, created_at) SELECT $1, kind, id, name, 1, price, price, price, "
            "now() FROM price_item CROSS JOIN generate_series(1, 3) LIMIT 30",
            order_id,
        )
        await conn.execute(
            'INSERT INTO timeline_event ("order", kind, text, at) '
            "SELECT $1, 'comment', 'Заметка ' || g, now() FROM generate_series(1, 50) g",
            order_id,
        )
    finally:
        await conn.close()
    return order_id


async def _drop_order(order_id: int) -> None:
    from server.piccolo_conf import DB

    conn = await DB.get_new_connection()
    try:
        for table in ("order_line", "timeline_event", "order_payment"):
            await conn.execute(f'DELETE FROM {table} WHERE "order" = $1', order_id)
        await conn.execute("DELETE FROM audit_log WHERE scope = $1", f"order:{order_id}")
        await conn.execute("DELETE FROM service_order WHERE id = $1", order_id)
    finally:
        await conn.close()


async def measure(repeat: int) -> None:
    """Time list pages, count queries per request and explain the list queries."""
    import logging

    import httpx

    from server.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from tests.querycount import count_queries

    app = create_app()
    facts = await _facts()
    print(f"orders in the database: {facts['orders']}; {repeat} timed requests per case")
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
            login = await client.post(
                "/api/v1/auth/login", json={"login": "admin", "password": "servio-demo"}
            )
            assert login.status_code == 200, login.text
            client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
            cases = [
                ("(a) no filter", ""),
                ("(b) status=in_repair", "status=in_repair"),
                ("(b) assignee=master1", f"assignee={facts['master']}"),
                ("(b) status=in_repair&assignee", f"status=in_repair&assignee={facts['master']}"),
                ("(b) status_group=ready,type=field", "status_group=ready&type=field"),
                ("(b) overdue", "overdue=true"),
                ("(b) sort=due", "sort=due"),
                (f"(c) q={facts['surname']}", f"q={facts['surname']}"),
                (f"(c) q={facts['phone']} (phone end)", f"q={facts['phone']}"),
                (f"(c) q={facts['serial']} (serial)", f"q={facts['serial']}"),
                (f"(c) q={facts['number']} (number)", f"q={facts['number']}"),
            ]
            cursor = None
            for _ in range(49):
                url = "/api/v1/orders" + (f"?cursor={cursor}" if cursor else "")
                cursor = (await client.get(url)).json()["next"]
            cases.append(("(d) page 50 by cursor", f"cursor={cursor}"))
            print(f"\n{'GET /api/v1/orders?…':44} {'median ms':>9} {'p95 ms':>8} {'items':>6}")
            explained = []
            for label, query in cases:
                url = "/api/v1/orders" + (f"?{query}" if query else "")
                timings, body = await _time(client, url, repeat)
                items = len(body.get("items", []))
                median = statistics.median(timings)
                slow = "  <-- slow" if median > 0.05 else ""
                print(f"{label[:44]:44} {_ms(median)} {_ms(_p95(timings))} {items:6d}{slow}")
                with count_queries() as counted:
                    await client.get(url)
                explained.append((label, len(counted), _list_query(counted)))

            print("\nSQL queries per request")
            for label, queries, _ in explained:
                print(f"  GET /api/v1/orders {label}: {queries}")
            small = facts["one_line"]
            big = await _big_card(client, small)
            try:
                for suffix in ("", "/timeline"):
                    counts = []
                    for order_id in (small, big):
                        await client.get(f"/api/v1/orders/{order_id}{suffix}")
                        with count_queries() as counted:
                            response = await client.get(f"/api/v1/orders/{order_id}{suffix}")
                        assert response.status_code == 200
                        counts.append(len(counted))
                    same = "same" if counts[0] == counts[1] else "DIFFERENT (N+1?)"
                    shown = ", ".join(_what(q) for q in counted.statements)
                    print(
                        f"  GET /api/v1/orders/{{id}}{suffix}: 1 line -> {counts[0]}, "
                        f"30 lines + 50 notes -> {counts[1]} ({same})"
                    )
                    print(f"      {shown}")
                timings, _ = await _time(client, f"/api/v1/orders/{big}", repeat)
                card_ms = _ms(statistics.median(timings))
                print(f"  GET /api/v1/orders/{{id}} (30 lines): median {card_ms} ms")
            finally:
                await _drop_order(big)

            await _explain_all(explained)


async def _explain_all(explained: list[tuple[str, int, Any]]) -> None:
    """Print the plan highlights of each case's list query (and of the ids-first variant)."""
    from server.piccolo_conf import DB

    print("\nEXPLAIN (ANALYZE, BUFFERS) of the list query")
    conn = await DB.get_new_connection()
    try:
        for label, _, querystring in explained:
            if querystring is None:
                continue
            found = await _explain(conn, querystring)
            indexes = ", ".join(sorted(found["indexes"])) or "none"
            print(
                f"  {label}: {found['ms']:.1f} ms (planning {found['plan_ms']:.1f} ms), "
                f"rows read {found['read']}, "
                f"buffers hit {found['hit']} read {found['disk']}; indexes: {indexes}"
            )
            for line in found["scans"] + found["sorts"]:
                print(f"      {line}")
            if label.startswith("(c)"):
                found = await _explain(conn, querystring, rewrite=True)
                print(
                    f"      suggestion, ids first (id = ANY(ARRAY(SELECT id ... LIMIT n))): "
                    f"{found['ms']:.1f} ms, rows read {found['read']}"
                )
    finally:
        await conn.close()
