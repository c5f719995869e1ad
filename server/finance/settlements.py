"""Mutual settlements with partners: what the center owes each partner (the report sheets of
locked payroll periods, and accruals beside them) against what the partner owes the center
(charges: parts, money it took for the center, penalties) and what either paid the other.

Entries are numbered (ВР-000001), posted once and never edited; a mistake is undone by a
reversal. Posting them is a manager's (finance: edit); whoever sees finance sees them. A
balance above zero is owed by the center to the partner; below zero, by the partner.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import defaultdict
from decimal import Decimal
from typing import Any

import anyio

import printforms
from server import clock, counters
from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.finance.expenses import posting_day
from server.finance.reversal import locked_original, reason_of
from server.finance.schemas import (
    PartnerBalance,
    PartnerEntryIn,
    PartnerEntryOut,
    ReversalIn,
    Statement,
    StatementLine,
)
from server.finance.tables import ExpenseCounter, PartnerEntry
from server.i18n import N_, gettext
from server.money import ZERO, checked, round_money
from server.orders import api as orders
from server.partners import api as partners
from server.payroll import api as payroll
from server.staff import api as staff
from server.staff.permissions import Action, Section

DEFAULT_FORMAT = "ВР-{n:06d}"
TO_PARTNER = frozenset({"accrual", "receipt"})  # raise what the center owes the partner
KIND_LABELS = {
    "accrual": N_("Owed to the partner"),
    "charge": N_("Charged to the partner"),
    "payout": N_("Paid to the partner"),
    "receipt": N_("Received from the partner"),
}


async def _partner(organization_id: int) -> partners.OrgOut:
    found = await partners.organization(organization_id)
    if found is None:
        raise NotFound("No such partner")
    return found


def signed(kind: str, amount: Decimal) -> Decimal:
    """An entry's amount as it moves the balance (the center's debt to the partner)."""
    return amount if kind in TO_PARTNER else -amount


async def post_entry(actor: Actor, organization_id: int, data: PartnerEntryIn) -> PartnerEntryOut:
    """Post a settlement entry with a partner."""
    actor.require(Section.FINANCE, Action.EDIT)
    await _partner(organization_id)
    amount = round_money(checked(data.amount, "amount", above_low=True))
    description = " ".join(data.description.split())
    if not description:
        raise InvalidInput("Say what it is for", field="description")
    day = posting_day(data.day)
    order_number = ""
    if data.order_id is not None:
        refs = await orders.order_refs(actor, [data.order_id])
        if data.order_id not in refs:
            raise InvalidInput("No order with id {id}", field="order_id", id=data.order_id)
        order_number = refs[data.order_id].number
    async with PartnerEntry._meta.db.transaction():
        entry_id = await _insert(
            actor, organization_id, data.kind, day, amount, description,
            data.order_id, order_number, None,
        )  # fmt: skip
        await audit.record(
            actor, "partner_entry", entry_id, "create",
            {"kind": [None, data.kind], "amount": [None, str(amount)],
             "organization_id": [None, organization_id]},
        )  # fmt: skip
    return (await _out(actor, [await _row(entry_id)]))[0]


async def reverse_entry(actor: Actor, entry_id: int, data: ReversalIn) -> PartnerEntryOut:
    """Undo an entry by its reversal (once); answers the reversal."""
    actor.require(Section.FINANCE, Action.EDIT)
    reason = reason_of(data.reason)
    async with PartnerEntry._meta.db.transaction():
        original = await locked_original(
            PartnerEntry, entry_id, "No such entry", "The entry is reversed already"
        )
        made = await _insert(
            actor, original["organization_id"], original["kind"], clock.today(),
            -original["amount"], f"Сторно {original['number']}: {reason}",
            original["order_id"], original["order_number"], entry_id,
        )  # fmt: skip
        await audit.record(actor, "partner_entry", entry_id, "reverse", {"reason": [None, reason]})
    return (await _out(actor, [await _row(made)]))[0]


async def _insert(
    actor: Actor,
    organization_id: int,
    kind: str,
    day: dt.date,
    amount: Decimal,
    description: str,
    order_id: int | None,
    order_number: str,
    reverses: int | None,
) -> int:
    pattern = os.environ.get("SERVIO_SETTLEMENT_NUMBER_FORMAT", DEFAULT_FORMAT)
    rows = await PartnerEntry.insert(
        PartnerEntry(
            number=await counters.next_number(ExpenseCounter, pattern),
            organization_id=organization_id,
            kind=kind,
            day=day,
            amount=amount,
            description=description,
            order_id=order_id,
            order_number=order_number,
            reverses=reverses,
            author_id=actor.employee_id or None,
            created_at=dt.datetime.now(dt.UTC),
        )
    ).returning(PartnerEntry.id)
    return int(rows[0]["id"])


async def _row(entry_id: int) -> dict[str, Any]:
    row = await PartnerEntry.select().where(PartnerEntry.id == entry_id).first()
    if row is None:
        raise NotFound("No such entry")
    return row


async def partner_of_entry(actor: Actor, entry_id: int) -> int:
    """The partner an entry is with."""
    actor.require(Section.FINANCE, Action.VIEW)
    return int((await _row(entry_id))["organization_id"])


async def balances(actor: Actor) -> list[PartnerBalance]:
    """Every partner the center has settled with or may (the active ones), by name."""
    actor.require(Section.FINANCE, Action.VIEW)
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for r in await PartnerEntry.raw(
        "SELECT organization_id, kind, sum(amount) AS amount FROM finance_partner_entry"
        " GROUP BY 1, 2"
    ):
        sums[r["organization_id"]][r["kind"]] += r["amount"]
    for sheet in await payroll.partner_sheets():
        sums[sheet.organization_id]["sheet"] += sheet.amount
    found = []
    for org in await partners.organizations(active_only=False):
        got = sums.get(org.id)
        if got is None and not org.is_active:
            continue
        got = got or {}
        found.append(
            PartnerBalance(
                organization_id=org.id,
                name=org.name,
                kind=org.kind,
                sheets=got.get("sheet", ZERO),
                accrued=got.get("accrual", ZERO),
                charged=got.get("charge", ZERO),
                paid_out=got.get("payout", ZERO),
                received=got.get("receipt", ZERO),
                balance=sum((signed(k, v) for k, v in got.items() if k != "sheet"), ZERO)
                + got.get("sheet", ZERO),
            )
        )
    return found


async def statement(
    actor: Actor, organization_id: int, first_day: dt.date, last_day: dt.date
) -> Statement:
    """The reconciliation statement of a period: the balance at its start, every report sheet
    and entry in it by day, and the balance at its end."""
    actor.require(Section.FINANCE, Action.VIEW)
    org = await _partner(organization_id)
    before = await PartnerEntry.raw(
        "SELECT kind, sum(amount) AS amount FROM finance_partner_entry"
        " WHERE organization_id = {} AND day < {} GROUP BY 1",
        organization_id,
        first_day,
    )
    opening = sum((signed(r["kind"], r["amount"]) for r in before), ZERO)
    rows = (
        await PartnerEntry.select()
        .where(
            PartnerEntry.organization_id == organization_id,
            PartnerEntry.day >= first_day,
            PartnerEntry.day <= last_day,
        )
        .order_by(PartnerEntry.day)
        .order_by(PartnerEntry.id)
    )
    lines = []
    for sheet in await payroll.partner_sheets(organization_id):
        if sheet.last_day < first_day:
            opening += sheet.amount
        elif sheet.last_day <= last_day:
            text = gettext(
                "Report sheet {first}–{last}",
                first=sheet.first_day.strftime("%d.%m.%Y"),
                last=sheet.last_day.strftime("%d.%m.%Y"),
            )
            sides = _sides(sheet.amount)
            lines.append(
                StatementLine(sheet.last_day, "", text, sides["to_partner"], sides["to_center"],
                              None, sheet.period_id)
            )  # fmt: skip
    for entry in await _out(actor, list(rows)):
        sides = _sides(signed(entry.kind, entry.amount))
        text = f"{entry.kind_label}: {entry.description}"
        lines.append(
            StatementLine(entry.day, entry.number, text, sides["to_partner"], sides["to_center"],
                          entry, None)
        )  # fmt: skip
    lines.sort(key=lambda line: (line.day, line.entry is not None, line.number))
    to_partner = sum((line.to_partner for line in lines), ZERO)
    to_center = sum((line.to_center for line in lines), ZERO)
    return Statement(
        organization_id=org.id,
        name=org.name,
        first_day=first_day,
        last_day=last_day,
        opening=opening,
        lines=lines,
        to_partner=to_partner,
        to_center=to_center,
        closing=opening + to_partner - to_center,
    )


async def money_by_day(first_day: dt.date, last_day: dt.date) -> dict[tuple[dt.date, str], Decimal]:
    """Paid to partners and received from them, by (day, payout | receipt), reversals netted."""
    rows = await PartnerEntry.raw(
        "SELECT day, kind, sum(amount) AS amount FROM finance_partner_entry"
        " WHERE kind IN ('payout', 'receipt') AND day BETWEEN {} AND {} GROUP BY 1, 2",
        first_day,
        last_day,
    )
    return {(r["day"], r["kind"]): r["amount"] for r in rows}


async def _out(actor: Actor, rows: list[dict[str, Any]]) -> list[PartnerEntryOut]:
    names = await staff.names({r["author_id"] for r in rows if r["author_id"]})
    readable = await orders.orders_in_scope(actor, {r["order_id"] for r in rows if r["order_id"]})
    ids = [r["id"] for r in rows]
    reversed_by = {
        r["reverses"]: r["id"]
        for r in await PartnerEntry.select(PartnerEntry.id, PartnerEntry.reverses).where(
            PartnerEntry.reverses.is_in(ids or [0])
        )
    }
    found = []
    for r in rows:
        shown = r["order_id"] in readable
        found.append(
            PartnerEntryOut(
                id=r["id"],
                number=r["number"],
                organization_id=r["organization_id"],
                kind=r["kind"],
                kind_label=gettext(KIND_LABELS[r["kind"]]),
                day=r["day"],
                amount=r["amount"],
                description=r["description"],
                order_id=r["order_id"] if shown else None,
                order_number=r["order_number"] if shown else "",
                reverses=r["reverses"],
                reversed_by=reversed_by.get(r["id"]),
                author_name=names.get(r["author_id"], "") if r["author_id"] else "",
                created_at=r["created_at"],
            )
        )
    return found


def balance_words(balance: Decimal) -> str:
    """Who owes whom, in words."""
    if balance > 0:
        return gettext("The center owes the partner")
    if balance < 0:
        return gettext("The partner owes the center")
    return gettext("Settled")


async def statement_xlsx(
    actor: Actor, organization_id: int, first_day: dt.date, last_day: dt.date
) -> bytes:
    """The reconciliation statement as a workbook, to send to the partner."""
    actor.require(Section.FINANCE, Action.EXPORT)
    found = await statement(actor, organization_id, first_day, last_day)
    columns = [
        printforms.Column("day", gettext("Day"), "date", 12),
        printforms.Column("number", gettext("Document"), "text", 14),
        printforms.Column("text", gettext("What"), "text", 60),
        printforms.Column("to_partner", gettext("In the partner's favour"), "money", 18),
        printforms.Column("to_center", gettext("In the center's favour"), "money", 18),
    ]
    period = f"{first_day:%d.%m.%Y}–{last_day:%d.%m.%Y}"
    rows: list[dict[str, Any]] = [
        {"text": f"{gettext('Reconciliation statement')}: {found.name}, {period}"},
        {"day": first_day, "text": gettext("Balance at the start"),
         **_sides(found.opening)},
        *({"day": line.day, "number": line.number, "text": line.text,
           "to_partner": line.to_partner, "to_center": line.to_center} for line in found.lines),
        {"text": gettext("Turnover"), "to_partner": found.to_partner,
         "to_center": found.to_center},
        {"day": last_day, "text": f"{gettext('Balance at the end')}: "
         f"{balance_words(found.closing)}", **_sides(found.closing)},
    ]  # fmt: skip
    target = io.BytesIO()
    title = gettext("Reconciliation statement")
    await anyio.to_thread.run_sync(printforms.export_rows, columns, rows, target, title)
    return target.getvalue()


def _sides(balance: Decimal) -> dict[str, Decimal]:
    return {"to_partner": max(balance, ZERO), "to_center": max(-balance, ZERO)}
