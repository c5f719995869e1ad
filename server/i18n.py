"""Translations: English message ids in code, a Russian catalogue, the language per request.

The UI is Russian by default. `gettext` reads the language of the current request from a
context variable that the request middleware sets from the employee's choice or a cookie.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = {"ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "ru"
LOCALE_DIR = Path(__file__).parent / "locale"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def catalogue(language: str) -> dict[str, str]:
    """The catalogue of a language: every `<language>*.json` file merged (one file per domain).

    English needs none: message ids are English.
    """
    merged: dict[str, str] = {}
    if language == "en":
        return merged
    for path in sorted(LOCALE_DIR.glob(f"{language}*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def gettext(message: str, /, language: str | None = None, **params: object) -> str:
    """Translate `message` to the request's language and fill `{named}` parameters."""
    language = language or current_language.get()
    text = catalogue(language).get(message, message)
    if not params:
        return text
    shown = {k: gettext(v, language) if isinstance(v, Msg) else v for k, v in params.items()}
    return text.format(**shown)


_ = gettext


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
