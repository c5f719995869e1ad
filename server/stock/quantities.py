"""Checking quantities and costs as people type them: a wrong one is named by its field."""

from __future__ import annotations

from decimal import Decimal

from server.errors import InvalidInput
from server.money import MAX_MONEY
from server.stock.choices import WHOLE_UNITS

MAX_QUANTITY = Decimal("999999999")
QUANTUM = Decimal("0.001")
CENT = Decimal("0.01")


def whole_unit(unit: str) -> bool:
    """True when the unit is counted in whole pieces."""
    return unit.strip().lower() in WHOLE_UNITS


def quantity(
    value: Decimal | None, *, whole: bool, field: str, zero: bool = False, negative: bool = False
) -> Decimal:
    """A checked quantity: finite, at most three decimals, whole where the unit says so."""
    if value is None:
        raise InvalidInput("This field is required", field=field)
    if not value.is_finite() or abs(value) > MAX_QUANTITY:
        raise InvalidInput("Enter a quantity up to {max}", field=field, max=str(MAX_QUANTITY))
    if value < 0 and not negative:
        raise InvalidInput("A quantity cannot be negative", field=field)
    if value == 0 and not zero:
        raise InvalidInput("A quantity must be more than zero", field=field)
    if value != value.quantize(QUANTUM):
        raise InvalidInput("At most three decimal places", field=field)
    if whole and value != value.to_integral_value():
        raise InvalidInput("This item is counted in whole units", field=field)
    return value.quantize(QUANTUM)


def money(value: Decimal | None, *, field: str) -> Decimal:
    """A checked amount of roubles: finite, not negative, kopecks at most."""
    if value is None:
        raise InvalidInput("This field is required", field=field)
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        raise InvalidInput("Enter an amount from 0 to {max}", field=field, max=str(MAX_MONEY))
    if value != value.quantize(CENT):
        raise InvalidInput("At most two decimal places", field=field)
    return value.quantize(CENT)
