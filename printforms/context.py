"""Template context: document data turned into plain dicts of ready-to-print Russian strings.

Templates (built-in or edited by a user) see only this context: dicts, lists, strings,
booleans and two SVG fragments. Every name here is documented in `variables.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from printforms.codes import barcode_svg, barcode_value, qr_svg
from printforms.model import ZERO, OrderDocumentData, OrderLine
from printforms.money import amount_in_words, format_money, format_qty, plural

DEFAULT_TERMS = (
    "Изделие принято без разборки и проверки внутренних повреждений; заявленная "
    "неисправность указана со слов клиента. Диагностика выполняется в течение 3 рабочих дней. "
    "Стоимость и срок ремонта согласуются с клиентом до начала работ. Сервисный центр не "
    "отвечает за сохранность данных на носителях изделия. Изделие выдаётся по предъявлении "
    "квитанции и документа, удостоверяющего личность. Изделие, не востребованное в течение "
    "3 месяцев после уведомления о готовности, может быть реализовано в порядке ст. 899 ГК РФ."
)
DEFAULT_WARRANTY_TERMS = (
    "Гарантия распространяется только на выполненные работы и установленные запчасти и "
    "исчисляется со дня выдачи изделия. Гарантия не действует при механических повреждениях, "
    "следах вскрытия, попадании жидкости и нарушении правил эксплуатации."
)
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def format_date(value: date | None) -> str:
    """«05.03.2025», or an empty string for no date."""
    return value.strftime("%d.%m.%Y") if value else ""


def format_datetime(value: datetime | None) -> str:
    """«05.03.2025 14:07», or an empty string for no time."""
    return value.strftime("%d.%m.%Y %H:%M") if value else ""


def format_long_date(value: date | None) -> str:
    """«5 марта 2025 г.», as printed in document titles."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year} г." if value else ""


def warranty_text(days: int) -> str:
    """«90 дней» or «нет» for a line's warranty."""
    return f"{days} {plural(days, ('день', 'дня', 'дней'))}" if days > 0 else "нет"


def line_context(index: int, line: OrderLine) -> dict[str, Any]:
    """One order line for templates."""
    return {
        "no": index,
        "kind": line.kind.value,
        "kind_label": line.kind.label,
        "name": line.name,
        "qty": format_qty(line.qty),
        "unit": line.unit,
        "price": format_money(line.unit_price),
        "amount": format_money(line.amount),
        "discount": format_money(line.discount),
        "total": format_money(line.total),
        "warranty_days": line.warranty_days,
        "warranty": warranty_text(line.warranty_days),
    }


def money_or_empty(value: Decimal | None) -> str:
    """Formatted amount, or an empty string when the amount is unknown."""
    return "" if value is None else format_money(value)


def build_context(data: OrderDocumentData, today: date | None = None) -> dict[str, Any]:
    """The whole template context for one order; `today` defaults to the current date."""
    today = today or date.today()
    center, client, device = data.center, data.client, data.device
    bank = center.bank
    vat = data.vat_amount
    created = data.created_at
    return {
        "center": {
            "name": center.name,
            "legal_name": center.legal_name or center.name,
            "inn": center.inn,
            "kpp": center.kpp,
            "ogrn": center.ogrn,
            "address": center.address,
            "phone": center.phone,
            "email": center.email,
            "website": center.website,
            "director": center.director,
            "accountant": center.accountant,
            "bank": {
                "name": bank.bank_name if bank else "",
                "bik": bank.bik if bank else "",
                "account": bank.account if bank else "",
                "corr_account": bank.corr_account if bank else "",
            },
        },
        "order": {
            "number": data.number,
            "public_code": data.public_code,
            "status_url": data.status_url,
            "type": data.order_type,
            "created_at": format_datetime(created),
            "created_date": format_date(created.date()),
            "created_long": format_long_date(created.date()),
            "completed_at": format_datetime(data.completed_at),
            "completed_date": format_date(data.completed_at.date() if data.completed_at else None),
            "issued_at": format_datetime(data.issued_at),
            "issued_date": format_date(data.issued_at.date() if data.issued_at else None),
            "declared_fault": data.declared_fault,
            "appearance": data.appearance,
            "accessories": data.accessories,
            "estimated_cost": money_or_empty(data.estimated_cost),
            "estimated_date": format_date(data.estimated_date),
            "prepayment": format_money(data.prepayment),
            "has_prepayment": data.prepayment > ZERO,
            "receiver": data.receiver,
            "master": data.master,
            "conclusion": data.conclusion,
            "terms": data.terms or DEFAULT_TERMS,
            "warranty_terms": data.warranty_terms or DEFAULT_WARRANTY_TERMS,
            "barcode_value": barcode_value(data.number),
        },
        "client": {
            "name": client.name,
            "short_name": client.short_name,
            "phone": client.phone,
            "email": client.email,
            "address": client.address,
            "is_company": client.is_company,
            "inn": client.inn,
            "kpp": client.kpp,
        },
        "device": {
            "kind": device.kind,
            "brand": device.brand,
            "model": device.model,
            "serial": device.serial,
            "title": device.title,
        },
        "lines": [line_context(i, line) for i, line in enumerate(data.lines, start=1)],
        "totals": {
            "count": len(data.lines),
            "subtotal": format_money(data.subtotal),
            "discount": format_money(data.discount),
            "has_discount": data.discount > ZERO,
            "total": format_money(data.total),
            "total_words": amount_in_words(data.total),
            "paid": format_money(data.paid),
            "has_paid": data.paid > ZERO,
            "due": format_money(data.amount_due),
            "due_words": amount_in_words(data.amount_due),
            "vat": "—" if vat is None else format_money(vat),
            "vat_label": "Без налога (НДС)"
            if vat is None
            else f"В том числе НДС {center.vat_rate}%",
        },
        "invoice": {
            "number": data.invoice_number or data.number,
            "date": format_date(data.invoice_date or today),
            "date_long": format_long_date(data.invoice_date or today),
            "due_date": format_date(data.invoice_due_date),
        },
        "today": format_date(today),
        "qr_svg": qr_svg(data.status_url),
        "barcode_svg": barcode_svg(data.number),
    }
