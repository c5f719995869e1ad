"""The desk's whole day for one device, in a real browser against a real server process."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium
from tests.database import ROOT
from tests.live import LiveServer, live_server

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server("servio_live_flow") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def log_in(browser: Browser, server: LiveServer, login: str) -> Page:
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{server.url}/login")
    page.fill("#f-login", login)
    page.fill("#f-password", "servio-demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}/")
    return page


def test_intake_repair_status_lookup_and_handover(server: LiveServer, browser: Browser) -> None:
    receiver = log_in(browser, server, "receiver")
    receiver.goto(f"{server.url}/orders/new")
    receiver.fill("#f-new_client_name", "Галина Тестова")
    receiver.fill("#f-new_client_phone", "+7 920 555-44-33")
    receiver.fill("#f-new_device_brand", "Indesit")
    receiver.fill("#f-new_device_model", "IWSC 5105")
    receiver.fill("#f-new_device_serial", "IND-2026-0001")
    receiver.fill("#f-declared_fault", "Не отжимает бельё")
    receiver.select_option("#f-technician_id", label="Иван Петрович Орлов")
    receiver.click("text=Принять")
    expect(receiver.locator("[data-testid=status]")).to_have_text("Новый")
    number = re.search(r"\d\d-\d{6}", receiver.locator("h1").inner_text())
    assert number
    code = re.search(r"проверки статуса:?\s*([2-9A-Z]{6})", receiver.locator("main").inner_text())
    assert code
    order_url = receiver.url

    master = log_in(browser, server, "master1")
    master.goto(order_url)
    master.click("button[value=diagnostics]")
    expect(master.locator("[data-testid=status]")).to_have_text("Диагностика")
    master.click("button[value=in_repair]")
    bearings = master.locator(
        "#f-price_item_id option", has_text="Замена подшипников барабана"
    ).first
    master.select_option("#f-price_item_id", value=bearings.get_attribute("value"))
    master.click("text=Добавить строку")
    expect(master.locator("[data-testid=lines]")).to_contain_text("Замена подшипников барабана")
    master.fill("#f-text", "Подшипники рассыпались, заменил")
    master.click("form[action$='/events'] button[type=submit]")
    master.click("button[value=ready]")
    expect(master.locator("[data-testid=status]")).to_have_text("Готов")
    expect(master.locator("button[value=issued]")).to_have_count(0)  # the counter hands over

    customer = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    customer.goto(f"{server.url}/status")
    customer.fill("#f-number", number.group(0))
    customer.fill("#f-code", code.group(1).lower())
    customer.click("text=Проверить")
    expect(customer.locator("[data-testid=status-result]")).to_contain_text("Готов")
    expect(customer.locator("[data-testid=status-result]")).to_contain_text("4\u00a0500,00\u00a0₽")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    customer.screenshot(path=str(SCREENSHOTS / "status-360.png"), full_page=True)

    # The receiver's card has stayed open since intake: the live timeline shows the news.
    expect(receiver.locator("[data-testid=timeline]")).to_contain_text(
        "Подшипники рассыпались, заменил", timeout=20_000
    )
    receiver.goto(order_url)
    receiver.click("text=Провести оплату")
    expect(receiver.locator("[data-testid=amount-due]")).to_contain_text("0,00\u00a0₽")
    receiver.click("button[value=issued]")
    expect(receiver.locator("[data-testid=status]")).to_have_text("Выдан")
    expect(receiver.locator("[data-testid=timeline]")).to_contain_text(
        "Подшипники рассыпались, заменил"
    )
    receiver.screenshot(path=str(SCREENSHOTS / "order-card-360.png"), full_page=True)
