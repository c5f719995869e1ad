"""Money as Russian documents print it: «1 200,50» and «Одна тысяча двести рублей 50 копеек»."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from printforms.model import cents

NBSP = "\u00a0"
RUBLE_FORMS = ("рубль", "рубля", "рублей")
KOPECK_FORMS = ("копейка", "копейки", "копеек")


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """Pick the Russian plural form for n: (1 рубль, 2 рубля, 5 рублей)."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if 2 <= n % 10 <= 4:
        return forms[1]
    return forms[2]


def format_money(amount: Decimal) -> str:
    """Format an amount with a non-breaking space between thousands and a comma: «1 200,50»."""
    text = f"{cents(amount):,.2f}"
    return text.replace(",", NBSP).replace(".", ",")


def format_qty(qty: Decimal) -> str:
    """Format a quantity without trailing zeros: «1», «2,5»."""
    text = f"{qty.normalize():f}" if qty == qty.to_integral_value() else f"{qty:f}".rstrip("0")
    return text.replace(".", ",")


def split_rubles(amount: Decimal) -> tuple[int, int]:
    """Split a non-negative amount into whole rubles and kopecks."""
    value = cents(amount)
    if value < 0:
        raise ValueError(f"amount must not be negative: {amount}")
    rubles = int(value)
    return rubles, int((value - rubles) * 100)


def amount_in_words(amount: Decimal) -> str:
    """Spell an amount in Russian: «Одна тысяча двести рублей 50 копеек»."""
    rubles, kopecks = split_rubles(amount)
    words = num2words(rubles, lang="ru")
    text = f"{words} {plural(rubles, RUBLE_FORMS)} {kopecks:02d} {plural(kopecks, KOPECK_FORMS)}"
    return text[:1].upper() + text[1:]
