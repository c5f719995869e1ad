"""Unique values planted in the data, who owns them, and how each may be rendered.

A marker is a value that appears in exactly one place of the seeded data (or, when two fields
hold the same value, in each of them): a word, an amount, a day, a code. It belongs to owners:
(object, field) pairs, where the field is one of the field catalogue or None for what
identifies the object (its number, its name). A viewer may see the marker when at least one
owner is an object in their scope with a field they may read; otherwise it is forbidden, and
finding it in any answer is a leak.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from printforms.money import amount_in_words

# How a catalogue field gets its marker. A field missing here fails the matrix: a new
# field must say how it is planted before it is covered.
WORD = "word"  # a unique lowercase word in the field's text (searchable)
MONEY = "money"  # a unique amount (the field's value as the server computed it)
DAY = "day"  # a unique day
PERCENT = "percent"  # a unique percentage
DIGITS = "digits"  # a unique code of digits
CODE = "code"  # an order number or public code (what identifies a record, never hidden)
KEY = "key"  # not markable as text: the key must be absent from the entity's JSON objects

FIELD_MARKERS: dict[str, str] = {
    "order.priority": KEY,
    "order.client": KEY,
    "order.device": KEY,
    "order.declared_fault": WORD,
    "order.appearance": WORD,
    "order.accessories": WORD,
    "order.estimated_cost": MONEY,
    "order.due_at": DAY,
    "order.prepayment": MONEY,
    "order.technician_id": KEY,
    "order.manager_id": KEY,
    "order.expert_id": KEY,
    "order.service_center_id": KEY,
    "order.discount_percent": PERCENT,
    "order.subtotal": MONEY,
    "order.discount_amount": MONEY,
    "order.total": MONEY,
    "order.paid": MONEY,
    "order.amount_due": MONEY,
    "order.custom": WORD,
    "order_line.unit_price": MONEY,
    "order_line.total": MONEY,
    "order_line.list_price": MONEY,
    "order_line.price_reason": WORD,
    "order_line.purchase_price": MONEY,
    "client.legal_name": WORD,
    "client.inn": DIGITS,
    "client.kpp": DIGITS,
    "client.ogrn": DIGITS,
    "client.legal_address": WORD,
    "client.bank_name": WORD,
    "client.bik": DIGITS,
    "client.bank_account": DIGITS,
    "client.corr_account": DIGITS,
    "client.tags": WORD,
    "client.source": WORD,
    "client.comment": WORD,
    "client.discount_percent": PERCENT,
    "client.custom": WORD,
    "finance.income": KEY,
    "finance.expenses": KEY,
    "expense.day": KEY,
}

MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_SPACE = "[\\s\u00a0\u202f]?"


@dataclass(frozen=True)
class Owner:
    """One holder of a marker: a seeded object and the catalogue field (None: its identity)."""

    obj: str
    field: str | None = None


@dataclass
class Marker:
    """A planted value, how to find it in text, and its owners."""

    kind: str
    value: str
    pattern: str
    label: str
    owners: list[Owner] = field(default_factory=list)

    def describe(self) -> str:
        """What the marker is, for a leak report."""
        return f"{self.label} = {self.value!r}"


def word_pattern(word: str) -> str:
    """A word anywhere (also glued to other text: a PDF may drop the spaces around it)."""
    return re.escape(word)


def money_pattern(amount: Decimal) -> str:
    """An amount as 73519.47, 73519,47, 73 519,47 (any space, NBSP or NNBSP between groups),
    or in words as on an invoice."""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    head = len(units) % 3 or 3
    groups.append(units[:head])
    groups += [units[i : i + 3] for i in range(head, len(units), 3)]
    body = _SPACE.join(groups)
    words = re.escape(amount_in_words(abs(amount))).replace("\\ ", "\\s+")
    return f"(?<![\\d.,]){body}[.,]{cents}(?!\\d)|(?i:{words})"


def percent_pattern(value: Decimal) -> str:
    """A percentage as 11.37 or 11,37 (not inside a longer number)."""
    units, cents = f"{value:.2f}".split(".")
    return f"(?<![\\d.,]){units}[.,]{cents}(?!\\d)"


def day_pattern(day: dt.date) -> str:
    """A day as 2031-03-17, 17.03.2031, 17.03.31, 17 марта 2031."""
    forms = [
        day.isoformat(),
        re.escape(f"{day:%d.%m.%Y}"),
        re.escape(f"{day:%d.%m.%y}") + "(?!\\d)",
        f"0?{day.day} {MONTHS_RU[day.month - 1]} {day.year}",
        f"{day:%Y%m%d}",
    ]
    return "(?<!\\d)(?:" + "|".join(forms) + ")"


def digits_pattern(digits: str) -> str:
    """A code of digits, whole (not part of a longer number)."""
    return f"(?<!\\d){re.escape(digits)}(?!\\d)"


def phone_pattern(digits: str) -> str:
    """The ten digits of a phone after +7/8, with any separators between them."""
    body = "[\\s\u00a0()\\-]{0,2}".join(digits)
    return f"(?<!\\d){body}(?!\\d)"


def code_pattern(code: str) -> str:
    """A code such as an order number or public code, not inside a longer token."""
    return f"(?<![0-9A-Za-z]){re.escape(code)}(?![0-9A-Za-z])"


def _cents(n: int) -> str:
    """Two digits that never end in 0 (a float would drop it: 12.30 -> 12.3)."""
    return f"{n % 9 + 1}{n % 7 + 2}"


class Factory:
    """Unique words, amounts, days and codes for one seeded world."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._days = itertools.count(0)
        self._amounts = itertools.count(0)

    def word(self, tag: str) -> str:
        """A unique lowercase ascii word: zq<tag><5 digits>x (no word is part of another)."""
        assert tag.isalpha() and tag.islower() and "zq" not in tag
        return f"zq{tag}{next(self._counter):05d}x"

    def amount(self) -> Decimal:
        """A unique amount with odd cents, 5 digits before the point."""
        n = next(self._amounts)
        return Decimal(f"{31017 + n * 1373}.{_cents(n * 37 + 13)}")

    def small_amount(self) -> Decimal:
        """A unique amount of four digits (prepayments and payments stay below the totals)."""
        n = next(self._amounts)
        return Decimal(f"{1013 + n * 97}.{_cents(n * 41 + 17)}")

    def day(self) -> dt.date:
        """A unique day far in the future, never today and never another marker's."""
        n = next(self._days)
        return dt.date(2031 + n // 11, 1 + n % 11, 3 + (n * 7) % 24)

    def percent(self) -> Decimal:
        """A unique discount percentage; its cents are never 01-12, so it cannot be read in a
        date such as 14.12.2026 (a day's cells on a calendar)."""
        n = next(self._counter)
        return Decimal(f"{11 + n % 17}.{(n * 13) % 80 + 13}")

    def digits(self, length: int) -> str:
        """A unique run of digits."""
        n = next(self._counter)
        return f"7{n:0{length - 1}d}"[-length:].rjust(length, "7")


# Valid Russian codes (the clients API checks their control digits).
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def valid_inn(seed: int) -> str:
    """A 10-digit organisation INN with a right check digit."""
    head = f"77{seed:07d}"
    check = sum(int(d) * w for d, w in zip(head, _INN10, strict=True)) % 11 % 10
    return head + str(check)


def valid_ogrn(seed: int) -> str:
    """A 13-digit OGRN with a right check digit."""
    head = f"10277{seed:07d}"
    return head + str(int(head) % 11 % 10)


def valid_account(bik: str, seed: int, *, correspondent: bool) -> str:
    """A 20-digit account whose control key matches the bank's BIK."""
    prefix = "0" + bik[4:6] if correspondent else bik[-3:]
    start = "30101810" if correspondent else "40702810"
    for key in range(10):
        number = f"{start}{key}{seed:011d}"
        total = sum(int(d) * w for d, w in zip(prefix + number, _ACCOUNT_WEIGHTS, strict=False))
        if total % 10 == 0:
            return number
    raise AssertionError("no control key fits")
