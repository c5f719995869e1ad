"""The screenshots in docs/screens/: the orders list, an order card and the intake form at the
desk (1366 px) and on the dispatcher's tablet (820 px), on a fresh demo database.

    make screens        (or: .venv/bin/python -m tests.pwa.screens)
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, ViewportSize

from fixtures.demo import DEMO_PASSWORD
from tests.browser import chromium
from tests.database import ROOT
from tests.live import demo_database, query, serve

SCREENS = ROOT / "docs" / "screens"
WIDTHS = (1366, 820)


def _order_in_work(database_url: str) -> int:
    rows = query(
        database_url,
        "SELECT o.id FROM service_order o JOIN order_status s ON s.id = o.status "
        "WHERE o.estimated_cost IS NOT NULL AND o.device IS NOT NULL "
        "AND s.\"group\" = 'in_work' ORDER BY o.id LIMIT 1",
    )
    return int(rows[0]["id"])


def _log_in(page: Page, url: str, login: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def main() -> list[Path]:
    database_url = demo_database("screens")
    order_id = _order_in_work(database_url)
    shots = {"orders-list": "/orders", "order-card": f"/orders/{order_id}", "intake": "/orders/new"}
    made = []
    SCREENS.mkdir(parents=True, exist_ok=True)
    with serve(database_url) as server, chromium() as browser:
        for width in WIDTHS:
            viewport: ViewportSize = {"width": width, "height": 900}
            context = browser.new_context(viewport=viewport, locale="ru-RU")
            page = context.new_page()
            _log_in(page, server.url, "manager")
            for name, path in shots.items():
                page.goto(f"{server.url}{path}")
                page.wait_for_load_state("networkidle")
                target = SCREENS / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                made.append(target)
            context.close()
    return made


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(ROOT))
