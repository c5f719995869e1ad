"""Numbers, money and dates as people read them, one format per language (Babel, CLDR).

Pages, print forms, exports and the field app show the same: `1 200,00 ₽` and `02.12.2026`
in Russian, `1,200.00 ₽` and `Dec 2, 2026` in English. Timestamps are stored in UTC and shown
in the service center's time zone.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, parse_pattern

from server import clock
from server.i18n import current_language

# CLDR date length per language; the field app's Intl `dateStyle` uses the same names.
DATE_STYLE = {"ru": "short", "en": "medium"}
EMPTY = "—"

Number = Decimal | int | float | str
# Parsed once: Babel parses a pattern given as text on every call.
MONEY_PATTERN = parse_pattern("#,##0.00")


@functools.cache
def _locale(language: str) -> Locale:
    """The Babel locale of a language, made once: Babel makes a new one from a name on every
    call and loads its data again (a page formats a hundred amounts and dates)."""
    return Locale.parse(language)


def _language(language: str | None) -> str:
    return language or current_language.get()


def number(value: Number | None, language: str | None = None) -> str:
    """A quantity or other plain number: `1`, `1,5`, `1 234,5`."""
    if value is None or value == "":
        return EMPTY
    return format_decimal(Decimal(str(value)), locale=_locale(_language(language)))


def money(value: Number | None, language: str | None = None) -> str:
    """An amount in roubles with kopecks: `1 200,00 ₽` (`1,200.00 ₽` in English)."""
    if value is None or value == "":
        return EMPTY
    amount = format_decimal(
        Decimal(str(value)), format=MONEY_PATTERN, locale=_locale(_language(language))
    )
    return f"{amount}\u00a0₽"


def local(value: dt.datetime) -> dt.datetime:
    """A timestamp in the center's time zone (naive ones are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(clock.zone())


def date(value: dt.date | dt.datetime | str | None, language: str | None = None) -> str:
    """A day, always with its year: `02.12.2026` / `Dec 2, 2026` (also of an ISO string, as
    custom fields keep their dates; anything else is shown as it is)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return date(day, language)
    if isinstance(value, dt.datetime):
        value = local(value).date()
    lang = _language(language)
    return format_date(value, format=DATE_STYLE.get(lang, "medium"), locale=_locale(lang))


def time(
    value: dt.datetime | dt.time | None, language: str | None = None, seconds: bool = False
) -> str:
    """A time of day: `14:05` / `2:05 PM` (`14:05:07` with seconds, for logs)."""
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        value = local(value).timetz()
    style = "medium" if seconds else "short"
    return format_time(value, format=style, locale=_locale(_language(language)))


def datetime(value: dt.datetime | None, language: str | None = None, seconds: bool = False) -> str:
    """A moment in the center's zone: `02.12.2026 14:05` / `Dec 2, 2026 2:05 PM`."""
    if value is None:
        return EMPTY
    return f"{date(value, language)} {time(value, language, seconds)}"
