"""The settings of automatic responsibles on a 360 px phone: a zone drawn by tapping the map,
the «test a request» box telling which rule fires (the demo's director rule), nothing wider
than the screen."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.live import ServerProcess, query
from tests.pwa.field import PASSWORD

PHONE: ViewportSize = {"width": 360, "height": 740}


def phone_page(browser: Browser, url: str, path: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True).new_page()
    page.goto(f"{url}/login?next={path}")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{path}")
    return page


def fits(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def test_a_zone_is_drawn_by_tapping_the_map(server: ServerProcess, browser: Browser) -> None:
    page = phone_page(browser, server.url, "/settings/assignment-zones")
    box = page.locator("[data-testid=zone-map]")
    expect(box.locator(".leaflet-pane").first).to_be_attached()
    fits(page)
    bounds = box.bounding_box()
    assert bounds
    for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.7)):
        page.mouse.click(bounds["x"] + bounds["width"] * dx, bounds["y"] + bounds["height"] * dy)
    area = page.locator("[data-testid=new-zone] textarea[name=polygon]")
    assert len(area.input_value().strip().splitlines()) == 3
    page.locator("[data-testid=new-zone] input[name=name]").fill("Нарисованная")
    page.locator("[data-testid=new-zone] button[type=submit]").click()
    expect(page.locator("[data-testid=zones]")).to_contain_text("Нарисованная")
    (row,) = query(
        server.database_url,
        "SELECT jsonb_array_length(polygon) AS n FROM assignment_zone WHERE name = 'Нарисованная'",
    )
    assert row["n"] == 3
    fits(page)


def test_the_test_box_tells_which_rule_fires(server: ServerProcess, browser: Browser) -> None:
    page = phone_page(browser, server.url, "/settings/assignment-rules")
    fits(page)
    form = page.locator("[data-testid=preview-form]")
    form.locator("select[name=kind]").select_option("request")
    form.locator("textarea[name=fields]").fill("addressee = director")
    form.locator("button[type=submit]").click()
    shown = page.locator("[data-testid=preview]")
    expect(shown).to_contain_text("Николай Андреевич Белов")
    expect(shown).to_contain_text("по правилу «Обращения к директору»")
    expect(page.locator("[data-testid=preview-queue]")).to_be_visible()
    fits(page)
