"""Cash desks: the counter desks people open shifts at, and each field master's own cash
(made on the master's first payment). Seen by whoever may view the finance section."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.cashdesk.choices import DESK_LABELS, DeskKind
from server.cashdesk.schemas import DeskChoice, DeskIn, DeskOut, DeskPatch, ShiftBrief
from server.cashdesk.tables import CashDesk, CashShift
from server.cashdesk.totals import desk_cash
from server.errors import InvalidInput, NotFound
from server.i18n import gettext
from server.staff import api as staff
from server.staff.permissions import Action, Section


async def list_desks(actor: Actor, *, include_field: bool = True) -> list[DeskOut]:
    """Every desk with its open shift and the cash it holds: counter desks first, by name."""
    actor.require(Section.FINANCE, Action.VIEW)
    query = CashDesk.select().order_by(CashDesk.kind).order_by(CashDesk.name)
    if not include_field:
        query = query.where(CashDesk.kind == DeskKind.COUNTER.value)
    rows = await query
    shifts = await CashShift.select().where(
        CashShift.closed_at.is_null(), CashShift.desk_id.is_in([r["id"] for r in rows] or [0])
    )
    open_by_desk = {s["desk_id"]: s for s in shifts}
    names = await staff.names({s["opened_by"] for s in shifts})
    cash = await desk_cash([r["id"] for r in rows], open_by_desk)
    return [
        DeskOut(
            id=r["id"],
            kind=r["kind"],
            kind_label=gettext(DESK_LABELS[DeskKind(r["kind"])]),
            name=r["name"],
            master_id=r["master_id"],
            is_active=r["is_active"],
            open_shift=shift_brief(open_by_desk[r["id"]], names)
            if r["id"] in open_by_desk
            else None,
            cash=cash.get(r["id"], Decimal("0.00")),
        )
        for r in rows
    ]


def shift_brief(row: dict[str, Any], names: dict[int, str]) -> ShiftBrief:
    """A stored shift as listed."""
    return ShiftBrief(
        id=row["id"],
        number=row["number"],
        opened_by=names.get(row["opened_by"], ""),
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
        opening_balance=row["opening_balance"],
        expected=row["expected"],
        counted=row["counted"],
        difference=row["difference"],
    )


async def desk_row(desk_id: int, *, field: str | None = None) -> dict[str, Any]:
    """A desk's stored row, or NotFound (an error on `field` when it names a form field)."""
    row = await CashDesk.select().where(CashDesk.id == desk_id).first()
    if row is None:
        if field:
            raise InvalidInput("Choose one of the offered values", field=field)
        raise NotFound("No such cash desk")
    return row


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("Enter the name", field="name")
    return name


async def create_desk(actor: Actor, data: DeskIn) -> DeskOut:
    """Add a counter desk."""
    actor.require(Section.FINANCE, Action.EDIT)
    name = _name(data.name)
    if await CashDesk.exists().where(CashDesk.name == name):
        raise InvalidInput("A cash desk with this name exists", field="name")
    rows = await CashDesk.insert(
        CashDesk(kind=DeskKind.COUNTER.value, name=name, created_at=dt.datetime.now(dt.UTC))
    ).returning(CashDesk.id)
    desk_id = rows[0]["id"]
    await audit.record(actor, "cash_desk", desk_id, "create", {"name": [None, name]})
    return next(d for d in await list_desks(actor) if d.id == desk_id)


async def update_desk(actor: Actor, desk_id: int, data: DeskPatch) -> DeskOut:
    """Rename a desk, or switch it off (its shifts and documents stay) or on again."""
    actor.require(Section.FINANCE, Action.EDIT)
    row = await desk_row(desk_id)
    changes: dict[Any, Any] = {}
    diff: dict[str, list[Any]] = {}
    if data.name is not None and _name(data.name) != row["name"]:
        name = _name(data.name)
        if await CashDesk.exists().where(CashDesk.name == name, CashDesk.id != desk_id):
            raise InvalidInput("A cash desk with this name exists", field="name")
        changes[CashDesk.name] = name
        diff["name"] = [row["name"], name]
    if data.is_active is not None and data.is_active != row["is_active"]:
        if not data.is_active and await CashShift.exists().where(
            CashShift.desk_id == desk_id, CashShift.closed_at.is_null()
        ):
            raise InvalidInput("Close the desk's shift first", field="is_active")
        changes[CashDesk.is_active] = data.is_active
        diff["is_active"] = [row["is_active"], data.is_active]
    if changes:
        await CashDesk.update(changes).where(CashDesk.id == desk_id)
        await audit.record(actor, "cash_desk", desk_id, "update", diff)
    return next(d for d in await list_desks(actor) if d.id == desk_id)


async def field_desk(master_id: int) -> int:
    """The id of a field master's own cash, made on first use."""
    names = await staff.names([master_id])
    await CashDesk.raw(
        "INSERT INTO cashdesk_desk (kind, name, master_id, is_active, created_at)"
        " VALUES ('field', {}, {}, true, now()) ON CONFLICT (master_id) DO NOTHING",
        names.get(master_id, str(master_id)),
        master_id,
    )
    row = await CashDesk.select(CashDesk.id).where(CashDesk.master_id == master_id).first()
    assert row is not None
    return int(row["id"])


async def open_desks() -> list[DeskChoice]:
    """The counter desks whose shift is open, by name: where money can be taken now."""
    rows = await CashDesk.raw(
        "SELECT d.id, d.name FROM cashdesk_desk d JOIN cashdesk_shift s ON s.desk_id = d.id"
        " WHERE s.closed_at IS NULL AND d.is_active ORDER BY d.name"
    )
    return [DeskChoice(r["id"], r["name"]) for r in rows]
