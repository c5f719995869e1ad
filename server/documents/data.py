"""An order as printforms prints it, read through the order and client services.

Scoping and field access come from OrderService: an order out of scope is 404 and a field
hidden from the caller is left out of the document (amounts hidden: no lines, no totals).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
import phonenumbers

import printforms
from server.actor import Actor
from server.config import get_settings
from server.documents.center import center_row, service_center
from server.errors import DomainError, Forbidden
from server.fieldaccess import hidden_fields
from server.orders.schemas import OrderOut
from server.orders.services import OrderService

AMOUNT_FIELDS = frozenset({"subtotal", "discount_amount", "total", "paid", "amount_due"})
# Kinds whose built-in layout is mostly amounts: refused when the caller may not see them.
AMOUNT_KINDS = frozenset({"handover-act", "work-act", "invoice"})
ZERO = Decimal("0.00")


def zone() -> ZoneInfo:
    """The center's time zone."""
    return ZoneInfo(get_settings().timezone)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time in the center's time zone."""
    return value.astimezone(zone()) if value is not None else None


def shown(value: Any, default: Any = None) -> Any:
    """The value, or a default for a field hidden from the caller."""
    return default if value is msgspec.UNSET or value is None else value


def status_url(base_url: str, number: str, code: str) -> str:
    """The customer's status page with the number and code filled in (the receipt's QR)."""
    query = {"number": number, "code": code} if code else {"number": number}
    return f"{base_url.rstrip('/')}/status?{urlencode(query)}"


def readable_phone(number: str) -> str:
    """+79161234567 as +7 916 123-45-67."""
    try:
        parsed = phonenumbers.parse(number, "RU")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _primary(items: Any, key: str) -> str:
    if not isinstance(items, list) or not items:
        return ""
    chosen = next((i for i in items if i.get("is_primary")), items[0])
    return str(chosen.get(key) or "")


async def document_client(actor: Actor, order: OrderOut) -> printforms.Client:
    """The client as the caller may see it (name only without clients:view)."""
    if order.client is msgspec.UNSET:
        return printforms.Client(name="")
    from server.clients.services import ClientService

    try:
        card = await ClientService(actor).get_client(order.client.id)
    except (Forbidden, DomainError):
        return printforms.Client(name=order.client.name)
    is_company = card.get("kind") == "company"
    phone = _primary(card.get("phones"), "number")
    address = _primary(card.get("addresses"), "address")
    if is_company and card.get("legal_address"):
        address = str(card["legal_address"])
    name = order.client.name
    if is_company and card.get("legal_name"):
        name = str(card["legal_name"])
    return printforms.Client(
        name=name,
        phone=readable_phone(phone) if phone else "",
        email=_primary(card.get("emails"), "email"),
        address=address,
        is_company=is_company,
        inn=str(card.get("inn") or ""),
        kpp=str(card.get("kpp") or ""),
    )


def document_lines(order: OrderOut) -> list[printforms.OrderLine]:
    """Order lines with their discounts in rubles."""
    lines = []
    for line in shown(order.lines, []):
        amount = printforms.model.cents(line.quantity * line.unit_price)
        lines.append(
            printforms.OrderLine(
                kind=printforms.LineKind(line.kind),
                name=line.name,
                qty=line.quantity,
                unit_price=line.unit_price,
                discount=max(amount - line.total, ZERO),
                warranty_days=line.warranty_days,
            )
        )
    return lines


async def employee_name(employee_id: Any) -> str:
    """An employee's full name, or "" for none."""
    if not isinstance(employee_id, int):
        return ""
    from server.staff.services import load_actor

    found = await load_actor(employee_id)
    return found.full_name if found else ""


async def order_document_data(
    actor: Actor, order_id: int, kind: str, base_url: str
) -> tuple[printforms.OrderDocumentData, str, str]:
    """The document data of an order, its order type code and its device brand."""
    service = OrderService(actor)
    order = await service.get_order(order_id)
    hidden = hidden_fields(actor, "order")
    amounts_hidden = bool(AMOUNT_FIELDS & hidden)
    if amounts_hidden and kind in AMOUNT_KINDS:
        raise Forbidden("This document prints the order's amounts, which your role may not see")
    row = await service.row(order_id)
    device = printforms.Device(kind="")
    brand = ""
    if order.device not in (msgspec.UNSET, None):
        brand = row["brand_name"] or ""
        device = printforms.Device(
            kind=row["device_type_name"] or "",
            brand=brand,
            model=row["model_dir"] or row["model_name"] or "",
            serial=order.device.serial,  # type: ignore[union-attr]
        )
    center = await center_row()
    due = local(shown(order.due_at))
    code = str(shown(order.public_code, ""))
    closed = order.status.group == "closed"
    data = printforms.OrderDocumentData(
        center=service_center(center),
        number=order.number,
        public_code=code,
        status_url=status_url(base_url, order.number, code),
        created_at=local(shown(order.created_at, row["created_at"])),  # type: ignore[arg-type]
        client=await document_client(actor, order),
        device=device,
        order_type=order.type.name,
        declared_fault=shown(order.declared_fault, ""),
        appearance=shown(order.appearance, ""),
        accessories=shown(order.accessories, ""),
        estimated_cost=shown(order.estimated_cost),
        estimated_date=due.date() if due else None,
        prepayment=ZERO if amounts_hidden else shown(order.prepayment, ZERO),
        paid=ZERO if amounts_hidden else shown(order.paid, ZERO),
        lines=[] if amounts_hidden else document_lines(order),
        discount=ZERO if amounts_hidden else shown(order.discount_amount, ZERO),
        completed_at=local(shown(order.closed_at)) if closed else None,
        issued_at=local(shown(order.closed_at)) if closed else None,
        receiver=await employee_name(shown(order.manager_id)),
        master=await employee_name(shown(order.technician_id)),
        terms=center.get("terms") or "",
        warranty_terms=center.get("warranty_terms") or "",
        invoice_number=order.number,
        invoice_date=dt.datetime.now(zone()).date(),
    )
    return data, order.type.code, brand
