"""Settings pages at the desk (1366 px) and on a tablet (820 px), as the administrator: the
center's details, the workflow matrix, custom fields and the price list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from fixtures.demo import DEMO_PASSWORD
from tests.live import ServerProcess, query

WIDTHS = [1366, 820]


def _desk(browser: Browser, width: int) -> Page:
    viewport: ViewportSize = {"width": width, "height": 900}
    return browser.new_context(viewport=viewport, locale="ru-RU").new_page()


def _login(page: Page, url: str, target: str, login: str = "admin") -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")


def _fits(page: Page, width: int) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"the page is {scrolled} px wide at {width} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_saving_the_center_details_says_saved_once(
    server: ServerProcess, browser: Browser, width: int
) -> None:
    page = _desk(browser, width)
    _login(page, server.url, "/settings/center")
    expect(page.locator("#f-name")).to_have_value("Сервисный центр «Мастер Плюс»")
    page.fill("#f-hours", f"Пн–Пт 9:00–20:00 ({width})")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/settings/center?done=1")
    expect(page.get_by_role("status")).to_have_count(1)
    expect(page.get_by_role("status")).to_have_text("Сохранено")
    body = page.locator("body").inner_text()
    assert body.count("Сохранено") == 1 and "saved" not in body.lower(), body[:400]
    expect(page.locator("#f-hours")).to_have_value(f"Пн–Пт 9:00–20:00 ({width})")
    (row,) = query(server.database_url, "SELECT hours FROM center_settings")
    assert row["hours"] == f"Пн–Пт 9:00–20:00 ({width})"
    _fits(page, width)
    page.context.close()
