"""Money taken and given back: payments for orders (split across methods, a prepayment at
intake too), refunds, and cash put into or taken out of a drawer.

Cash, card and SBP go through a counter desk's open shift (its drawer, terminal, QR code); a
bank transfer goes through no shift. What a field master takes at the client's lands in the
master's own cash. The orders domain calls this in its own transaction and passes what it
knows of the order; the document is posted in that transaction, or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server import formats
from server.actor import Actor
from server.audit import services as audit
from server.cashdesk import desks, drawer, fiscal
from server.cashdesk.choices import AT_DESK, DocumentKind, Method
from server.cashdesk.posting import Part, Posted, documents_out, post
from server.cashdesk.receipts import ReceiptLine, Sale
from server.cashdesk.schemas import CashMoveIn, DocumentOut
from server.cashdesk.tables import CashDocument
from server.errors import InvalidInput
from server.money import ZERO, checked, round_money
from server.staff.permissions import Action, Capability, Section


@dataclass(frozen=True)
class OrderRef:
    """What the orders domain tells of the order money is for (its total, what was paid
    before and its lines: what a fiscal receipt lists)."""

    id: int
    number: str
    client_id: int | None
    total: Decimal = ZERO
    paid_before: Decimal = ZERO
    lines: tuple[ReceiptLine, ...] = ()
    contact: str = ""  # the client's e-mail or phone, for a receipt sent rather than handed

    @property
    def sale(self) -> Sale:
        """The order as its receipt sees it."""
        return Sale(self.number, self.total, self.paid_before, self.lines, self.contact)


def _reason(text: str, *, required: bool) -> str:
    reason = " ".join(text.split())
    if required and not reason:
        raise InvalidInput("Say why", field="reason")
    return reason


async def _where(
    actor: Actor,
    parts: Sequence[Part],
    desk_id: int | None,
    *,
    field: bool,
    money_out: bool,
    amount_field: str,
) -> tuple[int, dict[str, Any] | None]:
    """The desk the money goes through, and its shift (locked) when the money is at a desk."""
    if field:
        if money_out:
            raise InvalidInput("Refunds are made at the counter", field=amount_field)
        return await desks.field_desk(actor.employee_id), None
    if any(p.method in AT_DESK for p in parts):
        shift = await drawer.shift_for(actor, desk_id, amount_field, money_out=money_out)
        return shift["desk_id"], shift
    if desk_id is not None:
        desk = await desks.desk_row(desk_id, field="desk_id")
        return desk["id"], None
    counter = await CashDocument.raw(
        "SELECT id FROM cashdesk_desk WHERE kind = 'counter' AND is_active ORDER BY id LIMIT 1"
    )
    if not counter:
        raise InvalidInput("Add a cash desk first", field="desk_id")
    return counter[0]["id"], None


async def take_payment(
    actor: Actor,
    order: OrderRef,
    parts: Sequence[Part],
    *,
    desk_id: int | None = None,
    field: bool = False,
    prepayment: bool = False,
    comment: str = "",
    amount_field: str = "amount",
) -> Posted:
    """Post a payment for the order (in the caller's transaction)."""
    actor.require(Section.FINANCE, Action.CREATE)
    desk, shift = await _where(
        actor, parts, desk_id, field=field, money_out=False, amount_field=amount_field
    )
    posted = await post(
        DocumentKind.PAYMENT,
        parts,
        desk_id=desk,
        shift_id=shift["id"] if shift else None,
        author_id=actor.employee_id or None,
        order_id=order.id,
        order_number=order.number,
        client_id=order.client_id,
        prepayment=prepayment,
        reason=_reason(comment, required=False),
    )
    await audit.record(actor, "cash_document", posted.id, "create", _diff(posted, order))
    await fiscal.queue_receipt(
        posted.id, False, order.sale, parts, actor.full_name, electronically=field
    )
    return posted


async def refund(
    actor: Actor,
    order: OrderRef,
    parts: Sequence[Part],
    *,
    paid: Decimal,
    reason: str,
    refund_of: int | None = None,
    desk_id: int | None = None,
) -> Posted:
    """Give money back for the order: at most what was paid (`paid`, net of refunds, as the
    order knows it), at most a named payment's remainder, and no more cash than the drawer
    holds; with the refund permission and a reason."""
    actor.require(Section.FINANCE, Action.CREATE)
    if not actor.has(Capability.REFUND):
        raise InvalidInput("You may not make refunds", field="amount")
    text = _reason(reason, required=True)
    amount = sum((p.amount for p in parts), ZERO)
    if amount > paid:
        raise InvalidInput("At most {amount} was paid", field="amount", amount=formats.money(paid))
    if refund_of is not None:
        await _check_refund_of(order, refund_of, amount)
    desk, shift = await _where(
        actor, parts, desk_id, field=False, money_out=True, amount_field="amount"
    )
    if shift is not None:
        await _check_drawer(shift, sum((p.amount for p in parts if p.method is Method.CASH), ZERO))
    posted = await post(
        DocumentKind.REFUND,
        parts,
        desk_id=desk,
        shift_id=shift["id"] if shift else None,
        author_id=actor.employee_id or None,
        order_id=order.id,
        order_number=order.number,
        client_id=order.client_id,
        refund_of=refund_of,
        reason=text,
    )
    await audit.record(
        actor,
        "cash_document",
        posted.id,
        "refund",
        {**_diff(posted, order), "reason": [None, text]},
    )
    await fiscal.queue_receipt(posted.id, True, order.sale, parts, actor.full_name)
    return posted


async def _check_refund_of(order: OrderRef, payment_id: int, amount: Decimal) -> None:
    payment = (
        await CashDocument.select()
        .where(
            CashDocument.id == payment_id,
            CashDocument.order_id == order.id,
            CashDocument.kind == DocumentKind.PAYMENT.value,
        )
        .first()
    )
    if payment is None:
        raise InvalidInput("Choose one of the order's payments", field="refund_of")
    rows = await CashDocument.raw(
        "SELECT coalesce(sum(amount), 0) AS refunded FROM cashdesk_document"
        " WHERE refund_of = {} AND kind = 'refund'",
        payment_id,
    )
    left = payment["amount"] - rows[0]["refunded"]
    if amount > left:
        raise InvalidInput(
            "At most {amount} of this payment is left", field="amount", amount=formats.money(left)
        )


async def _check_drawer(shift: dict[str, Any], cash: Decimal) -> None:
    if not cash:
        return
    held = await drawer.cash_in_drawer(shift)
    if cash > held:
        raise InvalidInput(
            "The drawer holds only {amount}", field="amount", amount=formats.money(held)
        )


async def cash_move(actor: Actor, shift_id: int, data: CashMoveIn) -> DocumentOut:
    """Put cash into the shift's drawer or take it out, with the reason."""
    actor.require(Section.FINANCE, Action.CREATE)
    amount = round_money(checked(data.amount, "amount", above_low=True))
    kind = DocumentKind(data.kind)
    reason = _reason(data.reason, required=True)
    async with CashDocument._meta.db.transaction():
        shift = await drawer.locked_open_shift(shift_id)
        if kind is DocumentKind.CASH_OUT:
            await _check_drawer(shift, amount)
        posted = await post(
            kind,
            [Part(Method.CASH, amount)],
            desk_id=shift["desk_id"],
            shift_id=shift_id,
            author_id=actor.employee_id or None,
            reason=reason,
        )
        await audit.record(
            actor,
            "cash_document",
            posted.id,
            kind.value,
            {"amount": [None, str(amount)], "reason": [None, reason]},
        )
    row = await CashDocument.select().where(CashDocument.id == posted.id).first()
    assert row is not None
    return (await documents_out([row]))[0]


def _diff(posted: Posted, order: OrderRef) -> dict[str, list[str | None]]:
    return {
        "number": [None, posted.number],
        "order": [None, order.number],
        "amount": [None, str(posted.amount)],
        "methods": [None, ", ".join(f"{p.method.value} {p.amount}" for p in posted.parts)],
    }
