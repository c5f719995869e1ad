"""Shifts of a counter desk: opened with the cash in the drawer, worked, closed with the cash
counted against what the documents say should be there; the X report of an open shift and the
Z report of a closed one read the same figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.cashdesk import order_scope
from server.cashdesk.choices import METHOD_LABELS, DeskKind, DocumentKind, Method
from server.cashdesk.desks import desk_row, shift_brief
from server.cashdesk.drawer import cash_in_drawer
from server.cashdesk.posting import documents_out
from server.cashdesk.schemas import MethodTotals, ShiftBrief, ShiftClose, ShiftOpen, ShiftReport
from server.cashdesk.tables import CashDocument, CashShift
from server.cashdesk.totals import Figures, figures_of
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import gettext
from server.money import checked, round_money
from server.staff import api as staff
from server.staff.permissions import Action, Section

HISTORY = 100  # shifts listed per desk


async def open_shift(actor: Actor, desk_id: int, data: ShiftOpen) -> ShiftReport:
    """Open the desk's shift; a desk has one open shift at a time."""
    actor.require(Section.FINANCE, Action.CREATE)
    opening = round_money(checked(data.opening_balance, "opening_balance"))
    async with CashShift._meta.db.transaction():
        desk = await CashShift.raw(
            "SELECT id, kind, is_active FROM cashdesk_desk WHERE id = {} FOR UPDATE", desk_id
        )
        if not desk:
            raise NotFound("No such cash desk")
        if desk[0]["kind"] != DeskKind.COUNTER.value:
            raise InvalidInput("A master's cash has no shifts", field="desk_id")
        if not desk[0]["is_active"]:
            raise InvalidInput("The cash desk is switched off", field="desk_id")
        if await CashShift.exists().where(
            CashShift.desk_id == desk_id, CashShift.closed_at.is_null()
        ):
            raise Conflict("The desk's shift is already open")
        last = await CashShift.raw(
            "SELECT coalesce(max(number), 0) AS n FROM cashdesk_shift WHERE desk_id = {}", desk_id
        )
        rows = await CashShift.insert(
            CashShift(
                desk_id=desk_id,
                number=last[0]["n"] + 1,
                opened_by=actor.employee_id,
                opened_at=dt.datetime.now(dt.UTC),
                opening_balance=opening,
            )
        ).returning(CashShift.id)
        shift_id = rows[0]["id"]
        await audit.record(
            actor, "cash_shift", shift_id, "open", {"opening_balance": [None, str(opening)]}
        )
    return await report(actor, shift_id)


async def close_shift(actor: Actor, shift_id: int, data: ShiftClose) -> ShiftReport:
    """Close the shift with the cash counted; the expected cash and the difference are kept."""
    actor.require(Section.FINANCE, Action.CREATE)
    counted = round_money(checked(data.counted, "counted"))
    comment = " ".join(data.comment.split())
    async with CashShift._meta.db.transaction():
        rows = await CashShift.raw(
            "SELECT * FROM cashdesk_shift WHERE id = {} FOR UPDATE", shift_id
        )  # waits for payments being taken into it (they hold it FOR SHARE)
        if not rows:
            raise NotFound("No such shift")
        shift = rows[0]
        if shift["closed_at"] is not None:
            raise Conflict("The shift is already closed")
        expected = await cash_in_drawer(shift)
        difference = counted - expected
        if difference and not comment:
            raise InvalidInput("Say why the count differs from the expected cash", field="comment")
        await CashShift.update(
            {
                CashShift.closed_by: actor.employee_id,
                CashShift.closed_at: dt.datetime.now(dt.UTC),
                CashShift.expected: expected,
                CashShift.counted: counted,
                CashShift.difference: difference,
                CashShift.close_comment: comment,
            }
        ).where(CashShift.id == shift_id)
        await audit.record(
            actor,
            "cash_shift",
            shift_id,
            "close",
            {
                "expected": [None, str(expected)],
                "counted": [None, str(counted)],
                "difference": [None, str(difference)],
            },
        )
    return await report(actor, shift_id)


async def report(actor: Actor, shift_id: int) -> ShiftReport:
    """The shift's figures: X while it is open, Z once closed."""
    actor.require(Section.FINANCE, Action.VIEW)
    shift = await CashShift.select().where(CashShift.id == shift_id).first()
    if shift is None:
        raise NotFound("No such shift")
    desk = await desk_row(shift["desk_id"])
    figures = (await figures_of("shift_id", [shift_id])).get(shift_id, Figures())
    documents = (
        await CashDocument.select()
        .where(CashDocument.shift_id == shift_id)
        .order_by(CashDocument.id)
    )
    names = await staff.names({shift["opened_by"], shift["closed_by"] or shift["opened_by"]})
    readable = await order_scope.readable(actor, [d["order_id"] for d in documents])
    for document in documents:  # an order the caller may not read is not named
        if document["order_id"] not in readable:
            document.update(order_id=None, order_number="")
    return _report(shift, desk, figures, await documents_out(documents), names)


def _report(
    shift: dict[str, Any],
    desk: dict[str, Any],
    figures: Figures,
    documents: list[Any],
    names: dict[int, str],
) -> ShiftReport:
    methods = []
    for method in Method:
        received = figures.of(DocumentKind.PAYMENT, method)
        refunded = figures.of(DocumentKind.REFUND, method)
        if received or refunded:
            label = gettext(METHOD_LABELS[method])
            methods.append(
                MethodTotals(method.value, label, received, refunded, received - refunded)
            )
    received = figures.of(DocumentKind.PAYMENT)
    refunded = figures.of(DocumentKind.REFUND)
    closed = shift["closed_at"] is not None
    return ShiftReport(
        id=shift["id"],
        desk_id=desk["id"],
        desk_name=desk["name"],
        number=shift["number"],
        report="Z" if closed else "X",
        opened_by=names.get(shift["opened_by"], ""),
        opened_at=shift["opened_at"],
        closed_by=names.get(shift["closed_by"], "") if closed else "",
        closed_at=shift["closed_at"],
        opening_balance=shift["opening_balance"],
        methods=methods,
        payments_count=figures.counts.get(DocumentKind.PAYMENT, 0),
        refunds_count=figures.counts.get(DocumentKind.REFUND, 0),
        received=received,
        refunded=refunded,
        revenue=received - refunded,
        prepayments=figures.prepayments,
        cash_in=figures.of(DocumentKind.CASH_IN),
        cash_out=figures.of(DocumentKind.CASH_OUT),
        expected_cash=shift["expected"]
        if closed
        else shift["opening_balance"] + figures.cash_balance(),
        counted=shift["counted"],
        difference=shift["difference"],
        close_comment=shift["close_comment"],
        documents=documents,
    )


async def list_shifts(actor: Actor, desk_id: int) -> list[ShiftBrief]:
    """A desk's shifts, newest first (the last HISTORY)."""
    actor.require(Section.FINANCE, Action.VIEW)
    await desk_row(desk_id)
    rows = (
        await CashShift.select()
        .where(CashShift.desk_id == desk_id)
        .order_by(CashShift.id, ascending=False)
        .limit(HISTORY)
    )
    names = await staff.names({r["opened_by"] for r in rows})
    return [shift_brief(r, names) for r in rows]
