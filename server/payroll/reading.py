"""Reading periods: the list, one period with everyone it pays line by line (each line's basis
in the reader's language), and an employee's own figures of the current month, live."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from server import clock, formats
from server.actor import Actor
from server.errors import NotFound
from server.i18n import N_, gettext
from server.money import ZERO
from server.orders import api as orders
from server.partners import api as partners
from server.payroll.choices import KIND_LABELS, STATE_LABELS
from server.payroll.periods import _bounds, month_of
from server.payroll.reckon import Payees, reckon, rule_of_employee
from server.payroll.rules import current_rules
from server.payroll.schemas import LineOut, MyFigures, PayeeOut, PeriodBrief, PeriodOut
from server.payroll.tables import PayrollLine, PayrollPeriod
from server.ratings import api as ratings
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.timeclock import api as timeclock


def basis(line: dict[str, Any]) -> str:
    """How a line was reckoned, said in the reader's language."""
    detail = line["detail"] or {}
    if line["manual"]:
        return str(line["reason"])
    if "was" in detail:
        return gettext(
            "correction: was {was}, now {now}",
            was=formats.money(detail["was"]),
            now=formats.money(detail["now"]),
        )
    text = ""
    if line["kind"] in ("work", "margin"):
        of = (
            N_("{percent} of work {amount}")
            if line["kind"] == "work"
            else N_("{percent} of margin {amount}")
        )
        percent = formats.number(detail.get("percent", "0")) + "\u00a0%"
        text = gettext(of, percent=percent, amount=formats.money(detail["of"]))
    elif line["kind"] == "per_line":
        text = gettext("{lines} lines", lines=detail.get("lines", ""))
    elif "per_shift" in detail:
        text = gettext(
            "{amount} × {n} shifts", amount=formats.money(detail["per_shift"]), n=detail["shifts"]
        )
    elif "per_hour" in detail:
        hours = formats.number(round(int(detail["minutes"]) / 60, 2))
        text = gettext(
            "{amount} × {hours} h", amount=formats.money(detail["per_hour"]), hours=hours
        )
    elif line["kind"] == "base":
        text = gettext("monthly {amount}", amount=formats.money(detail.get("monthly", 0)))
    if "factor" in detail:
        text += f" × {formats.number(detail['factor'])}"
    return text


def _period_name(row: dict[str, Any]) -> str:
    return f"{formats.date(row['first_day'])}–{formats.date(row['last_day'])}"


async def list_periods(actor: Actor) -> list[PeriodBrief]:
    """Every period, newest first, with its total."""
    actor.require(Section.PAYROLL, Action.VIEW)
    rows = await PayrollPeriod.select().order_by(PayrollPeriod.first_day, ascending=False)
    totals = {
        r["period_id"]: r["total"]
        for r in await PayrollLine.raw(
            "SELECT period_id, sum(amount) AS total FROM payroll_line GROUP BY 1"
        )
    }
    return [
        PeriodBrief(r["id"], r["first_day"], r["last_day"], r["state"],
                    gettext(STATE_LABELS[r["state"]]), totals.get(r["id"], ZERO), r["computed_at"])
        for r in rows
    ]  # fmt: skip


def payee_of(employee_id: int | None, organization_id: int | None) -> tuple[str, int] | None:
    """The payee a query names, if any."""
    if employee_id is not None:
        return ("employee", employee_id)
    if organization_id is not None:
        return ("partner", organization_id)
    return None


async def period_out(
    actor: Actor, period_id: int, only: tuple[str, int] | None = None
) -> PeriodOut:
    """A period with everyone it pays by kind, and line by line (for one payee, if `only`
    names one: a month of a big center has tens of thousands of lines)."""
    actor.require(Section.PAYROLL, Action.VIEW)
    period = await PayrollPeriod.select().where(PayrollPeriod.id == period_id).first()
    if period is None:
        raise NotFound("No such payroll period")
    lines = (
        await PayrollLine.select()
        .where(PayrollLine.period_id == period_id)
        .order_by(PayrollLine.id)
        .output(load_json=True)
    )
    corrected = {
        r["id"]: _period_name(r)
        for r in await PayrollPeriod.select().where(
            PayrollPeriod.id.is_in([x["for_period_id"] for x in lines if x["for_period_id"]] or [0])
        )
    }
    people = await staff.names(
        {x["payee_id"] for x in lines if x["payee"] == "employee"}
        | {period["approved_by"] or 0, period["locked_by"] or 0}
    )
    orgs = await partners.names(x["payee_id"] for x in lines if x["payee"] == "partner")
    readable = await orders.orders_in_scope(actor, {x["order_id"] for x in lines if x["order_id"]})
    for line in lines:  # an order the reader may not read is not named
        if line["order_id"] not in readable:
            line.update(order_id=None, order_number="")
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        grouped[(line["payee"], line["payee_id"])].append(line)
    payees = []
    for (payee, payee_id), own in grouped.items():
        by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in own:
            by_kind[line["kind"]] += line["amount"]
        payees.append(
            PayeeOut(
                payee=payee,
                payee_id=payee_id,
                name=(people if payee == "employee" else orgs).get(payee_id, str(payee_id)),
                total=sum(by_kind.values(), ZERO),
                by_kind=dict(by_kind),
                orders=len({x["order_id"] for x in own if x["order_id"]}),
                lines=[
                    LineOut(
                        id=x["id"],
                        kind=x["kind"],
                        kind_label=gettext(KIND_LABELS[x["kind"]]),
                        amount=x["amount"],
                        order_id=x["order_id"],
                        order_number=x["order_number"],
                        basis=basis(x),
                        for_period=corrected.get(x["for_period_id"], ""),
                        manual=x["manual"],
                    )
                    for x in own
                ]
                if only in (None, (payee, payee_id))
                else [],
            )
        )
    payees.sort(key=lambda p: (p.payee != "employee", p.name))
    return PeriodOut(
        id=period["id"],
        first_day=period["first_day"],
        last_day=period["last_day"],
        state=period["state"],
        state_label=gettext(STATE_LABELS[period["state"]]),
        total=sum((p.total for p in payees), ZERO),
        computed_at=period["computed_at"],
        approved_by=people.get(period["approved_by"] or 0, ""),
        locked_by=people.get(period["locked_by"] or 0, ""),
        payees=payees,
    )


async def my_figures(actor: Actor, today: dt.date | None = None) -> MyFigures:
    """The actor's own month so far: orders closed, what they earned by the rules now, ratings.
    Everyone sees their own; nobody else's."""
    first, last = month_of(today or clock.today())
    start, end = _bounds(first, last)
    employees = [e for e in await staff.employees_with_roles() if e[0] == actor.employee_id]
    worked = {
        k: v for k, v in (await timeclock.worked(first, last)).items() if k == actor.employee_id
    }
    rules = await current_rules()
    work = [w for w in await orders.closed_work(start, end) if w.technician_id == actor.employee_id]
    entries = reckon(rules, Payees(employees, worked), work, first, last)
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if entry.payee == "employee":
            by_kind[entry.kind] += entry.amount
    count, average = await ratings.technician_scores(actor.employee_id, start, end)
    rule = rule_of_employee(rules, actor.employee_id, employees[0][2]) if employees else None
    return MyFigures(
        first_day=first,
        last_day=last,
        orders_done=len(work),
        earned=sum(by_kind.values(), ZERO),
        by_kind=dict(by_kind),
        ratings=count,
        average_rating=round(average, 2) if average is not None else None,
        has_rule=rule is not None,
    )
