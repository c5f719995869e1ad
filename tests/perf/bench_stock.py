"""Stock on a big center: levels, an item's history, the moves ledger and the low-stock lists
over a million moves; times over the app's HTTP, queries per call, and the plan of each call's
main query (figures only, never pass or fail).

Usage: python -m tests.perf stock [--moves=1000000] [--items=2000] [--warehouses=20] [--repeat=20]

A database of its own (`servio_bench_stock`) is migrated and filled by COPY (tests/perf/
stockload.py) on every run. The calls are made as the administrator (every warehouse) and as a
field master (only the van), each `repeat` times after two warm-ups: median and 95th percentile;
the XLSX exports three times. Then the plan of each call's main query, a scan that reads most of
its table marked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import statistics
import time
from typing import Any

os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_stock")


def _options(argv: list[str]) -> dict[str, int]:
    options = {"moves": 1_000_000, "items": 2000, "warehouses": 20, "repeat": 20}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name in options and value.isdigit():
            options[name] = int(value)
    return options


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _facts() -> dict[str, Any]:
    """Items to read the history of (the busiest, a middling one, a rare one) and a deep cursor."""
    from server.piccolo_conf import DB

    conn = await DB.get_new_connection()
    try:
        counts = await conn.fetch(
            "SELECT item_id, count(*) AS n FROM stock_move GROUP BY item_id ORDER BY n DESC"
        )
        busy, middle, rare = counts[0], counts[len(counts) // 2], counts[-1]
        deep = await conn.fetchval(
            "SELECT id FROM stock_move WHERE item_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1",
            busy["item_id"],
            int(busy["n"] * 0.9),
        )
        week = await conn.fetchval("SELECT (max(at) - interval '7 days')::date FROM stock_move")
        month = await conn.fetchval(
            "SELECT date_trunc('month', max(at) - interval '2 years')::date FROM stock_move"
        )
        van = await conn.fetchval("SELECT id FROM stock_warehouse WHERE kind = 'van' LIMIT 1")
    finally:
        await conn.close()
    last = (month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return {
        "busy": busy,
        "middle": middle,
        "rare": rare,
        "deep": deep,
        "week": week,
        "month": f"date_from={month}&date_to={last}",
        "van": van,
    }


def _cases(facts: dict[str, Any]) -> list[tuple[str, str]]:
    busy, middle, rare = facts["busy"], facts["middle"], facts["rare"]
    items = "/api/v1/stock/items"
    return [
        ("levels: first page", "/api/v1/stock/levels"),
        ("levels: a store", "/api/v1/stock/levels?warehouse_id=1"),
        ("levels: a van", f"/api/v1/stock/levels?warehouse_id={facts['van']}"),
        ("levels: search «насос bosch»", "/api/v1/stock/levels?q=насос+bosch"),
        ("low stock: levels?low=true", "/api/v1/stock/levels?low=true"),
        ("low stock: shortages", "/api/v1/stock/shortages"),
        (f"history: busiest item ({busy['n']} moves)", f"{items}/{busy['item_id']}/moves"),
        ("history: busiest, deep page (90%)",
         f"{items}/{busy['item_id']}/moves?cursor={facts['deep']}"),
        (f"history: middling item ({middle['n']})", f"{items}/{middle['item_id']}/moves"),
        (f"history: rare item ({rare['n']})", f"{items}/{rare['item_id']}/moves"),
        ("ledger: first page", "/api/v1/stock/moves"),
        ("ledger: a van", f"/api/v1/stock/moves?warehouse_id={facts['van']}"),
        ("ledger: search «насос bosch»", "/api/v1/stock/moves?q=насос+bosch"),
        ("ledger: receipts of the last week",
         f"/api/v1/stock/moves?kind=receipt&date_from={facts['week']}"),
        ("ledger: a month two years ago", f"/api/v1/stock/moves?{facts['month']}"),
        ("ledger: a van, a month two years ago",
         f"/api/v1/stock/moves?warehouse_id={facts['van']}&{facts['month']}"),
    ]  # fmt: skip


FIELD_CASES = (
    ("levels: first page", "/api/v1/stock/levels"),
    ("ledger: first page", "/api/v1/stock/moves"),
)
EXPORTS = (
    ("levels.xlsx: all", "/api/v1/stock/levels.xlsx"),
    ("moves.xlsx: the last week", "/api/v1/stock/moves.xlsx?date_from={week}"),
    ("moves.xlsx: a month two years ago", "/api/v1/stock/moves.xlsx?{month}"),
)


def _scans(plan: dict[str, Any], found: list[str]) -> None:
    """The scans of a JSON plan, with the rows each read (a sequential scan is marked)."""
    node = plan["Node Type"]
    if "Scan" in node:
        loops = plan.get("Actual Loops", 1)
        rows = plan.get("Actual Rows", 0) * loops + plan.get("Rows Removed by Filter", 0) * loops
        where = plan.get("Index Name") or plan.get("Relation Name") or ""
        mark = "  <-- seq scan" if node == "Seq Scan" and rows > 10_000 else ""
        mark = "  <-- reads most of it" if rows > 100_000 else mark
        found.append(f"{node} {where}: {rows:.0f} rows{mark}")
    for child in plan.get("Plans", []):
        _scans(child, found)


async def _explain(statement: Any) -> str:
    """Execution time and scans of the statement, run twice (the second warm)."""
    from server.piccolo_conf import DB

    sql, args = statement.compile_string(engine_type=DB.engine_type)
    conn = await DB.get_new_connection()
    try:
        for _ in range(2):
            raw = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", *args)
    finally:
        await conn.close()
    plan = json.loads(raw)[0]
    scans: list[str] = []
    _scans(plan["Plan"], scans)
    return f"{plan['Execution Time']:.1f} ms: " + "; ".join(scans)


def _main_query(counted: Any) -> Any:
    """The call's own reading of stock: its last statement on the moves or the levels."""
    found = [
        q
        for q in counted.raw
        if not isinstance(q, str) and ("FROM stock_move" in str(q) or "FROM stock_level" in str(q))
    ]
    return found[-1] if found else None


async def _measure(client: Any, label: str, url: str, repeat: int) -> tuple[str, Any]:
    from tests.querycount import count_queries

    for _ in range(2):
        response = await client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(url)
        timings.append(time.perf_counter() - started)
    with count_queries() as counted:
        response = await client.get(url)
    if response.headers["content-type"].startswith("application/json"):
        shown = len(response.json().get("items", []))
    else:
        shown = f"{len(response.content) // 1024} KiB"
    print(
        f"{label[:44]:44} {statistics.median(timings) * 1000:9.1f} {_p95(timings) * 1000:8.1f} "
        f"{len(counted):8d} {shown!s:>9}",
        flush=True,
    )
    return label, _main_query(counted)


async def _measure_all(options: dict[str, int], master: str) -> None:
    import logging

    import httpx

    from server.app import create_app
    from tests.server.builders import login_as

    for name in ("httpx", "procrastinate", "servio"):
        logging.getLogger(name).setLevel(logging.WARNING)
    facts = await _facts()
    repeat = options["repeat"]
    app = create_app()
    header = f"\n{'GET …':44} {'p50 ms':>9} {'p95 ms':>8} {'queries':>8} {'items':>9}"
    plans: list[tuple[str, Any]] = []
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
        for login, cases in (("boss", _cases(facts)), (master, list(FIELD_CASES))):
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench.local"
            ) as http:
                await login_as(http, login)
                who = "the administrator" if login == "boss" else "a field master"
                print(f"{header}   — as {who}")
                for label, url in cases:
                    plans.append(await _measure(http, label, url, repeat))
                if login == "boss":
                    print(f"{header}   — exports, 3 times each")
                    for label, url in EXPORTS:
                        await _measure(http, label, url.format(**facts), 3)
    print("\nEXPLAIN ANALYZE of each call's main query (the administrator's, then the master's)")
    for label, statement in plans:
        if statement is not None:
            print(f"  {label[:44]:44} {await _explain(statement)}")


async def _run(options: dict[str, int]) -> None:
    from tests.database import reset_database
    from tests.perf import stockload
    from tests.server.builders import make_employee

    await reset_database()
    await make_employee("boss", roles=["admin"])
    master = await make_employee("field1", roles=["field_technician"])
    started = time.perf_counter()
    documents = await stockload.fill(
        os.environ["DATABASE_URL"],
        items_count=options["items"],
        warehouses_count=options["warehouses"],
        moves=options["moves"],
        master=master.id,
    )
    print(
        f"loaded {options['moves']} moves ({documents} documents) over {options['items']} items "
        f"and {options['warehouses']} warehouses by COPY in {time.perf_counter() - started:.1f} s"
    )
    await _measure_all(options, "field1")


def main(argv: list[str]) -> None:
    """Fill the database, then time the calls and print the figures."""
    from tests.database import prepare_test_database

    os.environ["DATABASE_URL"] = prepare_test_database()
    asyncio.run(_run(_options(argv)))
