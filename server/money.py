"""Money: Decimal rounded half-up to kopecks, everywhere (as cash registers do)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """Round to kopecks, half up."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)
