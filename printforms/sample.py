"""A believable sample order: example values for the variable catalogue and template previews."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from printforms.model import (
    BankDetails,
    Client,
    Device,
    LineKind,
    OrderDocumentData,
    OrderLine,
    ServiceCenter,
)

SAMPLE_CENTER = ServiceCenter(
    name="Сервисный центр «Ремонт-Профи»",
    legal_name="ООО «Ремонт-Профи»",
    inn="7701234567",
    kpp="770101001",
    ogrn="1157746123456",
    address="125009, г. Москва, ул. Тверская, д. 12, стр. 1, офис 4",
    phone="+7 495 123-45-67",
    email="info@remont-profi.ru",
    website="remont-profi.ru",
    bank=BankDetails(
        bank_name="ПАО Сбербанк, г. Москва",
        bik="044525225",
        account="40702810938000012345",
        corr_account="30101810400000000225",
    ),
    director="Соколов А. В.",
    accountant="Петрова Н. С.",
)


def sample_order() -> OrderDocumentData:
    """A repaired laptop with services, a part and a discount; every field filled in."""
    return OrderDocumentData(
        center=SAMPLE_CENTER,
        number="A-000123",
        public_code="K7P4Q2",
        status_url="https://remont-profi.ru/status?number=A-000123&code=K7P4Q2",
        created_at=datetime(2025, 3, 5, 14, 7),
        client=Client(
            name="Иванов Иван Иванович",
            phone="+7 916 555-12-34",
            email="ivanov@example.ru",
            address="г. Москва, ул. Ленина, д. 5, кв. 17",
        ),
        device=Device(kind="Ноутбук", brand="ASUS", model="VivoBook X515EA", serial="M1N0CV12345"),
        order_type="Платный ремонт",
        declared_fault="Не включается, после включения пищит и гаснет экран",
        appearance="Потёртости на крышке, скол на правом нижнем углу корпуса",
        accessories="Блок питания, сумка",
        estimated_cost=Decimal("4500.00"),
        estimated_date=date(2025, 3, 12),
        prepayment=Decimal("1000.00"),
        paid=Decimal("1000.00"),
        lines=[
            OrderLine(
                kind=LineKind.SERVICE,
                name="Диагностика",
                qty=Decimal(1),
                unit_price=Decimal("500.00"),
                unit="усл.",
                warranty_days=0,
            ),
            OrderLine(
                kind=LineKind.SERVICE,
                name="Замена модуля оперативной памяти",
                qty=Decimal(1),
                unit_price=Decimal("1200.00"),
                unit="усл.",
                warranty_days=90,
            ),
            OrderLine(
                kind=LineKind.PART,
                name="Модуль памяти SO-DIMM DDR4 8 ГБ 3200 МГц",
                qty=Decimal(1),
                unit_price=Decimal("2490.50"),
                discount=Decimal("90.00"),
                warranty_days=180,
            ),
            OrderLine(
                kind=LineKind.SERVICE,
                name="Чистка системы охлаждения с заменой термопасты",
                qty=Decimal(1),
                unit_price=Decimal("1500.00"),
                unit="усл.",
                warranty_days=30,
            ),
        ],
        discount=Decimal("200.00"),
        completed_at=datetime(2025, 3, 10, 11, 30),
        issued_at=datetime(2025, 3, 11, 17, 45),
        receiver="Смирнова О. П.",
        master="Кузнецов Д. А.",
        conclusion=(
            "Неисправен модуль оперативной памяти. Модуль заменён, выполнена чистка системы "
            "охлаждения. Изделие исправно, проверено под нагрузкой 2 часа."
        ),
        invoice_number="С-45",
        invoice_date=date(2025, 3, 10),
        invoice_due_date=date(2025, 3, 15),
    )
