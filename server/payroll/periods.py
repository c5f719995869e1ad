"""Payroll periods: made (a month by default, never overlapping another), computed from the
closed orders and the rules while open, reviewed, approved, locked with the rules they were
computed by. What changes later in a locked period (an order reopened, a line changed) is put
in the next computed period as corrections naming the locked one: a locked period's figures
never move."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from server import clock
from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import Msg
from server.money import ZERO, checked, round_money
from server.orders import api as orders
from server.payroll.choices import STATE_LABELS
from server.payroll.reckon import Entry, Payees, Rule, reckon
from server.payroll.rules import current_rules
from server.payroll.schemas import AdjustmentIn, PeriodIn
from server.payroll.tables import PayrollLine, PayrollPeriod
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.timeclock import api as timeclock

CORRECTED_BACK = 400  # days: locked periods that ended within them are checked for changes
LONGEST = 62  # days a period may cover


def _bounds(first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the period's days in the center's time zone."""
    return clock.day_start(first_day), clock.day_start(last_day + dt.timedelta(days=1))


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the day's month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


async def _row(period_id: int, *, lock: bool = False) -> dict[str, Any]:
    sql = "SELECT * FROM payroll_period WHERE id = {}" + (" FOR UPDATE" if lock else "")
    rows = await PayrollPeriod.raw(sql, period_id)
    if not rows:
        raise NotFound("No such payroll period")
    return rows[0]


async def create_period(actor: Actor, data: PeriodIn) -> int:
    """Make a period (the current month by default) and compute it."""
    actor.require(Section.PAYROLL, Action.CREATE)
    default_first, default_last = month_of(data.first_day or clock.today())
    first = data.first_day or default_first
    last = data.last_day or (default_last if data.first_day is None else month_of(first)[1])
    if last < first:
        raise InvalidInput("The end comes before the start", field="last_day")
    if (last - first).days >= LONGEST:
        raise InvalidInput("At most two months at a time", field="last_day")
    async with PayrollPeriod._meta.db.transaction():
        await PayrollPeriod.raw("LOCK TABLE payroll_period IN SHARE ROW EXCLUSIVE MODE")
        overlap = await PayrollPeriod.exists().where(
            PayrollPeriod.first_day <= last, PayrollPeriod.last_day >= first
        )
        if overlap:
            raise InvalidInput("It overlaps another period", field="first_day")
        rows = await PayrollPeriod.insert(
            PayrollPeriod(first_day=first, last_day=last, created_at=dt.datetime.now(dt.UTC))
        ).returning(PayrollPeriod.id)
        period_id = int(rows[0]["id"])
        await audit.record(
            actor, "payroll_period", period_id, "create",
            {"first_day": [None, first.isoformat()], "last_day": [None, last.isoformat()]},
        )  # fmt: skip
    await compute(actor, period_id)
    return period_id


async def compute(actor: Actor, period_id: int) -> None:
    """Write the open period's computed lines again: bases, orders' shares, corrections of
    locked periods; lines entered by hand stay."""
    actor.require(Section.PAYROLL, Action.CREATE)
    async with PayrollPeriod._meta.db.transaction():
        period = await _row(period_id, lock=True)
        if period["state"] != "open":
            raise Conflict("Only an open period is computed; reopen it first")
        rules = await current_rules()
        payees = Payees(
            await staff.employees_with_roles(),
            await timeclock.worked(period["first_day"], period["last_day"]),
        )
        entries = await _entries(rules, payees, period["first_day"], period["last_day"])
        corrections = await _corrections(period)
        await PayrollLine.delete().where(
            PayrollLine.period_id == period_id, PayrollLine.manual.eq(False)
        )
        now = dt.datetime.now(dt.UTC)
        await _write(period_id, [(None, e) for e in entries] + list(corrections), now)
        await PayrollPeriod.update({PayrollPeriod.computed_at: now}).where(
            PayrollPeriod.id == period_id
        )


async def _entries(
    rules: Sequence[Rule], payees: Payees, first_day: dt.date, last_day: dt.date
) -> list[Entry]:
    work = await orders.closed_work(*_bounds(first_day, last_day))
    return reckon(rules, payees, work, first_day, last_day)


async def _corrections(period: dict[str, Any]) -> list[tuple[int, Entry]]:
    """What each recently locked period before this one would pay now, by the rules and the
    employees it was locked with, less what it paid and what later periods corrected already."""
    since = period["first_day"] - dt.timedelta(days=CORRECTED_BACK)
    locked = (
        await PayrollPeriod.select()
        .where(
            PayrollPeriod.state == "locked",
            PayrollPeriod.last_day < period["first_day"],
            PayrollPeriod.last_day >= since,
        )
        .output(load_json=True)
    )
    found: list[tuple[int, Entry]] = []
    for old in locked:
        kept = old["rules"] or {}
        rules = [Rule.of(r) for r in kept.get("rules", [])]
        payees = Payees(
            [(e[0], e[1], tuple(e[2])) for e in kept.get("employees", [])],
            {int(k): (v[0], v[1]) for k, v in kept.get("worked", {}).items()},
        )
        now = {e.key: e for e in await _entries(rules, payees, old["first_day"], old["last_day"])}
        paid: dict[tuple[str, int, str, int | None], Decimal] = defaultdict(lambda: ZERO)
        numbers: dict[int, str] = {}
        for line in await PayrollLine.select().where(
            ((PayrollLine.period_id == old["id"]) & (PayrollLine.for_period_id.is_null()))
            | ((PayrollLine.for_period_id == old["id"]) & (PayrollLine.period_id != period["id"])),
            PayrollLine.manual.eq(False),
        ):
            paid[(line["payee"], line["payee_id"], line["kind"], line["order_id"])] += line[
                "amount"
            ]
            if line["order_id"]:
                numbers[line["order_id"]] = line["order_number"]
        for key in set(now) | set(paid):
            should = now[key].amount if key in now else ZERO
            difference = should - paid.get(key, ZERO)
            if difference:
                payee, payee_id, kind, order_id = key
                number = now[key].order_number if key in now else numbers.get(order_id or 0, "")
                detail = {"was": str(paid.get(key, ZERO)), "now": str(should)}
                found.append((old["id"], Entry(payee, payee_id, kind, difference, detail,
                                               order_id, number)))  # fmt: skip
    return found


INSERT_LINES = """
INSERT INTO payroll_line (period_id, payee, payee_id, kind, order_id, order_number, amount,
                          detail, reason, for_period_id, manual, created_at)
SELECT {}, payee, payee_id, kind, order_id, order_number, amount, detail::jsonb, '', corrects,
       false, {}
FROM unnest({}::varchar[], {}::int[], {}::varchar[], {}::int[], {}::varchar[], {}::numeric[],
            {}::text[], {}::int[]) AS t(payee, payee_id, kind, order_id, order_number, amount,
                                        detail, corrects)
"""


async def _write(
    period_id: int, entries: Sequence[tuple[int | None, Entry]], now: dt.datetime
) -> None:
    """Every computed line in one statement, however many (its fields travel as arrays)."""
    if not entries:
        return
    columns: list[list[Any]] = [[] for _ in range(8)]
    for corrects, e in entries:
        values = (e.payee, e.payee_id, e.kind, e.order_id, e.order_number, e.amount,
                  json.dumps(dict(e.detail)), corrects)  # fmt: skip
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    await PayrollLine.raw(INSERT_LINES, period_id, now, *columns)


async def adjust(actor: Actor, period_id: int, data: AdjustmentIn) -> None:
    """A bonus or a deduction by hand, on an open period."""
    actor.require(Section.PAYROLL, Action.EDIT)
    amount = round_money(checked(data.amount, "amount", above_low=True))
    if (data.employee_id is None) == (data.organization_id is None):
        raise InvalidInput("Choose an employee or a partner", field="employee_id")
    if data.employee_id and data.employee_id not in await staff.names([data.employee_id]):
        raise InvalidInput("Choose one of the offered values", field="employee_id")
    async with PayrollPeriod._meta.db.transaction():
        period = await _row(period_id, lock=True)
        if period["state"] != "open":
            raise InvalidInput(
                "The period is {state}: enter it in the next one", field="amount",
                state=Msg(STATE_LABELS[period["state"]]),
            )  # fmt: skip
        payee = "employee" if data.employee_id else "partner"
        payee_id = data.employee_id or data.organization_id
        assert payee_id is not None
        signed = amount if data.kind == "bonus" else -amount
        await PayrollLine.insert(
            PayrollLine(
                period_id=period_id, payee=payee, payee_id=payee_id, kind=data.kind,
                amount=signed, reason=" ".join(data.reason.split()), manual=True,
                author_id=actor.employee_id or None, created_at=dt.datetime.now(dt.UTC),
            )
        )  # fmt: skip
        await audit.record(
            actor, "payroll_period", period_id, data.kind,
            {"amount": [None, str(signed)], "reason": [None, data.reason]},
        )  # fmt: skip


async def approve(actor: Actor, period_id: int) -> None:
    """Mark the computed period reviewed: it is not computed again unless reopened."""
    actor.require(Section.PAYROLL, Action.EDIT)
    await _move(
        actor, period_id, "open", "approved", PayrollPeriod.approved_by, PayrollPeriod.approved_at
    )


async def reopen(actor: Actor, period_id: int) -> None:
    """Take an approved (not locked) period back to open."""
    actor.require(Section.PAYROLL, Action.EDIT)
    await _move(
        actor,
        period_id,
        "approved",
        "open",
        PayrollPeriod.approved_by,
        PayrollPeriod.approved_at,
        clear=True,
    )


async def lock(actor: Actor, period_id: int) -> None:
    """Lock the approved period with the rules it was computed by: it never changes again."""
    actor.require(Section.PAYROLL, Action.EDIT)
    async with PayrollPeriod._meta.db.transaction():
        period = await _row(period_id, lock=True)
        if period["state"] != "approved":
            raise Conflict("Approve the period before locking it")
        worked = await timeclock.worked(period["first_day"], period["last_day"])
        kept = {
            "rules": [r.stored() for r in await current_rules()],
            "employees": [list(e) for e in await staff.employees_with_roles()],
            "worked": {str(k): list(v) for k, v in worked.items()},
        }
        await PayrollPeriod.update(
            {
                PayrollPeriod.state: "locked",
                PayrollPeriod.rules: kept,
                PayrollPeriod.locked_by: actor.employee_id or None,
                PayrollPeriod.locked_at: dt.datetime.now(dt.UTC),
            }
        ).where(PayrollPeriod.id == period_id)
        await audit.record(
            actor, "payroll_period", period_id, "lock", {"state": ["approved", "locked"]}
        )


async def _move(
    actor: Actor, period_id: int, before: str, after: str, by: Any, at: Any, *, clear: bool = False
) -> None:
    async with PayrollPeriod._meta.db.transaction():
        period = await _row(period_id, lock=True)
        if period["state"] != before:
            raise Conflict("The period is {state}", state=Msg(STATE_LABELS[period["state"]]))
        values = {
            PayrollPeriod.state: after,
            by: None if clear else (actor.employee_id or None),
            at: None if clear else dt.datetime.now(dt.UTC),
        }
        await PayrollPeriod.update(values).where(PayrollPeriod.id == period_id)
        await audit.record(actor, "payroll_period", period_id, "update", {"state": [before, after]})
