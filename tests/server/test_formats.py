"""One money, number and date format per language, in the center's time zone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from server import formats

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("ru", Decimal("1200"), f"1{NBSP}200,00{NBSP}₽"),
        ("ru", "1234567.5", f"1{NBSP}234{NBSP}567,50{NBSP}₽"),
        ("en", Decimal("1200"), f"1,200.00{NBSP}₽"),
        ("ru", 0, f"0,00{NBSP}₽"),
    ],
)
def test_money_has_kopecks_grouped_digits_and_the_rouble_sign(
    language: str, amount: object, shown: str
) -> None:
    assert formats.money(amount, language) == shown  # type: ignore[arg-type]


def test_quantities_drop_trailing_zeros() -> None:
    assert formats.number(Decimal("1.000"), "ru") == "1"
    assert formats.number(Decimal("1.500"), "ru") == "1,5"
    assert formats.number(Decimal("1.500"), "en") == "1.5"


def test_dates_always_carry_the_year_and_moments_show_in_the_centers_zone() -> None:
    late_evening_utc = dt.datetime(2026, 12, 2, 22, 5, tzinfo=dt.UTC)  # 3 December in Moscow
    assert formats.date(late_evening_utc, "ru") == "03.12.2026"
    assert formats.date(late_evening_utc, "en") == "Dec 3, 2026"
    assert formats.datetime(late_evening_utc, "ru") == "03.12.2026 01:05"
    in_english = formats.datetime(late_evening_utc, "en")
    assert in_english.startswith("Dec 3, 2026 1:05") and in_english.endswith("AM")
    assert formats.date(None) == formats.EMPTY


def test_a_day_kept_as_text_is_shown_like_any_other() -> None:
    assert formats.date("2026-11-23", "ru") == "23.11.2026"
    assert formats.date("not a day", "ru") == "not a day"
