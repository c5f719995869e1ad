"""Money: Decimal rounded half-up to kopecks, everywhere (as cash registers do)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_MONEY = Decimal("9999999999.99")


def round_money(value: Decimal) -> Decimal:
    """Round to kopecks, half up."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def checked(
    value: Decimal,
    field: str,
    *,
    low: Decimal = ZERO,
    high: Decimal = MAX_MONEY,
    above_low: bool = False,
) -> Decimal:
    """A finite number within bounds, or an error naming the field."""
    from server.errors import InvalidInput

    if not value.is_finite():
        raise InvalidInput("Enter a number", field=field)
    if value < low or (above_low and value == low):
        raise InvalidInput("Too small", field=field)
    if value > high:
        raise InvalidInput("Too large", field=field)
    return value
