"""«Мой график»: the master's own fortnight in the field app, from the phone's copy."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.live import ServerProcess
from tests.pwa.field import open_field_app, phone, wait_synced


def test_a_master_sees_own_schedule_also_with_the_server_gone(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    page.click("[data-testid=open-schedule]")
    page.wait_for_selector("[data-testid=schedule]")
    days = page.locator("[data-testid=my-day]")
    assert days.count() == 14
    # The demo's field1: Sundays off, a short Saturday, one short weekday (a doctor's visit).
    sundays = page.locator("[data-testid=my-day][data-absence=weekly_off]")
    assert sundays.count() == 2
    assert "Выходной по графику" in sundays.first.inner_text()
    short = page.locator("[data-testid=my-day]", has_text="09:00–14:00")
    assert short.count() == 1 and "обед 30 мин" in short.inner_text()
    assert page.locator("[data-testid=my-day]", has_text="10:00–15:00").count() == 2
    shown = page.inner_text("[data-testid=schedule]")

    with server.stopped():
        page.reload()  # no server: the app and the schedule come from the phone
        page.wait_for_selector("[data-testid=schedule]")
        assert page.locator("[data-testid=my-day]").count() == 14
        assert page.inner_text("[data-testid=schedule]") == shown
    context.close()
