"""Issue 14 at the desk, 1366 px (receivers, managers) and 820 px (dispatcher tablets): the
orders list's filter form, search by a phone as printed, «nothing found», sortable sticky
headers coloured by status, and the hotkeys with their help overlay."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from fixtures.demo import DEMO_PASSWORD
from tests.live import ServerProcess, query

WIDTHS: list[ViewportSize] = [{"width": 1366, "height": 768}, {"width": 820, "height": 1180}]


def _desk(browser: Browser, server: ServerProcess, size: ViewportSize, target: str) -> Page:
    page = browser.new_context(viewport=size, locale="ru-RU").new_page()
    page.goto(f"{server.url}/login?next={target}")
    page.fill("input[name=login]", "manager")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")
    return page


def _fits(page: Page, size: ViewportSize) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"the page is {width} px wide at {size['width']} px"


def _numbers(page: Page) -> list[str]:
    cells = page.locator("[data-testid=order-table] tbody tr[data-row] td:first-child")
    return cells.all_inner_texts()


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: str(s["width"]))
def test_the_filter_form_applies_and_shows_a_wrong_period_next_to_its_field(
    server: ServerProcess, browser: Browser, size: ViewportSize
) -> None:
    page = _desk(browser, server, size, "/orders")
    rows = page.locator("[data-testid=order-table] tbody tr[data-row]")
    total = rows.count()
    assert total > 3
    page.locator("details.filters summary").click()
    with page.expect_navigation():
        page.locator("[data-testid=filters] button[type=submit]").click()
    assert "created_from=" in page.url  # every field sent, empty
    expect(page.locator("body")).not_to_contain_text('"detail"')
    assert rows.count() == total
    if not page.locator("details.filters[open]").count():
        page.locator("details.filters summary").click()
    page.fill("#f-created_from", "2026-12-10")
    page.fill("#f-created_to", "2026-12-01")
    page.locator("[data-testid=filters] button[type=submit]").click()
    error = page.locator("[data-testid=error-created_to]")
    expect(error).to_contain_text("Конец периода раньше начала")
    field = page.locator(".field.has-error", has=page.locator("#f-created_to"))
    expect(field).to_be_visible()
    box, input_box = error.bounding_box(), page.locator("#f-created_to").bounding_box()
    assert box and input_box and 0 <= box["y"] - (input_box["y"] + input_box["height"]) < 30
    _fits(page, size)
    page.context.close()


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: str(s["width"]))
def test_search_by_a_printed_phone_and_nothing_found(
    server: ServerProcess, browser: Browser, size: ViewportSize
) -> None:
    (row,) = query(  # the busiest client: their orders may not fit on one page
        server.database_url,
        "SELECT p.number AS phone, array_agg(o.number ORDER BY o.created_at DESC, o.id DESC) "
        "AS numbers FROM service_order o JOIN client_phone p ON p.client = o.client "
        "GROUP BY p.number ORDER BY count(*) DESC, p.number LIMIT 1",
    )
    digits = row["phone"][2:]  # +7XXXXXXXXXX
    printed = f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
    page = _desk(browser, server, size, "/orders")
    for typed in (printed, f"8 {digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"):
        page.fill("[data-hotkey-search]", typed)
        page.press("[data-hotkey-search]", "Enter")
        page.wait_for_load_state()
        assert _numbers(page) == row["numbers"][:30], typed  # theirs only, newest first
    page.fill("[data-hotkey-search]", "Несуществующийклиент")
    page.press("[data-hotkey-search]", "Enter")
    empty = page.locator("[data-testid=nothing-found-table]")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("Заказы не найдены")
    _fits(page, size)
    page.context.close()


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: str(s["width"]))
def test_headers_sort_stay_on_top_and_rows_carry_the_status_colour(
    server: ServerProcess, browser: Browser, size: ViewportSize
) -> None:
    page = _desk(browser, server, size, "/orders")
    page.locator("[data-testid=sort-number]").click()
    page.wait_for_url(re.compile(r"sort=number"))
    expect(page.locator("[data-testid=th-number]")).to_have_attribute("aria-sort", "ascending")
    up = _numbers(page)
    assert up == sorted(up) and len(up) > 3
    page.locator("[data-testid=sort-number]").click()
    page.wait_for_url(re.compile(r"sort=-number"))
    expect(page.locator("[data-testid=th-number]")).to_have_attribute("aria-sort", "descending")
    down = _numbers(page)
    assert down == sorted(down, reverse=True)
    page.locator("[data-testid=sort-due_at]").click()
    page.wait_for_url(re.compile(r"sort=due"))
    # the status colour of the workflow on the row's first cell
    first = page.locator("[data-testid=order-table] tbody tr[data-row]").first
    colour = first.get_attribute("data-color") or ""
    shadow = first.locator("td").first.evaluate("td => getComputedStyle(td).boxShadow")
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})" in shadow, (colour, shadow)
    # the header stays on top while the list scrolls: under the top bar at 1366 px, at the
    # top of the table's own scrolling box on a tablet
    box = page.locator(".grid-box")
    box.evaluate(
        "b => { const inner = b.scrollHeight > b.clientHeight;"
        " const top = b.getBoundingClientRect().top + window.scrollY - 60;"
        " window.scrollTo(0, top + (inner ? 0 : 600));"
        " b.scrollTop = b.scrollHeight; }"
    )
    page.wait_for_timeout(100)
    header = page.locator("[data-testid=th-number]").bounding_box()
    last = page.locator("[data-testid=order-table] tbody tr[data-row]").last.bounding_box()
    frame = box.bounding_box()
    assert frame
    top = max(52, frame["y"])
    assert header and last and abs(header["y"] - top) <= 2 and last["y"] > header["y"], header
    _fits(page, size)
    page.context.close()


@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: str(s["width"]))
def test_hotkeys_move_through_the_list_open_a_row_search_and_save(
    server: ServerProcess, browser: Browser, size: ViewportSize
) -> None:
    page = _desk(browser, server, size, "/orders?sort=number")
    numbers = _numbers(page)
    help_ = page.locator("[data-testid=hotkeys-help]")
    expect(help_).to_be_hidden()
    page.keyboard.press("Shift+Slash")
    expect(help_).to_be_visible()
    expect(help_).to_contain_text("Горячие клавиши")
    expect(help_).to_contain_text("Следующая и предыдущая строка списка")
    page.keyboard.press("Escape")
    expect(help_).to_be_hidden()
    # typing in a field moves nothing
    page.locator("[data-hotkey-search]").focus()
    page.keyboard.type("jjk")
    expect(page.locator("tr.current")).to_have_count(0)
    assert page.input_value("[data-hotkey-search]") == "jjk"
    page.locator("h1").click()
    page.keyboard.press("j")
    # the Russian layout: the key in J's place types «о»; event.code is still KeyJ
    page.evaluate(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown',"
        " {key: 'о', code: 'KeyJ', bubbles: true}))"
    )
    current = page.locator("[data-testid=order-table] tr.current")
    expect(current).to_have_count(1)
    expect(current.locator("td").first).to_have_text(numbers[1])
    page.keyboard.press("k")
    expect(current.locator("td").first).to_have_text(numbers[0])
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orders/\d+$"))
    expect(page.locator("body")).to_contain_text(numbers[1])
    page.go_back()
    page.wait_for_url(re.compile(r"/orders\?"))
    page.locator("h1").click()
    page.keyboard.press("Slash")
    assert page.evaluate("document.activeElement.dataset.hotkeySearch") == ""
    # Ctrl+Enter saves the form one types in: here, the current filter under a name
    page.fill("input[name=filter_name]", f"Мой фильтр {size['width']}")
    page.keyboard.press("Control+Enter")
    expect(page.locator("a.chip.saved", has_text=f"Мой фильтр {size['width']}")).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_url("**/orders/new")
    page.context.close()
