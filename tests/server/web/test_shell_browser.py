"""The app shell in a real browser: phone layout at 360 px, desktop layout, forms, language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from fixtures.demo import DEMO_EMPLOYEES
from tests.browser import chromium
from tests.database import ROOT
from tests.live import LiveServer, live_server

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server("servio_live_shell") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def log_in(page: Page, server: LiveServer, login: str = "admin") -> None:
    page.goto(f"{server.url}/")
    expect(page).to_have_url(f"{server.url}/login?next=/")
    page.fill("#f-login", login)
    page.fill("#f-password", "servio-demo")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}/")


def test_phone_layout_has_bottom_navigation_and_cards(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, server)
    nav = page.locator("nav.nav").bounding_box()
    assert nav is not None
    assert nav["y"] + nav["height"] == pytest.approx(740, abs=1)
    assert nav["width"] == pytest.approx(360, abs=1)
    page.click("nav.nav >> text=Сотрудники")
    expect(page.locator("[data-testid=employee-cards]")).to_be_visible()
    expect(page.locator("[data-testid=employee-table]")).to_be_hidden()
    expect(page.locator("[data-testid=employee-cards] li")).to_have_count(len(DEMO_EMPLOYEES))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "staff-360.png"), full_page=True)
    assert all(url.startswith(server.url) for url in requests), "a request left the server's origin"
    context.close()


def test_desktop_layout_has_side_navigation_and_table(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, server)
    page.goto(f"{server.url}/staff/employees")
    nav = page.locator("nav.nav").bounding_box()
    assert nav is not None
    assert nav["x"] == 0 and nav["width"] == pytest.approx(200, abs=1)
    expect(page.locator("[data-testid=employee-table]")).to_be_visible()
    expect(page.locator("[data-testid=employee-cards]")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "staff-1280.png"), full_page=True)
    context.close()


def test_form_error_next_to_field_and_language_switch(server: LiveServer, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, server, "manager")
    page.goto(f"{server.url}/profile")
    page.fill("#f-current_password", "servio-demo")
    page.fill("#f-new_password", "123456789")
    page.click("text=Сменить пароль >> nth=-1")
    expect(page.locator("#e-new_password")).to_have_text(
        "Этот пароль слишком распространён. Выберите другой"
    )
    page.click("text=English")
    expect(page.locator("h2").first).to_have_text("Change password")
    expect(page.locator("nav.nav")).to_contain_text("Profile")
    page.click("text=Русский")
    expect(page.locator("nav.nav")).to_contain_text("Профиль")
    context.close()
