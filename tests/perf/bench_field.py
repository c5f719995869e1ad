"""The field app in headless Chromium: bytes of the first load, a cold offline start, a big sync.

Usage: python -m tests.perf field [--runs=7]

A fresh demo database (`servio_bench_field`) behind a real `servio serve`; a 360 px phone.
1. First load of /field after logging in: every response the page and its service worker
   (the shell it precaches) receive, on the wire and decoded, and what gzip would make of them
   (the server sends them uncompressed; a proxy in front usually compresses).
2. Cold offline start: the server stopped, a new page opens /field from the service worker;
   the time until today's visits are on screen (the app's `servio:today` mark after the
   navigation started, and as Playwright sees it). Median of several runs.
3. 500 changes queued offline (comments, lines and payments on the master's orders), then
   online: the time until the outbox is empty.
Prints figures; never passes or fails on time.
"""

from __future__ import annotations

import gzip
import os
import statistics
import time
from collections import Counter, defaultdict
from typing import Any

# tests.database recreates its test database on import; keep it away from the test suite's.
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_field_base")
# Playwright reports the service worker's own requests (its precache) only when asked to.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

DATABASE = "servio_bench_field"
QUEUED = 500
SYNCED = (
    "() => { const s = document.getElementById('sync').dataset;"
    " return s.waiting === '0' && s.lastSync !== '' && s.running === 'no'; }"
)
ENQUEUE = """async ([count]) => {
  const db = await import('/static/field/db.js');
  const outbox = await import('/static/field/outbox.js');
  const orders = (await db.all('orders')).map((o) => o.id);
  const price = (await db.all('price_items'))[0];
  for (let i = 0; i < count; i++) {
    const order = orders[i % orders.length];
    if (i % 5 === 1) {
      await outbox.enqueue('order.line', order, { price_item_id: price.id, quantity: '1' },
        { note: { name: price.name, price: price.price } });
    } else if (i % 5 === 3) {
      await outbox.enqueue('order.payment', order, { amount: '1.00', method: 'cash' });
    } else {
      await outbox.enqueue('order.comment', order, { text: `bench ${i}` });
    }
  }
  return (await db.all('outbox')).length;
}"""
SHOWN_MARK = """() => {
  const mark = performance.getEntriesByName('servio:today')[0];
  return mark ? mark.startTime : null;
}"""


def _runs(argv: list[str]) -> int:
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name == "runs" and value.isdigit():
            return max(1, int(value))
    return 7


def _login(page: Any, url: str) -> None:
    page.goto(f"{url}/login?next=/")
    page.fill("input[name=login]", "field1")
    page.fill("input[name=password]", "servio-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _kind(response: Any) -> str:
    path = response.url.split("//", 1)[1].split("/", 1)[1]
    origin = "worker" if response.request.service_worker else "page"
    return f"{origin}: {'api' if path.startswith('api/') else 'shell'}"


def _first_load(context: Any, page: Any, url: str) -> None:
    """Load /field once after login; print what came over the network."""
    finished: list[Any] = []

    def keep(request: Any) -> None:
        finished.append(request)

    context.on("requestfinished", keep)
    page.goto(f"{url}/field")
    page.wait_for_selector("[data-testid=visit]")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(SYNCED, timeout=300000)
    context.remove_listener("requestfinished", keep)
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    cached = 0
    for request in finished:
        response = request.response()
        if response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        if sizes["responseBodySize"] < 0:  # from the browser's HTTP cache: nothing on the wire
            cached += 1
            continue
        # The worker's responses went into its cache: read the same URL again for the body.
        body = (
            context.request.get(response.url).body()
            if response.request.service_worker
            else response.body()
        )
        row = rows[_kind(response)]
        row[0] += 1
        row[1] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        row[2] += len(body)
        row[3] += len(gzip.compress(body, 6)) if body else 0
    print("first load of /field (logged in, empty caches):")
    print(f"  {'':14} {'responses':>9} {'on the wire':>12} {'decoded':>10} {'gzip -6':>10}")
    total = [0, 0, 0, 0]
    for name in sorted(rows):
        row = rows[name]
        total = [a + b for a, b in zip(total, row, strict=True)]
        print(
            f"  {name:14} {row[0]:9d} {row[1] / 1024:9.1f} KiB {row[2] / 1024:6.1f} KiB"
            f" {row[3] / 1024:6.1f} KiB"
        )
    print(
        f"  {'total':14} {total[0]:9d} {total[1] / 1024:9.1f} KiB {total[2] / 1024:6.1f} KiB"
        f" {total[3] / 1024:6.1f} KiB"
    )
    print(
        f"  + {cached} answered from the browser's HTTP cache (the worker's precache reusing"
        " what the page loaded, checked against the release's sha256)"
    )


def _cold_offline_starts(context: Any, url: str, runs: int) -> None:
    marks, seen = [], []
    for _ in range(runs):
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/field")
        page.wait_for_selector("[data-testid=visit]")
        seen.append((time.perf_counter() - started) * 1000)
        page.wait_for_function(SHOWN_MARK)
        marks.append(float(page.evaluate(SHOWN_MARK)))
        assert page.get_attribute("#sync", "data-online") == "no"
        page.close()
    print(
        f"cold offline start to today's visits (server stopped, {runs} runs): median"
        f" {statistics.median(marks):.0f} ms after the navigation started"
        f" (min {min(marks):.0f}, max {max(marks):.0f}); as Playwright sees it"
        f" {statistics.median(seen):.0f} ms"
    )


def _big_sync(context: Any, page: Any) -> None:
    page.wait_for_function(SYNCED, timeout=300000)
    context.set_offline(True)
    queued = page.evaluate(ENQUEUE, [QUEUED])
    page.wait_for_function(f"() => document.getElementById('sync').dataset.waiting === '{QUEUED}'")
    started = time.perf_counter()
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(SYNCED, timeout=300000)
    elapsed = time.perf_counter() - started
    left = page.evaluate(
        "async () => (await (await import('/static/field/db.js')).all('outbox'))"
        ".map((m) => `${m.kind}: ${m.state}: ${m.reason}`)"
    )
    print(
        f"sync of {queued} queued changes (comments, lines, payments) after going online:"
        f" {elapsed:.2f} s ({elapsed / queued * 1000:.1f} ms each; batches of 200; a pull"
        f" before and after); refused by the server: {len(left)}"
    )
    for reason, count in Counter(left).most_common():
        print(f"  {count} × {reason}")


def main(argv: list[str]) -> None:
    """Run the three measurements against a fresh demo database."""
    from tests.browser import chromium
    from tests.live import ServerProcess, fresh_database, servio

    runs = _runs(argv)
    database = fresh_database(DATABASE)
    servio("demo", database_url=database)
    server = ServerProcess(database)
    server.start()
    try:
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
            page = context.new_page()
            _login(page, server.url)
            _first_load(context, page, server.url)
            with server.stopped():
                _cold_offline_starts(context, server.url, runs)
            page.goto(f"{server.url}/field")
            _big_sync(context, page)
            context.close()
    finally:
        server.stop()
