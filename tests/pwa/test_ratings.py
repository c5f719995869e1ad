"""The customer's pages on a 360 px phone: the rating form behind a link (stars, comment,
the thank-you page, the neutral page after) and the cabinet behind its link; nothing wider
than the screen."""

from __future__ import annotations

import hashlib
import secrets

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.live import ServerProcess, query

PHONE: ViewportSize = {"width": 360, "height": 740}


def _phone(browser: Browser) -> Page:
    return browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True).new_page()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_client_rates_on_a_phone_once(server: ServerProcess, browser: Browser) -> None:
    (order,) = query(
        server.database_url,
        "SELECT o.id, o.number FROM service_order o WHERE NOT EXISTS"
        ' (SELECT 1 FROM rating_invite i WHERE i."order" = o.id) ORDER BY o.id LIMIT 1',
    )
    token = secrets.token_urlsafe(32)
    query(
        server.database_url,
        'INSERT INTO rating_invite ("order", token_hash, status, created_at, expires_at)'
        " VALUES ($1, $2, 'issued', now(), now() + interval '30 days')",
        order["id"],
        _hash(token),
    )
    page = _phone(browser)
    page.goto(f"{server.url}/rate/{token}")
    expect(page.get_by_role("heading", name="Как мы справились?")).to_be_visible()
    expect(page.get_by_text(order["number"])).to_be_visible()
    _fits(page)
    page.locator("label[for=score-4]").tap()
    page.fill("textarea[name=comment]", "Всё хорошо, спасибо")
    page.get_by_role("button", name="Отправить").tap()
    expect(page.locator("[data-testid=rate-thanks]")).to_be_visible()
    _fits(page)
    rows = query(
        server.database_url,
        'SELECT score, comment FROM rating WHERE "order" = $1',
        order["id"],
    )
    assert rows == [{"score": 4, "comment": "Всё хорошо, спасибо"}]
    page.goto(f"{server.url}/rate/{token}")
    expect(page.locator("[data-testid=rate-gone]")).to_be_visible()
    assert order["number"] not in page.content()


def test_the_cabinet_on_a_phone(server: ServerProcess, browser: Browser) -> None:
    (client,) = query(
        server.database_url,
        "SELECT c.id, count(o.id) AS n FROM client c JOIN service_order o ON o.client = c.id"
        " GROUP BY c.id ORDER BY count(o.id) DESC, c.id LIMIT 1",
    )
    token = secrets.token_urlsafe(32)
    query(
        server.database_url,
        "INSERT INTO cabinet_link (clients, token_hash, contact, created_at, expires_at)"
        " VALUES (ARRAY[$1::int], $2, 'demo@example.ru', now(), now() + interval '30 minutes')",
        client["id"],
        _hash(token),
    )
    page = _phone(browser)
    page.goto(f"{server.url}/my/link/{token}")
    page.locator("[data-testid=cabinet-open]").tap()
    page.wait_for_url(f"{server.url}/my/orders")
    shown = page.locator("[data-testid=cabinet-order]")
    expect(shown.first).to_be_visible()
    assert shown.count() == client["n"]
    _fits(page)
