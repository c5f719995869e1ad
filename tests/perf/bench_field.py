"""The field app in headless Chromium: bytes of the first load, a cold offline start, a big sync.

Prints figures; never passes or fails on time.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from tests.browser import chromium
from tests.live import fresh_database, serve, servio

RUNS = 5
QUEUED = 500
SYNCED = (
    "() => document.getElementById('sync').dataset.waiting === '0'"
    " && document.getElementById('sync').dataset.lastSync !== ''"
)
ENQUEUE = """async ([visitId, count]) => {
  const db = await import('/static/field/db.js');
  const sync = await import('/static/field/sync.js');
  const orderId = (await db.get('visits', visitId)).order_id;
  for (let i = 0; i < count; i++) {
    await sync.enqueue('order.comment', orderId, { text: `bench ${i}` });
  }
}"""


def _login(page: Any, url: str) -> None:
    page.goto(f"{url}/login?next=/")
    page.fill("input[name=login]", "field1")
    page.fill("input[name=password]", "servio-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _first_load(page: Any, url: str) -> int:
    """Load /field once; prints its bytes; returns the id of the first visit."""
    responses: list[Any] = []

    def keep(response: Any) -> None:
        responses.append(response)

    page.on("response", keep)
    started = time.perf_counter()
    page.goto(f"{url}/field")
    page.wait_for_selector("[data-testid=visit]")
    shown = time.perf_counter() - started
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(SYNCED, timeout=300000)
    page.remove_listener("response", keep)
    sizes = [r.request.sizes() for r in responses]
    bodies = sum(s["responseBodySize"] for s in sizes)
    headers = sum(s["responseHeadersSize"] for s in sizes)
    print(
        f"first load of /field: {len(responses)} responses, {bodies / 1024:.1f} KiB of bodies"
        f" + {headers / 1024:.1f} KiB of headers (no compression);"
        f" visits shown after {shown * 1000:.0f} ms"
    )
    href = page.locator("[data-testid=visit]").first.get_attribute("href") or ""
    return int(href.split("/")[-1])


def _cold_offline_starts(context: Any, url: str) -> None:
    timings = []
    for _ in range(RUNS):
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/field")
        page.wait_for_selector("[data-testid=visit]")
        timings.append((time.perf_counter() - started) * 1000)
        page.close()
    print(
        f"cold offline start to today's visits (server stopped): median"
        f" {statistics.median(timings):.0f} ms (min {min(timings):.0f}, max {max(timings):.0f},"
        f" {RUNS} runs)"
    )


def main(argv: list[str]) -> None:
    """Run the three measurements against a demo database."""
    database = fresh_database("servio_bench_field")
    servio("demo", database_url=database)
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        with serve(database) as server:
            url = server.url
            _login(page, url)
            visit_id = _first_load(page, url)
        _cold_offline_starts(context, url)
        with serve(database, port=int(url.rsplit(":", 1)[1])):
            page.goto(f"{url}/field")
            page.wait_for_function(SYNCED, timeout=300000)
            context.set_offline(True)
            page.evaluate(ENQUEUE, [visit_id, QUEUED])
            started = time.perf_counter()
            context.set_offline(False)
            page.wait_for_function(SYNCED, timeout=300000)
            elapsed = time.perf_counter() - started
            print(
                f"sync of {QUEUED} queued mutations: {elapsed:.2f} s"
                f" ({elapsed / QUEUED * 1000:.1f} ms each, batches of 100)"
            )
        context.close()
