"""The board scripts' words: literal English message ids in t("...") calls (pybabel extracts
them into the "board" catalogue; tests/server/test_i18n.py checks each has a Russian text),
handed to the page in the employee's language with the plural forms."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, ViewportSize

from server.config import get_settings
from server.i18n import script_strings
from tests.live import ServerProcess
from tests.pwa.board import Orders, open_board, planning_day, queue_item

JS = Path(__file__).resolve().parents[2] / "pwa" / "js"
TABLET: ViewportSize = {"width": 820, "height": 1180}
CALL = re.compile(r"\b(tn?)\(\s*([^\s)])")


def test_every_phrase_is_a_literal_message_id() -> None:
    for module in JS.glob("board*.js"):
        source = module.read_text(encoding="utf-8")
        for name, first in CALL.findall(source):
            assert first == '"' or module.name == "board-i18n.js", (module.name, name, first)


def test_the_board_gets_its_words_in_the_employees_language() -> None:
    russian = script_strings("board", "ru")
    assert russian["messages"]["Plan the day"] == "Спланировать день"  # type: ignore[index]
    assert russian["messages"]["{n} visit"] == ["{n} выезд", "{n} выезда", "{n} выездов"]  # type: ignore[index]
    assert russian["plural"] == {"one": 0, "few": 1, "many": 2}
    english = script_strings("board", "en")
    assert english == {"messages": {}, "plural": {"one": 0, "other": 1}}


def test_the_queue_shows_dates_like_the_pages(server: ServerProcess, browser: Browser) -> None:
    """A due moment with its year in the center's zone, whatever the tablet's locale and zone."""
    orders = Orders(server.url, server.database_url)
    try:
        (order,) = orders.queue(1, due_at="2026-12-24T09:30:00Z")
    finally:
        orders.http.close()
    context = browser.new_context(
        viewport=TABLET, locale="en-US", timezone_id="Pacific/Kiritimati", has_touch=True
    )
    page = context.new_page()
    open_board(page, server.url, planning_day())
    due = queue_item(page, order["number"]).locator(".due").inner_text()
    local = dt.datetime(2026, 12, 24, 9, 30, tzinfo=dt.UTC).astimezone(
        ZoneInfo(get_settings().timezone)
    )
    assert due == f"Срок {local:%d.%m.%Y %H:%M}"
    context.close()
