"""Money of an order, computed with Decimal and rounded half-up to kopecks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from server.money import round_money

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def line_total(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """quantity × price, less the line discount, rounded to kopecks."""
    gross = quantity * unit_price
    return round_money(gross - gross * discount_percent / HUNDRED)


@dataclass(frozen=True)
class Totals:
    """What an order costs and what is still to pay."""

    subtotal: Decimal
    discount_amount: Decimal
    total: Decimal
    paid: Decimal
    amount_due: Decimal


def order_totals(
    line_totals: Iterable[Decimal], client_discount_percent: Decimal, paid: Decimal
) -> Totals:
    """Sum of lines, the client discount on that sum, the total and the amount due (never < 0)."""
    subtotal = round_money(sum(line_totals, ZERO))
    discount = round_money(subtotal * client_discount_percent / HUNDRED)
    total = subtotal - discount
    paid = round_money(paid)
    return Totals(subtotal, discount, total, paid, max(total - paid, ZERO))
