"""The field app's words and formats: English message ids extracted by pybabel, the Russian
text from the catalogue the page carries (also offline), dates and times in the employee's
language and the center's zone, whatever the phone's locale and zone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from playwright.sync_api import Browser, Page

from server.i18n import catalogue
from tests.live import ServerProcess, query
from tests.pwa.field import open_field_app, phone, wait_synced

FIELD = Path(__file__).resolve().parents[2] / "pwa" / "field"
CALL = re.compile(r"\b(tn?)\(\s*([^\s)])")


def test_every_phrase_is_a_literal_message_id() -> None:
    """pybabel finds only literal ids: a t(key) or t(`...`) would never be translated."""
    for module in FIELD.rglob("*.js"):
        source = module.read_text(encoding="utf-8")
        assert "const RU" not in source and "const EN" not in source, module
        for name, first in CALL.findall(source):
            assert first == '"' or module.name == "i18n.js", (module.name, name, first)


def test_the_field_catalogue_is_russian() -> None:
    words = catalogue("ru", "field")
    assert words["Today"] == "Сегодня"
    assert words["Mark as done"] == "Выполнено" and words["Done"] == "Выполнен"


def _plain(text: str) -> str:
    return re.sub(r"[\u202f\u00a0]", " ", text).strip()


def _last_sync(page: Page) -> tuple[dt.datetime, str, str]:
    """The last sync (UTC), the header's clock and the center's zone the page was given."""
    data = page.evaluate(
        """() => [document.getElementById('sync').dataset.lastSync,
                  document.getElementById('sync-text').textContent,
                  document.body.dataset.timezone]"""
    )
    at = dt.datetime.fromisoformat(data[0].replace("Z", "+00:00"))
    return at, data[1].split(" · ")[-1], data[2]


def _check(page: Page, language: str) -> None:
    at, header, zone = _last_sync(page)
    local = at.astimezone(ZoneInfo(zone))
    # The header clock is the center's time, not the phone's (Pacific/Kiritimati, UTC+14).
    assert _plain(header) == _plain(format_time(local, "short", locale=language))
    page.goto(page.url.split("#")[0] + "#/sync")
    line = page.locator(".sync-state p").nth(1).inner_text()
    style = "short" if language == "ru" else "medium"
    day = format_date(local.date(), style, locale=language)
    assert day in _plain(line), (line, day)


def test_dates_and_times_follow_the_employee_and_the_center(
    server: ServerProcess, browser: Browser
) -> None:
    query(server.database_url, "UPDATE employee SET language = 'en' WHERE login = 'field2'")
    try:
        # A phone set to US English far east of the center: the app still shows the center's
        # time, in the employee's language ("Dec 2, 2026"), never the phone's "12/2/2026".
        context = phone(browser, locale="en-US", timezone_id="Pacific/Kiritimati")
        page = context.new_page()
        open_field_app(page, server.url, "field2")
        wait_synced(page)
        _check(page, "en")
        assert page.locator("h1").inner_text() == "Sync"
        context.close()
    finally:
        query(server.database_url, "UPDATE employee SET language = 'ru' WHERE login = 'field2'")
    context = phone(browser, locale="en-US", timezone_id="Pacific/Kiritimati")
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    _check(page, "ru")
    assert page.locator("h1").inner_text() == "Синхронизация"
    context.close()
