"""A shared phone: the next employee's login is never made stale by the previous one's app.

The race behind a flaky test_another_employee_on_the_same_phone_does_not_send_the_first_ones_
changes, played in a fixed order: the field app's pull leaves with no cookies (they were just
cleared), the login page is shown, and only then the pull's answer arrives.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Route

from tests.live import ServerProcess
from tests.pwa.field import PASSWORD, open_field_app, phone, wait_synced


def test_a_pull_answered_after_the_login_page_does_not_make_its_form_stale(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    app = context.new_page()
    open_field_app(app, server.url, "field1")
    wait_synced(app)
    held: list[Route] = []
    context.route("**/api/v1/sync/pull*", lambda route: held.append(route))
    context.clear_cookies()  # field1 is gone; field2 takes the phone
    app.evaluate("() => import('/static/field/sync.js').then((sync) => { sync.flush(); })")
    for _ in range(100):
        if held:
            break
        app.wait_for_timeout(100)
    assert held, "the field app sent no pull"
    login = context.new_page()
    login.goto(f"{server.url}/login?next=/field")
    # The pull left before the login page set its cookie: it goes with none (Chromium adds
    # cookies when a held request goes on, so the jar is emptied for it and, like a browser
    # that got an answer without Set-Cookie, given back the login page's cookie afterwards).
    login_cookies = context.cookies()
    context.clear_cookies()
    for route in held:
        route.continue_()
    context.unroute("**/api/v1/sync/pull*")
    app.wait_for_selector("[data-testid=login-again]:not([hidden])", timeout=20000)
    replaced = {cookie["name"] for cookie in context.cookies()}
    context.add_cookies([c for c in login_cookies if c["name"] not in replaced])
    login.fill("input[name=login]", "field2")
    login.fill("input[name=password]", PASSWORD)
    login.click("button[type=submit]")
    login.wait_for_load_state()
    assert "Форма устарела" not in login.inner_text("body")
    login.wait_for_url("**/field", timeout=20000)
    login.wait_for_selector("[data-testid=visit]", timeout=20000)
    context.close()
