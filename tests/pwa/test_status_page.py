"""The customers' status page in a browser, at the desk widths of the issue (1366, 820 px) and on
a 360 px phone: the receipt's QR link opens the answer with the device and the center's
contacts and hours; a number typed without the dash finds the order."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from fixtures.center import CENTER
from tests.live import ServerProcess, query


def _order(server: ServerProcess) -> dict[str, str]:
    (row,) = query(
        server.database_url,
        "SELECT o.number, o.public_code FROM service_order o WHERE o.device IS NOT NULL"
        " ORDER BY o.id DESC LIMIT 1",
    )
    return row


@pytest.mark.parametrize("width", [1366, 820, 360])
def test_the_qr_link_shows_the_order_and_the_center_at_once(
    server: ServerProcess, browser: Browser, width: int
) -> None:
    order = _order(server)
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="ru-RU").new_page()
    page.goto(f"{server.url}/status?number={order['number']}&code={order['public_code']}")
    expect(page.locator("[data-testid=status-number]")).to_have_text(order["number"])
    expect(page.locator("[data-testid=status-device]")).not_to_be_empty()
    expect(page.locator("[data-testid=status-due]")).to_contain_text("₽")
    # The center as it is now: other tests of the package edit the demo center's details.
    (center,) = query(server.database_url, "SELECT name, phone, hours FROM center_settings")
    assert center["phone"] == CENTER["phone"]  # the demo's, as the receipt prints it
    contacts = page.locator("[data-testid=center-contacts]")
    expect(contacts).to_contain_text(center["name"])
    expect(contacts.locator("[data-testid=center-phone]")).to_have_text(center["phone"])
    expect(contacts.locator("[data-testid=center-hours]")).to_have_text(center["hours"])
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"the page is {scrolled} px wide at {width} px"

    page.goto(f"{server.url}/status")
    page.fill("#f-number", order["number"].replace("-", ""))
    page.fill("#f-code", order["public_code"].lower())
    page.locator("form[action='/status'] button[type=submit]").click()
    expect(page.locator("[data-testid=status-number]")).to_have_text(order["number"])
    page.context.close()
