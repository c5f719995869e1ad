"""Document data: what the server passes in to print an order's documents.

Every amount is a `Decimal` (never a float). Datetimes are printed as given: the caller passes
them already converted to the service center's time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import msgspec

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Round an amount to kopecks, half up (the way a cash register rounds)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class LineKind(StrEnum):
    """What an order line sells."""

    SERVICE = "service"
    GOOD = "good"
    PART = "part"

    @property
    def label(self) -> str:
        """Russian label for documents."""
        return {"service": "Работа", "good": "Товар", "part": "Запчасть"}[self.value]


class BankDetails(msgspec.Struct, kw_only=True, frozen=True):
    """A settlement account: what a payer needs to pay an invoice."""

    bank_name: str
    bik: str
    account: str
    corr_account: str


class ServiceCenter(msgspec.Struct, kw_only=True, frozen=True):
    """The service center (the seller / contractor) as printed on every document."""

    name: str
    legal_name: str = ""
    inn: str = ""
    kpp: str = ""
    ogrn: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    bank: BankDetails | None = None
    director: str = ""
    accountant: str = ""
    vat_rate: Decimal | None = None
    """VAT rate in percent included in prices, e.g. Decimal(20); None means «Без НДС»."""


class Client(msgspec.Struct, kw_only=True, frozen=True):
    """The customer: a person («Иванов Иван Иванович») or a company («ООО «Ромашка»»)."""

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    is_company: bool = False
    inn: str = ""
    kpp: str = ""

    @property
    def short_name(self) -> str:
        """Short name for labels: «Иванов И.» for a person, the name itself for a company."""
        if self.is_company:
            return self.name
        parts = self.name.split()
        if len(parts) < 2:
            return self.name
        return f"{parts[0]} {parts[1][0]}."


class Device(msgspec.Struct, kw_only=True, frozen=True):
    """The device taken in for repair."""

    kind: str
    brand: str = ""
    model: str = ""
    serial: str = ""

    @property
    def title(self) -> str:
        """Kind, brand and model in one line: «Ноутбук ASUS X515EA»."""
        return " ".join(part for part in (self.kind, self.brand, self.model) if part)


class OrderLine(msgspec.Struct, kw_only=True, frozen=True):
    """One line of an order: a service done, a good sold or a part installed."""

    kind: LineKind
    name: str
    qty: Decimal
    unit_price: Decimal
    discount: Decimal = ZERO
    """Discount on the whole line, in rubles."""
    unit: str = "шт."
    warranty_days: int = 0

    @property
    def amount(self) -> Decimal:
        """Quantity times price, before the line discount."""
        return cents(self.qty * self.unit_price)

    @property
    def total(self) -> Decimal:
        """Line amount after the line discount."""
        return cents(self.amount - self.discount)


class OrderDocumentData(msgspec.Struct, kw_only=True, frozen=True):
    """Everything any order document prints; one value serves every kind."""

    center: ServiceCenter
    number: str
    public_code: str
    status_url: str
    """Public status page with number and code filled in; encoded in the receipt's QR code."""
    created_at: datetime
    client: Client
    device: Device
    order_type: str = ""
    declared_fault: str = ""
    appearance: str = ""
    accessories: str = ""
    estimated_cost: Decimal | None = None
    estimated_date: date | None = None
    prepayment: Decimal = ZERO
    paid: Decimal = ZERO
    """Everything paid so far, prepayment included."""
    lines: list[OrderLine] = msgspec.field(default_factory=list)
    discount: Decimal = ZERO
    """Order-level discount in rubles, on top of line discounts."""
    completed_at: datetime | None = None
    issued_at: datetime | None = None
    receiver: str = ""
    master: str = ""
    conclusion: str = ""
    """What was found and done, in the master's words (work and handover acts)."""
    terms: str = ""
    """Intake terms printed on the receipt; empty means the built-in default text."""
    warranty_terms: str = ""
    """Warranty terms printed on acts; empty means the built-in default text."""
    invoice_number: str = ""
    invoice_date: date | None = None
    invoice_due_date: date | None = None

    @property
    def subtotal(self) -> Decimal:
        """Sum of line totals (line discounts already applied)."""
        return cents(sum((line.total for line in self.lines), ZERO))

    @property
    def total_discount(self) -> Decimal:
        """Line discounts plus the order-level discount."""
        return cents(sum((line.discount for line in self.lines), ZERO) + self.discount)

    @property
    def total(self) -> Decimal:
        """Amount to pay for the order after every discount."""
        return cents(self.subtotal - self.discount)

    @property
    def amount_due(self) -> Decimal:
        """What is still to be paid (never negative)."""
        return max(cents(self.total - self.paid), ZERO)

    @property
    def vat_amount(self) -> Decimal | None:
        """VAT included in the total, or None when the center works without VAT."""
        rate = self.center.vat_rate
        if rate is None:
            return None
        return cents(self.total * rate / (Decimal(100) + rate))
