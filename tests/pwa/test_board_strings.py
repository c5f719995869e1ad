"""The board scripts' words: literal English message ids in t("...") calls (pybabel extracts
them into the "board" catalogue; tests/server/test_i18n.py checks each has a Russian text),
handed to the page in the employee's language with the plural forms."""

from __future__ import annotations

import re
from pathlib import Path

from server.i18n import script_strings

JS = Path(__file__).resolve().parents[2] / "pwa" / "js"
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
