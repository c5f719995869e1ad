"""Order totals, discounts, VAT and names as documents print them."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from printforms import Client, Device, LineKind, OrderDocumentData, OrderLine


def test_sample_totals(order: OrderDocumentData) -> None:
    assert order.subtotal == Decimal("5600.50")
    assert order.total_discount == Decimal("290.00")
    assert order.total == Decimal("5400.50")
    assert order.amount_due == Decimal("4400.50")
    assert order.vat_amount is None


def test_vat_is_included_in_the_total(company_order: OrderDocumentData) -> None:
    assert company_order.total == Decimal("13674.99")
    assert company_order.vat_amount == Decimal("2279.17")


def test_line_total_rounds_half_up_to_kopecks() -> None:
    line = OrderLine(
        kind=LineKind.GOOD, name="Кабель", qty=Decimal("0.333"), unit_price=Decimal("100.05")
    )
    assert line.amount == Decimal("33.32")  # 33.31665
    assert line.total == Decimal("33.32")


def test_short_names() -> None:
    assert Client(name="Иванов Иван Иванович").short_name == "Иванов И."
    assert Client(name="Петрова Анна").short_name == "Петрова А."
    assert Client(name="Мадонна").short_name == "Мадонна"
    assert Client(name="ООО «Ромашка»", is_company=True).short_name == "ООО «Ромашка»"


def test_device_title_skips_empty_parts() -> None:
    assert (
        Device(kind="Телефон", brand="Apple", model="iPhone 12").title == "Телефон Apple iPhone 12"
    )
    assert Device(kind="Телевизор").title == "Телевизор"


def test_order_data_round_trips_through_json(order: OrderDocumentData) -> None:
    """The server can pass document data as JSON (msgspec): Decimals and dates survive."""
    raw = msgspec.json.encode(order)
    assert msgspec.json.decode(raw, type=OrderDocumentData) == order
