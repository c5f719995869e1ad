"""Fixture orders for print form tests: the sample repair and a company with VAT."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec
import pytest

from printforms import Client, LineKind, OrderDocumentData, OrderLine, sample_order

TODAY = date(2025, 3, 11)


@pytest.fixture(scope="session")
def order() -> OrderDocumentData:
    """The sample laptop repair: 4 lines, line and order discounts, 1 000 prepaid."""
    return sample_order()


@pytest.fixture(scope="session")
def company_order() -> OrderDocumentData:
    """A company with VAT 20 % and nothing paid yet: what an invoice is for."""
    base = sample_order()
    center = msgspec.structs.replace(base.center, vat_rate=Decimal(20))
    client = Client(
        name="ООО «Ромашка»",
        phone="+7 495 765-43-21",
        address="117105, г. Москва, Варшавское ш., д. 1, стр. 2",
        is_company=True,
        inn="7728123450",
        kpp="772801001",
    )
    lines = [
        OrderLine(
            kind=LineKind.SERVICE,
            name="Ремонт МФУ: замена узла термозакрепления",
            qty=Decimal(1),
            unit_price=Decimal("3500.00"),
            unit="усл.",
            warranty_days=60,
        ),
        OrderLine(
            kind=LineKind.PART,
            name="Узел термозакрепления RM2-5425",
            qty=Decimal(1),
            unit_price=Decimal("8899.99"),
            warranty_days=90,
        ),
        OrderLine(
            kind=LineKind.GOOD,
            name="Бумага офисная А4, пачка 500 л.",
            qty=Decimal(3),
            unit_price=Decimal("425.00"),
        ),
    ]
    return msgspec.structs.replace(
        base,
        center=center,
        client=client,
        number="B-004521",
        public_code="Z9X8C7",
        status_url="https://remont-profi.ru/status?number=B-004521&code=Z9X8C7",
        lines=lines,
        discount=Decimal("0.00"),
        prepayment=Decimal("0.00"),
        paid=Decimal("0.00"),
        invoice_number="С-77",
    )
