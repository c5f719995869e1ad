"""The words of the dispatcher's board scripts (pwa/js/board*.js): English message ids in their
`t("...")` calls, extracted by pybabel into the "board" catalogue and handed to the scripts as
one JSON block in the employee's language. `{name}` parameters are filled by the script."""

from __future__ import annotations

from server.formats import DATE_STYLE
from server.i18n import current_language, script_strings


def board_strings() -> dict[str, object]:
    """The board's words (and plural forms) in the request's language, with the CLDR date
    length the pages use (server/formats.py), so that its dates read like theirs."""
    language = current_language.get()
    return script_strings("board", language) | {"dateStyle": DATE_STYLE.get(language, "medium")}
