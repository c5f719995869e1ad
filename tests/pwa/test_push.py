"""Notifications end to end on a running server: the server's own worker turns a dispatcher's
change into a Web Push that the local push service verifies (VAPID) and decrypts; that
payload, delivered to the page's service worker through the DevTools protocol, shows a
notification whose click opens the visit; the bell counts it. And the client's mail on intake
reaches a real SMTP server with no one running the worker by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from server import clock
from tests.live import ServerProcess, demo_database
from tests.mailbox import Mailbox, smtp_server, text_of
from tests.pushservice import PushService, push_service
from tests.pwa.board import Orders, api_session, employee_id
from tests.pwa.field import PASSWORD


@pytest.fixture(scope="module")
def services() -> Iterator[tuple[PushService, Mailbox, int]]:
    with push_service() as pushes, smtp_server() as (box, port):
        yield pushes, box, port


@pytest.fixture(scope="session")
def push_database() -> str:
    """A demo database of its own (a copy of the session's), made before the browser starts
    (Playwright's loop must not be running then)."""
    return demo_database("push")


@pytest.fixture(scope="module")
def server(
    push_database: str, services: tuple[PushService, Mailbox, int]
) -> Iterator[ServerProcess]:
    pushes, _, port = services
    url = push_database
    env = {
        "SERVIO_PUSH_SERVICES": pushes.origin,
        "SERVIO_PUSH_CONTACT": "mailto:admin@example.ru",
        "SERVIO_SMTP_HOST": "127.0.0.1",
        "SERVIO_SMTP_PORT": str(port),
        "SERVIO_SMTP_TLS": "none",
        "SERVIO_MAIL_FROM": "servis@example.ru",
    }
    process = ServerProcess(url, env=env)
    process.start()
    yield process
    process.stop()


def _login(page: Page, url: str, login: str, target: str) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")


def _registration_id(page: Page, cdp: Any) -> str:
    found: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_timeout(200)
    scoped = [r for r in found if not r.get("isDeleted")]
    assert scoped, "the page registered the service worker"
    return str(scoped[-1]["registrationId"])


def test_a_planned_visit_pushes_to_the_master_and_the_click_opens_it(
    server: ServerProcess, browser: Browser, services: tuple[PushService, Mailbox, int]
) -> None:
    pushes, _, _ = services
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    context.grant_permissions(["notifications"], origin=server.url)
    master = api_session(server.url, "field2")
    dispatcher = api_session(server.url)
    try:
        _push_shown_and_opened(server, context, pushes, master, dispatcher)
    finally:  # closed on failure too: an open socket would fail the next test
        context.close()
        master.close()
        dispatcher.close()


def _push_shown_and_opened(
    server: ServerProcess,
    context: BrowserContext,
    pushes: PushService,
    master: httpx.Client,
    dispatcher: httpx.Client,
) -> None:
    page = context.new_page()
    _login(page, server.url, "field2", "/notifications")
    cdp = context.new_cdp_session(page)
    registration = _registration_id(page, cdp)
    phone = pushes.browser("field2-phone")
    assert (
        master.post("/api/v1/push/subscriptions", json=pushes.subscription(phone)).status_code
        == 201
    )
    before = int(page.locator("[data-testid=bell]").get_attribute("data-count") or 0)

    orders = Orders(server.url, server.database_url)
    (made_order,) = orders.queue(1)
    orders.http.close()
    order = made_order["id"]
    day = clock.today() + dt.timedelta(days=5)
    made = dispatcher.post(
        "/api/v1/visits",
        json={"order_id": order, "master_id": employee_id(server.database_url, "field2"),
              "day": day.isoformat(), "window_start": "11:00", "window_end": "13:00"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    visit = made.json()

    (got,) = pushes.wait_for(phone, 1, timeout=30)  # signed and encrypted, checked there
    payload = got["payload"]
    assert payload["url"] == f"/field#/visit/{visit['id']}"
    assert f"{day:%d.%m.%Y}, 11:00–13:00" in payload["body"]
    assert pushes.refused == []

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration, "data": json.dumps(payload)},
    )
    shown: list[list[str]] = []
    for _ in range(100):  # the worker shows it once it has handled the push
        shown = page.evaluate(
            """() => navigator.serviceWorker.ready
                .then((r) => r.getNotifications())
                .then((list) => list.map((n) => [n.title, n.body, n.data.url]))"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert [payload["title"], payload["body"], payload["url"]] in shown, _workers(page)
    expect(page.locator("[data-testid=bell]")).to_have_attribute("data-count", str(before + 1))

    (worker,) = context.service_workers
    worker.evaluate(
        """() => self.registration.getNotifications().then(([n]) =>
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification: n })))"""
    )
    page.wait_for_url(f"**/field#/visit/{visit['id']}", timeout=10000)


def _workers(page: Page) -> dict[str, Any]:
    """What a failed delivery is explained by: the page's permission and its workers."""
    return {
        "permission": page.evaluate("() => Notification.permission"),
        "controller": page.evaluate("() => navigator.serviceWorker.controller?.scriptURL"),
        "workers": [w.url for w in page.context.service_workers],
    }


def test_the_clients_mail_on_intake_goes_out_through_the_servers_own_worker(
    server: ServerProcess, services: tuple[PushService, Mailbox, int]
) -> None:
    _, mailbox, _ = services
    receiver = api_session(server.url, "receiver")
    try:
        number = _intake_with_mail(receiver)
    finally:
        receiver.close()
    with mailbox.received:
        mailbox.received.wait_for(
            lambda: any(m["To"] == "krylova@example.ru" for m in mailbox.mails), timeout=30
        )
    mine = [m for m in mailbox.mails if m["To"] == "krylova@example.ru"]
    assert len(mine) == 1, [m["To"] for m in mailbox.mails]
    assert number in mine[0]["Subject"] and f"number={number}" in text_of(mine[0])


def _intake_with_mail(receiver: Any) -> str:
    """A client with an email and an order taken in for them; the order's number."""
    made = receiver.post(
        "/api/v1/clients",
        json={"name": "Крылова Мария", "kind": "person", "phones": ["+79051234567"],
              "emails": ["krylova@example.ru"]},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    order = receiver.post("/api/v1/orders", json={"client_id": made.json()["id"]})
    assert order.status_code == 201, order.text
    return str(order.json()["number"])
