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


@pytest.mark.parametrize("width", WIDTHS)
def test_the_workflow_matrix_names_the_roles(
    server: ServerProcess, browser: Browser, width: int
) -> None:
    page = _desk(browser, width)
    _login(page, server.url, "/settings/workflow")
    limits = page.locator("[data-testid=transitions] [data-testid=move-roles]")
    expect(limits.first).to_be_visible()
    texts = limits.all_inner_texts()
    assert any("Администратор" in t and "Приёмщик" in t for t in texts), texts
    for code in ("admin", "manager", "receiver", "dispatcher"):
        assert not any(code in t.split(", ") for t in texts), texts
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_price_items_and_custom_fields_are_renamed_and_deleted(
    server: ServerProcess, browser: Browser, width: int
) -> None:
    (used,) = query(
        server.database_url,
        "SELECT p.id, p.name FROM price_item p WHERE p.is_active AND EXISTS"
        " (SELECT 1 FROM order_line l WHERE l.price_item = p.id) ORDER BY p.id LIMIT 1",
    )
    page = _desk(browser, width)
    _login(page, server.url, "/settings/prices")
    row = page.locator(f"[data-testid=price-{used['id']}]")
    row.locator("input[name=name]").fill(f"{used['name']} ({width})")
    row.locator("[data-testid=price-save]").click()
    page.wait_for_url("**/settings/prices?done=saved")
    row = page.locator(f"[data-testid=price-{used['id']}]")
    expect(row.locator(".title")).to_contain_text(f"{used['name']} ({width})")
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("[data-testid=price-delete]").click()
    page.wait_for_url("**/settings/prices?done=archived")
    expect(page.get_by_role("status")).to_contain_text("перенесена в архив")
    expect(row.locator(".badge.off")).to_have_text("в архиве")
    lines = query(
        server.database_url,
        "SELECT count(*) AS n FROM order_line WHERE price_item = $1",
        used["id"],
    )
    assert lines[0]["n"] > 0
    _fits(page, width)

    page.goto(f"{server.url}/settings/custom-fields")
    code = f"ticket_{width}"
    page.fill("#f-label", "Гарантийный талон")
    page.fill("#f-code", code)
    page.locator("form[action='/settings/custom-fields'] button[type=submit]").click()
    item = page.locator(f"[data-testid=field-{code}]")
    item.locator("summary").click()
    item.locator("input[name=label]").fill("Талон гарантии")
    item.locator("[data-testid=field-save]").click()
    page.wait_for_url("**/settings/custom-fields?done=saved")
    expect(item.locator(".title")).to_contain_text("Талон гарантии")
    _fits(page, width)
    item.locator("summary").click()
    page.once("dialog", lambda dialog: dialog.accept())
    item.locator("[data-testid=field-delete]").click()
    page.wait_for_url("**/settings/custom-fields?done=deleted")
    expect(page.get_by_role("status")).to_have_text("Удалено")
    expect(page.locator(f"[data-testid=field-{code}]")).to_have_count(0)
    page.context.close()
