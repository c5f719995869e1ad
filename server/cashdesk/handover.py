"""A field master hands the cash they carry in at the counter: one document takes it out of
the master's own cash, another puts it into the open shift's drawer, in one transaction (never
more than the master holds)."""

from __future__ import annotations

from decimal import Decimal

from server import formats
from server.actor import Actor
from server.audit import services as audit
from server.cashdesk import drawer
from server.cashdesk.choices import DeskKind, DocumentKind, Method
from server.cashdesk.posting import Part, documents_out, post
from server.cashdesk.schemas import DocumentOut, HandoverIn
from server.cashdesk.tables import CashDesk, CashDocument
from server.cashdesk.totals import Figures, figures_of
from server.errors import InvalidInput
from server.money import checked, round_money
from server.staff.permissions import Action, Section


async def master_cash(desk_id: int) -> Decimal:
    """The cash a master's own desk holds: taken less given back and handed in."""
    return (await figures_of("desk_id", [desk_id])).get(desk_id, Figures()).cash_balance()


async def hand_over(actor: Actor, shift_id: int, data: HandoverIn) -> DocumentOut:
    """Take the master's cash into the shift's drawer; answers the cash-in document."""
    actor.require(Section.FINANCE, Action.CREATE)
    amount = round_money(checked(data.amount, "amount", above_low=True))
    async with CashDocument._meta.db.transaction():
        shift = await drawer.locked_open_shift(shift_id)
        desks = await CashDesk.raw(
            "SELECT * FROM cashdesk_desk WHERE id = {} AND kind = {} FOR UPDATE",
            data.desk_id,
            DeskKind.FIELD.value,
        )
        if not desks:
            raise InvalidInput("Choose one of the offered values", field="desk_id")
        held = await master_cash(data.desk_id)
        if amount > held:
            raise InvalidInput(
                "The master holds only {amount}", field="amount", amount=formats.money(held)
            )
        reason = f"{desks[0]['name']}: сдача наличных"
        given = await post(
            DocumentKind.CASH_OUT, [Part(Method.CASH, amount)], desk_id=data.desk_id,
            shift_id=None, author_id=actor.employee_id or None, reason=reason,
        )  # fmt: skip
        taken = await post(
            DocumentKind.CASH_IN, [Part(Method.CASH, amount)], desk_id=shift["desk_id"],
            shift_id=shift_id, author_id=actor.employee_id or None, reason=reason,
        )  # fmt: skip
        await audit.record(
            actor, "cash_document", taken.id, "cash_in",
            {"amount": [None, str(amount)], "reason": [None, reason],
             "number": [None, f"{given.number} → {taken.number}"]},
        )  # fmt: skip
    row = await CashDocument.select().where(CashDocument.id == taken.id).first()
    assert row is not None
    return (await documents_out([row]))[0]
