"""Normalising and checking client input; every error names its field."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from server.errors import InvalidInput
from server.money import round_money
from server.phones import e164

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def text(value: str, field: str, *, required: bool = False) -> str:
    """Text without surrounding spaces and NUL characters; empty refused when required."""
    if "\x00" in value:
        raise InvalidInput("The text holds a character that cannot be stored", field=field)
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput("This field is required", field=field)
    return cleaned


def phone(value: str, field: str = "phones") -> str:
    """A phone in E.164 form (+7...); Russian numbers may be typed without the country code."""
    return e164(text(value, field), field)


def maybe_phone(value: str) -> str | None:
    """The E.164 form of a phone, or None when it is not one (for look-ups)."""
    try:
        return phone(value) if value.strip() else None
    except InvalidInput:
        return None


def email(value: str, field: str = "emails") -> str:
    """A lower-cased email address."""
    cleaned = text(value, field).lower()
    if not EMAIL_RE.match(cleaned):
        raise InvalidInput("Enter an email like name@example.ru", field=field)
    return cleaned


def _digits(value: str, field: str) -> str:
    cleaned = text(value, field).replace(" ", "")
    if cleaned and not cleaned.isdigit():
        raise InvalidInput("Only digits, please", field=field)
    return cleaned


def _checksum(digits: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn(value: str) -> str:
    """An INN: 10 digits (organisation) or 12 (person, entrepreneur) with valid check digits."""
    digits = _digits(value, "inn")
    if not digits:
        return ""
    if len(digits) == 10:
        valid = _checksum(digits, _INN10) == int(digits[9])
    elif len(digits) == 12:
        valid = _checksum(digits, _INN11) == int(digits[10]) and _checksum(digits, _INN12) == int(
            digits[11]
        )
    else:
        raise InvalidInput("An INN has 10 or 12 digits", field="inn")
    if not valid:
        raise InvalidInput("The INN has a wrong check digit; check for a typo", field="inn")
    return digits


def kpp(value: str) -> str:
    """A KPP: 9 characters."""
    cleaned = text(value, "kpp").replace(" ", "").upper()
    if cleaned and not KPP_RE.match(cleaned):
        raise InvalidInput("A KPP has 9 digits", field="kpp")
    return cleaned


def ogrn(value: str) -> str:
    """An OGRN (13 digits) or OGRNIP (15 digits) with a valid check digit."""
    digits = _digits(value, "ogrn")
    if not digits:
        return ""
    if len(digits) not in (13, 15):
        raise InvalidInput("An OGRN has 13 digits, an OGRNIP 15", field="ogrn")
    divisor = 11 if len(digits) == 13 else 13
    if int(digits[:-1]) % divisor % 10 != int(digits[-1]):
        raise InvalidInput("The OGRN has a wrong check digit; check for a typo", field="ogrn")
    return digits


def bik(value: str) -> str:
    """A bank's BIK: 9 digits."""
    digits = _digits(value, "bik")
    if digits and len(digits) != 9:
        raise InvalidInput("A BIK has 9 digits", field="bik")
    return digits


def account(value: str, field: str) -> str:
    """A bank account number: 20 digits."""
    digits = _digits(value, field)
    if digits and len(digits) != 20:
        raise InvalidInput("An account number has 20 digits", field=field)
    return digits


def account_matches_bik(bik_value: str, number: str, field: str) -> None:
    """The control key of a settlement (or correspondent) account against the bank's BIK."""
    if not bik_value or not number:
        return
    prefix = bik_value[-3:] if field == "bank_account" else "0" + bik_value[4:6]
    if sum(int(d) * w for d, w in zip(prefix + number, _ACCOUNT_WEIGHTS, strict=False)) % 10:
        raise InvalidInput("The account number does not match the BIK; check both", field=field)


def percent(value: Decimal, field: str = "discount_percent") -> Decimal:
    """A percentage from 0 to 100 with at most two decimals."""
    if not value.is_finite() or value < 0 or value > 100:
        raise InvalidInput("Enter a percentage from 0 to 100", field=field)
    return round_money(value)


def money(value: Decimal, field: str) -> Decimal:
    """A non-negative amount of money that fits numeric(12,2)."""
    if not value.is_finite() or value < 0 or value >= Decimal(10) ** 10:
        raise InvalidInput("Enter an amount from 0 to 9 999 999 999", field=field)
    try:
        return round_money(value)
    except InvalidOperation:
        raise InvalidInput("Enter an amount from 0 to 9 999 999 999", field=field) from None


def coordinate(value: float | None, limit: float, field: str) -> float | None:
    """A latitude (limit 90) or longitude (limit 180), or None."""
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > limit:
        raise InvalidInput("Coordinates out of range", field=field)
    return value


def tags(values: Iterable[str]) -> list[str]:
    """Tags without blanks and duplicates (case-insensitive), in the given order."""
    seen: list[str] = []
    for raw in values:
        cleaned = text(raw, "tags")
        if cleaned and cleaned.casefold() not in {s.casefold() for s in seen}:
            seen.append(cleaned)
    return seen
