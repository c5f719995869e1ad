"""Amounts in words and money formatting, on the numbers where Russian grammar bites."""

from __future__ import annotations

from decimal import Decimal

import pytest

from printforms.money import amount_in_words, format_money, format_qty, plural


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Ноль рублей 00 копеек"),
        ("1", "Один рубль 00 копеек"),
        ("2", "Два рубля 00 копеек"),
        ("4", "Четыре рубля 00 копеек"),
        ("5", "Пять рублей 00 копеек"),
        ("11", "Одиннадцать рублей 00 копеек"),
        ("12", "Двенадцать рублей 00 копеек"),
        ("14", "Четырнадцать рублей 00 копеек"),
        ("21", "Двадцать один рубль 00 копеек"),
        ("22", "Двадцать два рубля 00 копеек"),
        ("101", "Сто один рубль 00 копеек"),
        ("111", "Сто одиннадцать рублей 00 копеек"),
        ("1000", "Одна тысяча рублей 00 копеек"),
        ("2000", "Две тысячи рублей 00 копеек"),
        ("21000", "Двадцать одна тысяча рублей 00 копеек"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("0.02", "Ноль рублей 02 копейки"),
        ("0.11", "Ноль рублей 11 копеек"),
        ("0.21", "Ноль рублей 21 копейка"),
        ("0.50", "Ноль рублей 50 копеек"),
        ("1200.50", "Одна тысяча двести рублей 50 копеек"),
        ("5400.50", "Пять тысяч четыреста рублей 50 копеек"),
        ("2000000.02", "Два миллиона рублей 02 копейки"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_rounds_to_kopecks_half_up() -> None:
    assert amount_in_words(Decimal("3.145")) == "Три рубля 15 копеек"
    assert amount_in_words(Decimal("0.999")) == "Один рубль 00 копеек"


def test_amount_in_words_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError, match="negative"):
        amount_in_words(Decimal("-1"))


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "рубль"),
        (2, "рубля"),
        (5, "рублей"),
        (11, "рублей"),
        (12, "рублей"),
        (21, "рубль"),
        (104, "рубля"),
        (111, "рублей"),
        (1001, "рубль"),
        (0, "рублей"),
    ],
)
def test_plural(n: int, form: str) -> None:
    assert plural(n, ("рубль", "рубля", "рублей")) == form


def test_format_money_groups_thousands_with_nbsp_and_uses_comma() -> None:
    assert format_money(Decimal("1234567.8")) == "1\u00a0234\u00a0567,80"
    assert format_money(Decimal("0")) == "0,00"
    assert format_money(Decimal("999.995")) == "1\u00a0000,00"


def test_format_qty_drops_trailing_zeros() -> None:
    assert format_qty(Decimal("1.000")) == "1"
    assert format_qty(Decimal("2.50")) == "2,5"
    assert format_qty(Decimal("10")) == "10"
