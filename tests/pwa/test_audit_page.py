"""The audit log at the desk (1366 px) and on a tablet (820 px) on the demo center: records
named and linked, fields in Russian, values formatted, filters with errors by the field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from fixtures.demo import DEMO_PASSWORD
from tests.live import ServerProcess

RAW = re.compile(r"\b(order|visit|center) #|visit_status|print_template|\bTrue\b|\[\]|\bNone\b")


@pytest.mark.parametrize("width", [1366, 820])
def test_the_audit_log_reads_as_text_and_filters(
    server: ServerProcess, browser: Browser, width: int
) -> None:
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="ru-RU").new_page()
    page.goto(f"{server.url}/login?next=/audit")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/audit")
    entries = page.locator("[data-testid=audit-entry]")
    expect(entries.first).to_be_visible()
    text = page.locator("[data-testid=audit]").inner_text()
    assert not RAW.search(text), RAW.search(text)
    assert re.search(r"Заказ \d{2}-\d{6}", text)

    page.select_option("#f-entity", "visit")
    page.locator("[data-testid=audit-apply]").click()
    page.wait_for_url("**/audit?*entity=visit*")
    expect(entries.first).to_be_visible()
    assert set(entries.evaluate_all("els => els.map(e => e.dataset.entity)")) == {"visit"}
    visits = page.locator("[data-testid=audit]").inner_text()
    assert "Статус выезда" in visits and not RAW.search(visits)
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", visits)  # days with the year
    link = entries.first.locator("a[data-testid=audit-record]")
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/orders/\d+", href), href

    page.fill("#f-since", "2026-12-05")
    page.fill("#f-until", "2026-12-01")
    page.locator("[data-testid=audit-apply]").click()
    error = page.locator("#e-until")
    expect(error).to_have_text("Конец периода раньше его начала")
    expect(page.locator("#f-until")).to_have_attribute("aria-invalid", "true")
    assert "detail" not in page.locator("body").inner_text()
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"the page is {scrolled} px wide at {width} px"

    link_page = page.context.new_page()
    link_page.goto(f"{server.url}{href}")
    expect(link_page.locator("h1")).to_contain_text(re.compile(r"\d{2}-\d{6}"))
    page.context.close()
