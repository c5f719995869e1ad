"""Planning five queued visits by hand on the dispatcher's board, counted in taps.

Usage: python -m tests.perf board

A fresh demo database (`servio_bench_board`) behind a real `servio serve`; a tablet at 820 px.
Five field orders wait in the queue; each is put on a master's lane at a chosen time, the way a
dispatcher would: (1) dragging it there, one gesture; (2) tapping it, then the lane. A warning
dialog, when a placement brings one, is answered "save anyway" and its tap counted. The page
counts every press (pointerdown) and every typed character itself; the login is not counted.
The old form (type the order number, pick the master, the day, the window: one visit at a
time) took 33 clicks for five visits, as measured on the form before the board replaced it.
Prints figures; never passes or fails.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

# tests.database recreates its test database on import; keep it away from the test suite's.
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_board_base")

DATABASE = "servio_bench_board"
OLD_FORM_CLICKS = 33
VISITS = 5
# Where the five go: field2's day (Морозов, 08:00-17:00, lunch in 12:00-14:00; the orders are
# of the devices he repairs), an hour on the road between visits.
PLACES = tuple(("field2", minutes) for minutes in (8 * 60, 10 * 60, 12 * 60, 14 * 60, 16 * 60))
COUNTER = """
window.__taps = 0; window.__typed = 0;
document.addEventListener('pointerdown', () => { window.__taps += 1; }, true);
document.addEventListener('keydown', (e) => { if (e.key.length === 1) window.__typed += 1; }, true);
"""


def _counts(page: Any) -> tuple[int, int]:
    return int(page.evaluate("window.__taps")), int(page.evaluate("window.__typed"))


def _settle(page: Any, order_id: int) -> int:
    """Until the order's block is on its lane; a warning is answered with one more tap."""
    block = page.locator(f"[data-testid=visit-block][data-order='{order_id}']")
    warning = page.locator("[data-testid=warn-save]")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if block.count():
            return 0
        if warning.count():
            warning.click()
            block.wait_for()
            return 1
        page.wait_for_timeout(50)
    raise RuntimeError(f"order {order_id} was not placed")


def _plan_by_hand(page: Any, url: str, database_url: str, orders: list[dict[str, Any]],
                  day: dt.date, mode: str) -> dict[str, Any]:  # fmt: skip
    from tests.pwa.board import drag, employee_id, queue_item, tap_lane

    page.goto(f"{url}/dispatch?day={day.isoformat()}")
    page.wait_for_selector("[data-testid=lane-track]")
    page.evaluate("() => { window.__taps = 0; window.__typed = 0; }")
    warnings = 0
    started = time.perf_counter()
    for order, (login, minutes) in zip(orders, PLACES, strict=True):
        master = employee_id(database_url, login)
        item = queue_item(page, order["number"])
        if mode == "drag":
            drag(page, item, master, minutes)
        else:
            item.click()
            tap_lane(page, master, minutes)
        warnings += _settle(page, order["id"])
    seconds = time.perf_counter() - started
    taps, typed = _counts(page)
    return {"taps": taps, "typed": typed, "warnings": warnings, "seconds": seconds}


def main(argv: list[str]) -> None:
    """Plan five visits twice (drag, then tap and tap) on a fresh demo database."""
    from tests.browser import chromium
    from tests.live import ServerProcess, fresh_database, servio
    from tests.pwa.board import Orders, open_board, planning_day

    database = fresh_database(DATABASE)
    servio("demo", database_url=database)
    server = ServerProcess(database)
    server.start()
    results: dict[str, dict[str, Any]] = {}
    try:
        orders = Orders(server.url, database)
        first = planning_day()
        second = first + dt.timedelta(days=1)
        while second.weekday() >= 5:
            second += dt.timedelta(days=1)
        with chromium() as browser:
            context = browser.new_context(
                viewport={"width": 820, "height": 1180}, locale="ru-RU", has_touch=True
            )
            context.add_init_script(COUNTER)
            page = context.new_page()
            open_board(page, server.url, first)
            results["drag"] = _plan_by_hand(
                page, server.url, database, orders.queue(VISITS), first, "drag"
            )
            results["tap"] = _plan_by_hand(
                page, server.url, database, orders.queue(VISITS), second, "tap"
            )
            context.close()
        orders.http.close()
    finally:
        server.stop()
    print(f"planning {VISITS} queued visits by hand (login not counted)")
    print(f"{'way':<40} {'taps':>5} {'typed':>6} {'warned':>7} {'seconds':>8}")
    print(f"{'old form, one visit at a time':<40} {OLD_FORM_CLICKS:>5} {'-':>6} {'-':>7} {'-':>8}")
    for name, label in (
        ("drag", "board: drag onto a lane"),
        ("tap", "board: tap the order, then the lane"),
    ):
        r = results[name]
        print(f"{label:<40} {r['taps']:>5} {r['typed']:>6} {r['warnings']:>7} {r['seconds']:>8.1f}")
