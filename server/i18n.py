"""Translations: English message ids in code, gettext catalogues per language, the language per
request.

The UI is Russian by default. `gettext` reads the language of the current request from a
context variable that the request middleware sets from the employee's choice or a cookie.

Catalogues live in `locale/<lang>/LC_MESSAGES/<domain>.po` (`make messages` extracts them with
pybabel; `make` compiles the `.mo` files next to them). The `messages` domain holds the server's
Python and templates, `field` the field app's scripts, `board` the dispatch board's. English
needs no catalogue: message ids are English, and its plurals are gettext's default rule. A `.mo`
missing or older than its `.po` (a fresh checkout, an edit before `make`) is compiled from the
`.po` in memory, so nothing shows raw ids before `make`.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = {"ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "ru"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAINS = ("messages", "field", "board")

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def catalogue_path(language: str, domain: str = "messages", suffix: str = ".po") -> Path:
    """Where a language's catalogue of `domain` lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}{suffix}"


@cache
def translations(language: str, domain: str = "messages") -> NullTranslations:
    """The compiled catalogue of a language (English: none, the ids themselves)."""
    po, mo = catalogue_path(language, domain), catalogue_path(language, domain, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return Translations(file, domain=domain)
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as file:
        compiled = BytesIO()
        write_mo(compiled, read_po(file, locale=language, domain=domain))
    compiled.seek(0)
    return Translations(compiled, domain=domain)


def catalogue(language: str, domain: str = "messages") -> dict[str, str]:
    """A language's translated singular messages of `domain`: {msgid: text}."""
    found = getattr(translations(language, domain), "_catalog", {})
    return {k: v for k, v in found.items() if isinstance(k, str) and k and v}


def _fill(text: str, language: str, params: dict[str, object]) -> str:
    if not params:
        return text
    shown = {k: gettext(v, language) if isinstance(v, Msg) else v for k, v in params.items()}
    return text.format(**shown)


def gettext(message: str, /, language: str | None = None, **params: object) -> str:
    """Translate `message` to the request's language and fill `{named}` parameters."""
    language = language or current_language.get()
    return _fill(translations(language).gettext(message), language, params)


def ngettext(
    singular: str, plural: str, n: int, /, language: str | None = None, **params: object
) -> str:
    """The form of a message for the count `n` by the language's plural rule (CLDR): 1 заказ,
    2 заказа, 5 заказов, 21 заказ. `{n}` is filled with the count."""
    language = language or current_language.get()
    text = translations(language).ngettext(singular, plural, n)
    return _fill(text, language, {"n": n, **params})


_ = gettext
_n = ngettext


def plural_forms(language: str, domain: str = "messages") -> dict[str, int]:
    """Which catalogue form each CLDR plural category takes ({"one": 0, "few": 1, "many": 2}),
    for scripts that pick the category with `Intl.PluralRules`."""
    rule = Locale.parse(language).plural_form
    pick = getattr(translations(language, domain), "plural", None) or _gettext.c2py("n != 1")
    forms: dict[str, int] = {}
    for n in range(200):
        forms.setdefault(rule(n), int(pick(n)))
    return forms


def script_strings(domain: str, language: str) -> dict[str, object]:
    """What the `t()` and `tn()` of a script (the field app, the board) need in `language`:
    {"messages": {id: text, or the plural forms in order}, "plural": {CLDR category: form}}."""
    messages: dict[str, object] = {}
    forms: dict[str, dict[int, str]] = {}
    for key, text in getattr(translations(language, domain), "_catalog", {}).items():
        if isinstance(key, tuple):
            forms.setdefault(key[0], {})[key[1]] = text
        elif key and text:
            messages[key] = text
    for message, texts in forms.items():
        messages[message] = [texts[i] for i in sorted(texts)]
    return {"messages": messages, "plural": plural_forms(language, domain)}


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated when shown."""
    return message


class Msg(str):
    """A message parameter that is itself translated when the message is shown."""

    __slots__ = ()


def normalize_language(value: str | None) -> str:
    """A supported language code, or the default one."""
    code = (value or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
