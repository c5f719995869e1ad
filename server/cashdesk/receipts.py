"""What a fiscal receipt says (ATOL's JSON task): a payment that settles the order lists the
order's lines, paid by this payment's methods and by the advances taken before; any other
payment is an advance («Предоплата по заказу № …»); a refund gives back in one position what
was paid. Line amounts carry the order's discount, spread over them to the kopeck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.cashdesk.choices import Method
from server.cashdesk.posting import Part
from server.money import ZERO, round_money

# How ATOL names a method's payment; an advance counted against the final receipt is "prepaid".
PAYMENT_TYPES = {
    Method.CASH: "cash",
    Method.CARD: "electronically",
    Method.SBP: "electronically",
    Method.TRANSFER: "electronically",
}
OBJECTS = {"service": "service", "part": "commodity", "good": "commodity"}


@dataclass(frozen=True)
class ReceiptLine:
    """An order line as a receipt lists it."""

    name: str
    quantity: Decimal
    amount: Decimal  # the line's total
    kind: str  # service | part | good


@dataclass(frozen=True)
class Sale:
    """What the orders domain tells of the order a receipt is for."""

    number: str
    total: Decimal  # what the order costs, its discount taken off
    paid_before: Decimal  # net of refunds, before this document
    lines: tuple[ReceiptLine, ...] = ()
    contact: str = ""  # the client's e-mail or phone


def settles(sale: Sale, amount: Decimal) -> bool:
    """Whether this payment completes the order's payment exactly (with its lines known)."""
    return bool(sale.lines) and sale.total > 0 and sale.paid_before + amount == sale.total


def sell_task(
    sale: Sale,
    parts: Sequence[Part],
    cashier: str,
    taxation: str,
    vat: str,
    *,
    electronically: bool = False,
) -> dict[str, Any]:
    """The receipt of a payment: printed at the register, or (money a master took at the
    client's, away from it) sent to the client's e-mail or phone by the fiscal data operator
    instead, when the client left one."""
    amount = sum((p.amount for p in parts), ZERO)
    payments = [_payment(p) for p in parts]
    if settles(sale, amount):
        items = _lines(sale, vat)
        if sale.paid_before > 0:
            payments.append({"type": "prepaid", "sum": float(sale.paid_before)})
    else:
        name = f"Предоплата по заказу № {sale.number}"
        items = [_position(name, Decimal(1), amount, "prepayment", "service", vat)]
    task = _task("sell", items, payments, cashier, taxation)
    if electronically and sale.contact:
        task["electronically"] = True
        task["clientInfo"] = {"emailOrPhone": sale.contact[:64]}
    return task


def return_task(
    sale: Sale, parts: Sequence[Part], cashier: str, taxation: str, vat: str
) -> dict[str, Any]:
    """The receipt of a refund: what was paid for the order, given back."""
    amount = sum((p.amount for p in parts), ZERO)
    settled = bool(sale.lines) and sale.total > 0 and sale.paid_before >= sale.total
    method = "fullPayment" if settled else "prepayment"
    name = f"Возврат по заказу № {sale.number}"
    items = [_position(name, Decimal(1), amount, method, "service", vat)]
    return _task("sellReturn", items, [_payment(p) for p in parts], cashier, taxation)


def _lines(sale: Sale, vat: str) -> list[dict[str, Any]]:
    gross = sum((line.amount for line in sale.lines), ZERO)
    left = sale.total
    items = []
    for index, line in enumerate(sale.lines):
        last = index == len(sale.lines) - 1
        share = left if last else round_money(line.amount * sale.total / gross) if gross else ZERO
        left -= share
        items.append(
            _position(line.name, line.quantity, share, "fullPayment", OBJECTS[line.kind], vat)
        )
    return items


def _position(
    name: str, quantity: Decimal, amount: Decimal, method: str, kind: str, vat: str
) -> dict[str, Any]:
    price = round_money(amount / quantity) if quantity else amount
    return {
        "type": "position",
        "name": name[:128],
        "price": float(price),
        "quantity": float(quantity),
        "amount": float(amount),
        "tax": {"type": vat},
        "paymentMethod": method,
        "paymentObject": kind,
    }


def _payment(part: Part) -> dict[str, Any]:
    return {"type": PAYMENT_TYPES[part.method], "sum": float(part.amount)}


def _task(
    kind: str,
    items: list[dict[str, Any]],
    payments: list[dict[str, Any]],
    cashier: str,
    taxation: str,
) -> dict[str, Any]:
    return {
        "type": kind,
        "taxationType": taxation,
        "operator": {"name": cashier[:64]},
        "items": items,
        "payments": payments,
        "total": sum(i["amount"] for i in items),
    }
