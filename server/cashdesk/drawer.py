"""The open shift money goes through, locked for the length of the caller's transaction, and
the cash its drawer should hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.cashdesk.tables import CashShift
from server.cashdesk.totals import Figures, figures_of
from server.errors import InvalidInput, NotFound


async def shift_for(
    actor: Actor, desk_id: int | None, field: str, *, money_out: bool = False
) -> dict[str, Any]:
    """The open shift money goes through, locked until the caller's transaction ends so the
    shift cannot close under it: the desk's if named, else the one the actor opened, else the
    only one open. Money taken in holds it FOR SHARE; money given out FOR UPDATE, one at a
    time, so two payouts cannot both spend the same cash."""
    lock = "UPDATE" if money_out else "SHARE"
    if desk_id is not None:
        rows = await CashShift.raw(
            "SELECT * FROM cashdesk_shift WHERE desk_id = {} AND closed_at IS NULL FOR " + lock,
            desk_id,
        )
        if not rows:
            raise InvalidInput("Open a shift at this cash desk first", field=field)
        return rows[0]
    rows = await CashShift.raw(
        "SELECT s.* FROM cashdesk_shift s JOIN cashdesk_desk d ON d.id = s.desk_id"
        " WHERE s.closed_at IS NULL AND d.is_active ORDER BY s.id FOR " + lock + " OF s"
    )
    own = [r for r in rows if r["opened_by"] == actor.employee_id]
    if len(own) == 1:
        return own[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise InvalidInput("Open a shift at the cash desk first", field=field)
    raise InvalidInput("Choose the cash desk", field="desk_id")


async def locked_open_shift(shift_id: int) -> dict[str, Any]:
    """The open shift, held FOR UPDATE until the caller's transaction ends (cash moved in or
    out of its drawer by hand); a closed one is refused at the amount."""
    rows = await CashShift.raw("SELECT * FROM cashdesk_shift WHERE id = {} FOR UPDATE", shift_id)
    if not rows:
        raise NotFound("No such shift")
    if rows[0]["closed_at"] is not None:
        raise InvalidInput("The shift is closed", field="amount")
    return rows[0]


async def cash_in_drawer(shift: dict[str, Any]) -> Decimal:
    """The cash an open shift's drawer should hold now."""
    figures = (await figures_of("shift_id", [shift["id"]])).get(shift["id"], Figures())
    return Decimal(shift["opening_balance"]) + figures.cash_balance()
