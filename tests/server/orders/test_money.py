"""Money math: line totals, client discount, rounding half-up to kopecks, amount due."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from server.money import round_money
from server.orders.money import line_total, order_totals


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("1.2", "1.20")],
)
def test_rounding_is_half_up_to_kopecks(value: str, rounded: str) -> None:
    assert round_money(D(value)) == D(rounded)


def test_line_total_with_quantity_and_line_discount() -> None:
    assert line_total(D("3"), D("333.33"), D("0")) == D("999.99")
    assert line_total(D("1.5"), D("100.00"), D("10")) == D("135.00")
    assert line_total(D("0.333"), D("10.00"), D("0")) == D("3.33")
    assert line_total(D("1"), D("0.01"), D("50")) == D("0.01")  # 0.005 rounds up


def test_order_totals_with_client_discount_and_payments() -> None:
    totals = order_totals([D("1000.00"), D("333.33")], D("7.5"), D("500"))
    assert totals.subtotal == D("1333.33")
    assert totals.discount_amount == D("100.00")  # 99.99975 -> 100.00
    assert totals.total == D("1233.33")
    assert totals.amount_due == D("733.33")


def test_overpayment_never_makes_the_amount_due_negative() -> None:
    totals = order_totals([D("100")], D("0"), D("150"))
    assert totals.amount_due == D("0.00")
    assert totals.paid == D("150.00")
