"""The board scripts' words: every key they ask for is translated on the server, in both
languages, and none is left unused."""

from __future__ import annotations

import re
from pathlib import Path

from server.dispatch.board_strings import BOARD
from server.i18n import gettext

JS = Path(__file__).resolve().parents[2] / "pwa" / "js"
# Keys built at run time: t(`priority_${p}`), t(`change_${a.change}`), t(`status_${status}`),
# and the tab names t(name).
DYNAMIC = re.compile(r"^(priority_|change_|status_)|^(day|week|map)$")


def _used() -> set[str]:
    used: set[str] = set()
    for module in JS.glob("board*.js"):
        used |= set(re.findall(r"\bt\(\s*\"(\w+)\"", module.read_text(encoding="utf-8")))
    return used


def test_every_key_the_board_asks_for_exists() -> None:
    assert _used() - set(BOARD) == set()


def test_no_key_is_left_unused() -> None:
    assert {k for k in set(BOARD) - _used() if not DYNAMIC.search(k)} == set()


def test_the_board_speaks_russian_and_english() -> None:
    for key, message in BOARD.items():
        assert gettext(message, language="en") == message, key
        assert gettext(message, language="ru") != message or message.startswith("+"), key
