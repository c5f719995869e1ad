"""The late-orders page /sla on a 360 px phone: who is late and by how much, filters that
narrow the list, nothing wider than the screen."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.live import ServerProcess, demo_database, query
from tests.pwa.field import PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}
ALL_DAY = [[[0, 1440]]] * 7  # seven days of one span each


@pytest.fixture(scope="session")
def late_database() -> str:
    """A demo database of this module's own where every new order is late: accept within a
    minute on a round-the-clock week (made before the browser starts, like the package's:
    Playwright's loop must not be running then). The sweep's candidates are written here rather than
    waited for (the server's worker sweeps each minute); what the page shows is read afresh
    from the orders' events."""
    database = demo_database("pwa_sla")
    query(
        database,
        "INSERT INTO sla_work_week (id, hours, updated_at) VALUES (1, $1::jsonb, now())"
        " ON CONFLICT (id) DO UPDATE SET hours = EXCLUDED.hours",
        json.dumps(ALL_DAY),
    )
    query(
        database,
        "INSERT INTO sla_policy (name, priority, accept_minutes, warn_percent, pause_statuses,"
        " is_active, updated_at) VALUES ('Приём за минуту', '', 1, 50, '{}', true, now())",
    )
    query(
        database,
        'INSERT INTO sla_order_state ("order", state, checked_at)'
        " SELECT o.id, 'breached', now() FROM service_order o"
        " JOIN order_status s ON s.id = o.status WHERE s.\"group\" = 'new'"
        ' ON CONFLICT ("order") DO NOTHING',
    )
    return database


@pytest.fixture(scope="module")
def server(late_database: str) -> Iterator[ServerProcess]:
    """`servio serve` on that database."""
    process = ServerProcess(late_database)
    process.start()
    yield process
    process.stop()


def phone_page(browser: Browser, url: str, login: str = "admin") -> Page:
    page = browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True).new_page()
    page.goto(f"{url}/login?next=/sla")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/sla")
    return page


def test_the_late_page_fits_a_phone_and_filters_narrow_it(
    server: ServerProcess, browser: Browser
) -> None:
    page = phone_page(browser, server.url)
    rows = page.locator("[data-testid=late-list] li a")
    expect(rows.first).to_be_visible()
    first = rows.first.inner_text()
    assert "Нарушен" in first and "опоздание" in first, first
    total = query(
        server.database_url,
        "SELECT count(*) AS n FROM service_order o JOIN order_status s ON s.id = o.status"
        " WHERE s.\"group\" = 'new'",
    )[0]["n"]
    assert rows.count() == total > 0, "every new order is late"
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px screen"
    for row in rows.all()[:5]:
        box = row.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box

    page.locator("details.filters summary").click()
    form = page.locator("[data-testid=late-filters]")
    expect(form).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    form.locator("select[name=state]").select_option("at_risk")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/sla?*state=at_risk*")
    expect(page.locator("[data-testid=late-list]")).to_contain_text("Ничего не просрочено")
    form.locator("select[name=state]").select_option("breached")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/sla?*state=breached*")
    expect(rows.first).to_be_visible()
    expect(page.locator("[data-testid=export]")).to_be_visible()
    page.context.close()
