"""A period's finances: income (payments less refunds: the cash desk's documents, and the
payments orders hold from before the cash desk; and what partners paid the center), expenses by
category (those posted here, the shipments' costs as delivery, the parts orders used as parts,
what was paid to partners), profit, and the same by day (a period up to two months) or by
month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import msgspec

from server.actor import Actor
from server.cashdesk import api as cashdesk
from server.config import get_settings
from server.deliveries import api as deliveries
from server.errors import InvalidInput
from server.fieldaccess import hidden_fields
from server.finance import expenses, settlements
from server.finance.categories import DELIVERY, PARTNERS, PARTS, all_categories
from server.finance.schemas import CategoryTotal, FinanceSummary, PeriodPoint
from server.money import ZERO
from server.orders import api as orders
from server.staff.permissions import Action, Section
from server.stock import api as stock

PROFIT_FROM = frozenset({"income", "expenses"})  # hiding either hides the profit
DAILY_UP_TO = 62  # days; a longer period is shown by month
LONGEST = 3 * 366  # days a summary may cover


def month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def check_period(first_day: dt.date, last_day: dt.date) -> None:
    """A period people may ask for: in order, at most three years."""
    if last_day < first_day:
        raise InvalidInput("The end comes before the start", field="date_to")
    if (last_day - first_day).days > LONGEST:
        raise InvalidInput("At most three years at a time", field="date_from")


async def summary(actor: Actor, first_day: dt.date, last_day: dt.date) -> FinanceSummary:
    """Income, expenses and profit of the period, by category and by day or month."""
    actor.require(Section.FINANCE, Action.VIEW)
    check_period(first_day, last_day)
    zone = get_settings().timezone
    money = await cashdesk.money_by_day(first_day, last_day, zone)
    for day, (received, refunded) in (
        await orders.undocumented_payments_by_day(first_day, last_day, zone)
    ).items():
        had = money.get(day, (ZERO, ZERO))
        money[day] = (had[0] + received, had[1] + refunded)
    categories = await all_categories()
    by_code = {c["code"]: c for c in categories if c["code"]}
    spent: dict[tuple[dt.date, int], Decimal] = defaultdict(lambda: ZERO)
    for key, amount in (await expenses.sums_by_day(first_day, last_day)).items():
        spent[key] += amount
    for code, costs in (
        (DELIVERY, await deliveries.costs_by_day(first_day, last_day)),
        (PARTS, await stock.order_parts_cost_by_day(first_day, last_day, zone)),
    ):
        for day, amount in costs.items():
            spent[(day, by_code[code]["id"])] += amount
    from_partners: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for (day, kind), amount in (await settlements.money_by_day(first_day, last_day)).items():
        if kind == "payout":  # (under "other" if a category of the name kept it from being made)
            spent[(day, (by_code.get(PARTNERS) or by_code["other"])["id"])] += amount
        else:
            from_partners[day] += amount
    partners_paid = sum(from_partners.values(), ZERO)
    received = sum((r for r, _ in money.values()), ZERO)
    refunded = sum((f for _, f in money.values()), ZERO)
    per_category: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (_day, category_id), amount in spent.items():
        per_category[category_id] += amount
    total_spent = sum(per_category.values(), ZERO)
    step = "day" if (last_day - first_day).days < DAILY_UP_TO else "month"
    hidden = hidden_fields(actor, "finance")
    income: dict[str, Any] = {
        "received": received,
        "refunded": refunded,
        "from_partners": partners_paid,
        "income": received - refunded + partners_paid,
    }
    outgo: dict[str, Any] = {
        "expenses": total_spent,
        "by_category": [
            CategoryTotal(c["code"], c["name"], per_category[c["id"]])
            for c in categories
            if per_category.get(c["id"])
        ],
    }
    shown = {
        **({} if "income" in hidden else income),
        **({} if "expenses" in hidden else outgo),
        **({} if hidden & PROFIT_FROM else {"profit": income["income"] - total_spent}),
    }
    return FinanceSummary(
        first_day=first_day,
        last_day=last_day,
        step=step,
        points=_points(first_day, last_day, step, money, from_partners, spent, hidden),
        **shown,
    )


def _points(
    first_day: dt.date,
    last_day: dt.date,
    step: str,
    money: dict[dt.date, tuple[Decimal, Decimal]],
    from_partners: dict[dt.date, Decimal],
    spent: dict[tuple[dt.date, int], Decimal],
    hidden: frozenset[str],
) -> list[PeriodPoint]:
    key = (lambda d: d) if step == "day" else month_start
    income: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    outgo: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
    for day, (received, refunded) in money.items():
        income[key(day)] += received - refunded
    for day, amount in from_partners.items():
        income[key(day)] += amount
    for (day, _category), amount in spent.items():
        outgo[key(day)] += amount
    starts = []
    day = key(first_day)
    while day <= last_day:
        starts.append(day)
        day = day + dt.timedelta(days=1) if step == "day" else _next_month(day)
    return [
        PeriodPoint(
            s,
            msgspec.UNSET if "income" in hidden else income[s],
            msgspec.UNSET if "expenses" in hidden else outgo[s],
        )
        for s in starts
    ]


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
