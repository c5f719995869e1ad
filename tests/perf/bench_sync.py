"""Field sync on the server: a master's pull and 500 queued mutations pushed, with query counts.

Usage: python -m tests.perf sync [--orders=1000] [--runs=3]

Loads `servio demo --orders N` into a fresh database `servio_bench_sync`, then measures in a
child process over real HTTP into the app (ASGI, no network): field1's first pull (the whole
working set) and a pull with its cursor; 500 mutations (comments, one in five a price-list
line) on field1's orders pushed in batches of 200, as the phone's outbox sends them after a
day offline, then the same 500 again (every answer "duplicate", a retry after lost answers).
Prints medians over the runs; never passes or fails on time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid
from typing import Any

DATABASE = "servio_bench_sync"
# tests.database recreates its test database on import; keep it away from the test suite's.
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_sync_base")

QUEUED = 500
BATCH = 200


def _options(argv: list[str]) -> dict[str, int]:
    options = {"orders": 1000, "runs": 3}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name in options and value.isdigit():
            options[name] = int(value)
    return options


def main(argv: list[str]) -> None:
    """Load a fresh demo, then measure in a child process whose server uses that database."""
    from tests.live import fresh_database, servio

    options = _options(argv)
    url = fresh_database(DATABASE)
    started = time.perf_counter()
    servio("demo", f"--orders={options['orders']}", database_url=url)
    print(f"servio demo --orders {options['orders']}: {time.perf_counter() - started:.1f} s")
    code = (
        "import asyncio; from tests.perf.bench_sync import measure; "
        f"asyncio.run(measure(runs={options['runs']}))"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        timeout=1800,
    )


# --- the child: real HTTP into the app ---------------------------------------------------------


def _mutations(order_ids: list[int], price_item: int, count: int) -> list[dict[str, Any]]:
    """What a master's outbox holds after a day offline: notes and parts, over their orders."""
    made = []
    for i in range(count):
        order_id = order_ids[i % len(order_ids)]
        if i % 5 == 4:
            kind, change = "order.line", {"price_item_id": price_item, "quantity": "1"}
        else:
            kind, change = "order.comment", {"text": f"Бенчмарк: заметка {i}"}
        made.append(
            {"id": str(uuid.uuid4()), "kind": kind, "entity_id": order_id, "change": change}
        )
    return made


async def _push_all(client: Any, mutations: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """Push in batches of 200 as the phone does; (seconds, results)."""
    results: list[str] = []
    started = time.perf_counter()
    for first in range(0, len(mutations), BATCH):
        response = await client.post(
            "/api/v1/sync/push", json={"mutations": mutations[first : first + BATCH]}
        )
        assert response.status_code == 200, response.text[:500]
        results += [r["result"] for r in response.json()["results"]]
    return time.perf_counter() - started, results


def _line(label: str, timings: list[float], extra: str = "") -> str:
    median = statistics.median(timings) * 1000
    return f"  {label:46} median {median:8.1f} ms (min {min(timings) * 1000:.1f}){extra}"


async def measure(runs: int) -> None:
    """Time pulls and pushes of field1 and count their queries."""
    import logging

    import httpx

    from server.app import create_app
    from tests.querycount import count_queries

    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = create_app()
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bench.local", timeout=600
        ) as client:
            login = await client.post(
                "/api/v1/auth/login", json={"login": "field1", "password": "servio-demo"}
            )
            assert login.status_code == 200, login.text
            client.headers["X-CSRFToken"] = client.cookies["csrftoken"]

            first: dict[str, Any] = {}
            timings, size = [], 0
            for _ in range(runs + 1):  # the first one warms up
                started = time.perf_counter()
                response = await client.get("/api/v1/sync/pull")
                timings.append(time.perf_counter() - started)
                first, size = response.json(), len(response.content)
            with count_queries() as counted:
                await client.get("/api/v1/sync/pull")
            print(
                f"field1's working set: {len(first['visits'])} visits, {len(first['orders'])}"
                f" orders, {len(first['clients'])} clients, {len(first['price_items'])}"
                f" price items; {size / 1024:.1f} KiB of JSON"
            )
            print(_line("first pull (whole working set)", timings[1:], f", {len(counted)} queries"))
            cursor_timings = []
            for _ in range(runs):
                started = time.perf_counter()
                await client.get("/api/v1/sync/pull", params={"cursor": first["cursor"]})
                cursor_timings.append(time.perf_counter() - started)
            with count_queries() as counted:
                await client.get("/api/v1/sync/pull", params={"cursor": first["cursor"]})
            print(_line("pull with a cursor", cursor_timings, f", {len(counted)} queries"))

            order_ids = sorted({v["order_id"] for v in first["visits"]})
            price_item = next(p["id"] for p in first["price_items"] if p["kind"] == "service")
            fresh, again = [], []
            queries = 0
            for _ in range(runs):
                mutations = _mutations(order_ids, price_item, QUEUED)
                with count_queries() as counted:
                    seconds, results = await _push_all(client, mutations)
                assert set(results) == {"applied"}, set(results)
                fresh.append(seconds)
                queries = len(counted)
                seconds, results = await _push_all(client, mutations)
                assert set(results) == {"duplicate"}, set(results)
                again.append(seconds)
            batches = -(-QUEUED // BATCH)
            print(
                f"push of {QUEUED} mutations on {len(order_ids)} orders in {batches} batches"
                f" of ≤{BATCH} ({runs} runs):"
            )
            per = statistics.median(fresh) / QUEUED * 1000
            print(
                _line(
                    "first time (all applied)",
                    fresh,
                    f", {per:.1f} ms each, {queries} queries ({queries / QUEUED:.1f} each)",
                )
            )
            print(_line("again (all duplicate: lost answers)", again))
