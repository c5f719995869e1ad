"""The master is told when the dispatcher changes the day: new, moved and removed visits reach
the phone on its next sync and Today says so until the master has seen it."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Browser

from tests.live import ServerProcess
from tests.pwa.field import first_visit, open_field_app, phone, wait_synced
from tests.pwa.test_offline import _dispatcher

NOTICE = "[data-testid=day-changed]"


def test_a_replanned_day_is_announced_on_today_after_the_sync(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    assert page.locator(NOTICE).count() == 0, "nothing changed since the first pull"
    visit_id = first_visit(page)
    with _dispatcher(server) as dispatcher:
        visit = dispatcher.get(f"/api/v1/visits/{visit_id}").json()
        later = dt.datetime.fromisoformat(visit["planned_start"]) + dt.timedelta(minutes=30)
        moved = dispatcher.patch(
            f"/api/v1/visits/{visit_id}",
            json={"version": visit["version"], "planned_start": later.isoformat()},
        )
        assert moved.status_code == 200, moved.text
    page.evaluate("() => import('/static/field/sync.js').then((sync) => sync.flush())")
    wait_synced(page)
    page.wait_for_selector(NOTICE, timeout=20000)
    text = page.inner_text(NOTICE)
    assert "Диспетчер изменил ваш план" in text and "1 выезд перенесён" in text
    page.click(f"{NOTICE} button")
    page.wait_for_selector(NOTICE, state="detached")
    page.reload()
    page.wait_for_selector("[data-testid=visit]")
    assert page.locator(NOTICE).count() == 0, "seen once is enough"
    context.close()


def test_a_slower_older_draw_never_covers_the_screen_asked_for_last(
    server: ServerProcess, browser: Browser
) -> None:
    """A sync's redraw of Today still reading the phone's copy when the master taps another
    day finishes last: its screen is dropped, the day tapped stays shown."""
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    shown = page.evaluate(
        """() => import('/static/field/ui.js').then((ui) => {
            const view = document.getElementById('view');
            const older = ui.newScreen(view);
            const newer = ui.newScreen(view);
            ui.fill(newer, 'the day tapped');
            ui.fill(older, 'today, drawn late');
            const first = view.textContent;
            ui.fill(newer, 'the day tapped, redrawn');
            return [first, view.textContent];
        })"""
    )
    assert shown == ["the day tapped", "the day tapped, redrawn"]
    context.close()
