"""Issue 13 end to end on a 360 px phone: a customer sends a request from the public form, an
operator returns it for rework, the customer completes it through the link in the mail, the
operator accepts it and makes an order whose technical expert was chosen by the demo's rule."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from fixtures.demo import DEMO_PASSWORD
from tests.live import ServerProcess, demo_database, query
from tests.mailbox import Mailbox, smtp_server, text_of

PHONE: ViewportSize = {"width": 360, "height": 740}
REQUESTER = "anna.volkova@example.ru"
RULE = "Стиральные машины: эксперт"  # fixtures/responsibles.py: washing machines → master2


@pytest.fixture(scope="module")
def mail() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="session")
def requests_database() -> str:
    """Made before the browser starts (Playwright's loop must not be running then)."""
    return demo_database("requestflow")


@pytest.fixture(scope="module")
def server(requests_database: str, mail: tuple[Mailbox, int]) -> Iterator[ServerProcess]:
    process = ServerProcess(
        requests_database,
        env={
            "SERVIO_SMTP_HOST": "127.0.0.1",
            "SERVIO_SMTP_PORT": str(mail[1]),
            "SERVIO_SMTP_TLS": "none",
            "SERVIO_MAIL_FROM": "servis@example.ru",
        },
    )
    process.start()
    yield process
    process.stop()


def _phone(browser: Browser) -> Page:
    return browser.new_context(viewport=PHONE, locale="ru-RU", has_touch=True).new_page()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"


def _login(page: Page, url: str, login: str, target: str) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")


def _mail_to(box: Mailbox, count: int, needle: str) -> str:
    """The text of the `count`-th mail to the requester that contains `needle`."""
    for _ in range(3):
        mails = [m for m in box.wait_for(count, timeout=20) if REQUESTER in str(m["To"])]
        texts = [text_of(m) for m in mails if needle in text_of(m)]
        if texts:
            return texts[-1]
        count += 1
    raise AssertionError(f"no mail to the requester with {needle!r}")


def _link_in(text: str) -> str:
    found = re.search(r"https?://\S+/r/[A-Za-z0-9_\-]+", text)
    assert found, f"a private link in the mail:\n{text}"
    return found.group(0)


def test_a_request_goes_from_the_public_form_to_an_order_with_responsibles_by_rule(
    server: ServerProcess, browser: Browser, mail: tuple[Mailbox, int]
) -> None:
    box, _ = mail
    customer = _phone(browser)
    customer.goto(f"{server.url}/request")
    _fits(customer)
    customer.fill("[data-testid=req-name]", "Анна Волкова")
    customer.fill("[data-testid=req-phone]", "+7 921 555-01-23")
    customer.fill("[data-testid=req-email]", REQUESTER)
    customer.fill("[data-testid=req-device]", "Стиральная машина Bosch")
    customer.locator("[data-testid=request-form] details summary").tap()
    customer.fill("[data-testid=req-device-type]", "Стиральная машина")
    customer.fill("[data-testid=req-brand]", "Bosch")
    customer.fill("[data-testid=req-problem]", "Не сливает воду")
    customer.fill("[data-testid=req-address]", "Москва, ул. Профсоюзная, 12, кв. 5")
    customer.wait_for_timeout(3100)  # the form refuses what is sent faster than a person types
    customer.locator("[data-testid=request-send]").tap()
    expect(customer.locator("[data-testid=request-sent]")).to_be_visible()
    _fits(customer)
    number = customer.locator("[data-testid=request-number]").inner_text().strip()
    follow = customer.locator("[data-testid=request-link]").inner_text().strip()
    assert _link_in(_mail_to(box, 1, number)) == follow

    (row,) = query(
        server.database_url, "SELECT id, status FROM service_request WHERE number = $1", number
    )
    assert row["status"] == "new"
    operator = _phone(browser)
    _login(operator, server.url, "manager", f"/requests/{row['id']}")
    expect(operator.locator("[data-testid=req-expert-rule]")).to_contain_text(RULE)
    _fits(operator)
    operator.locator("[data-testid=req-take]").tap()
    expect(operator.locator("[data-testid=req-status]")).to_have_attribute(
        "data-status", "in_review"
    )
    operator.fill("[data-testid=req-return-reason]", "Укажите модель и серийный номер")
    operator.locator("[data-testid=req-return]").tap()
    expect(operator.locator("[data-testid=req-status]")).to_have_attribute(
        "data-status", "returned"
    )

    returned = _mail_to(box, 2, "Укажите модель и серийный номер")
    customer.goto(_link_in(returned))
    expect(customer.locator("[data-testid=req-reason]")).to_contain_text("серийный номер")
    _fits(customer)
    customer.fill("[data-testid=req-model]", "WAT28461OE")
    customer.fill("[data-testid=req-serial]", "FD9711 00345")
    customer.locator("[data-testid=req-complete]").tap()
    expect(customer.locator("[data-testid=req-saved]")).to_be_visible()
    expect(customer.locator("[data-testid=req-status]")).to_have_attribute(
        "data-status", "in_review"
    )

    operator.reload()
    expect(operator.locator("[data-testid=req-status]")).to_have_attribute(
        "data-status", "in_review"
    )
    operator.locator("[data-testid=req-accept]").tap()
    expect(operator.locator("[data-testid=req-status]")).to_have_attribute(
        "data-status", "accepted"
    )
    operator.locator("[data-testid=req-convert]").tap()
    operator.wait_for_url(re.compile(r".*/orders/\d+$"))
    _fits(operator)
    expect(operator.locator("[data-testid=responsible-expert]")).to_contain_text(RULE)

    (order,) = query(
        server.database_url,
        "SELECT o.id, o.channel, e.login AS expert, d.model_name AS model, d.serial"
        ' FROM service_request r JOIN service_order o ON o.id = r."order"'
        " JOIN employee e ON e.id = o.expert LEFT JOIN device d ON d.id = o.device"
        " WHERE r.number = $1",
        number,
    )
    assert order["expert"] == "master2"
    assert order["channel"] == "website"
    assert order["model"] == "WAT28461OE"
    assert order["serial"] == "FD9711 00345"
