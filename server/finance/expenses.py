"""Expenses: posted with a number (РХ-000001), a category, a day and the order they were for;
never edited: a mistake is undone by a reversal (the opposite amount, with the reason)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import msgspec

from server import clock, counters
from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput
from server.fieldaccess import check_writable, hidden_fields
from server.finance.categories import all_categories
from server.finance.reversal import locked_original, reason_of
from server.finance.schemas import ExpenseIn, ExpenseList, ExpenseOut, ReversalIn
from server.finance.tables import Expense, ExpenseCounter
from server.money import ZERO, checked, round_money
from server.orders import api as orders
from server.staff import api as staff
from server.staff.permissions import Action, Section

DEFAULT_FORMAT = "РХ-{n:06d}"
PAGE = 500  # expenses listed per period
EARLIEST = dt.date(2000, 1, 1)


async def _number() -> str:
    pattern = os.environ.get("SERVIO_EXPENSE_NUMBER_FORMAT", DEFAULT_FORMAT)
    return await counters.next_number(ExpenseCounter, pattern)


def posting_day(value: dt.date | None) -> dt.date:
    """The day a document is posted on: today when not given, never a day to come."""
    today = clock.today()
    day = value or today
    if day > today:
        raise InvalidInput("The day is still to come", field="day")
    if day < EARLIEST:
        raise InvalidInput("Too early", field="day")
    return day


async def create_expense(actor: Actor, data: ExpenseIn) -> ExpenseOut:
    """Post an expense."""
    actor.require(Section.FINANCE, Action.CREATE)
    amount = round_money(checked(data.amount, "amount", above_low=True))
    categories = {c["id"]: c for c in await all_categories()}
    category = categories.get(data.category_id)
    if category is None or not category["is_active"]:
        raise InvalidInput("Choose one of the offered values", field="category_id")
    day = posting_day(data.day)
    if day != clock.today():  # a role may be kept to today's date ("expense.day" read-only)
        check_writable(actor, "expense", ["day"])
    order_number = ""
    if data.order_id is not None:
        refs = await orders.order_refs(actor, [data.order_id])
        if data.order_id not in refs:
            raise InvalidInput("No order with id {id}", field="order_id", id=data.order_id)
        order_number = refs[data.order_id].number
    async with Expense._meta.db.transaction():
        number = await _number()
        rows = await Expense.insert(
            Expense(
                number=number,
                category_id=category["id"],
                day=day,
                amount=amount,
                description=" ".join(data.description.split()),
                order_id=data.order_id,
                order_number=order_number,
                author_id=actor.employee_id or None,
                created_at=dt.datetime.now(dt.UTC),
            )
        ).returning(Expense.id)
        expense_id = rows[0]["id"]
        await audit.record(
            actor, "expense", expense_id, "create",
            {"number": [None, number], "amount": [None, str(amount)],
             "category_id": [None, category["name"]]},
        )  # fmt: skip
    return await _one(actor, expense_id)


async def reverse_expense(actor: Actor, expense_id: int, data: ReversalIn) -> ExpenseOut:
    """Undo an expense by its reversal (once)."""
    actor.require(Section.FINANCE, Action.CREATE)
    reason = reason_of(data.reason)
    async with Expense._meta.db.transaction():
        original = await locked_original(
            Expense, expense_id, "No such expense", "The expense is reversed already"
        )
        number = await _number()
        made = await Expense.insert(
            Expense(
                number=number,
                category_id=original["category_id"],
                day=clock.today(),
                amount=-original["amount"],
                description=f"Сторно {original['number']}: {reason}",
                order_id=original["order_id"],
                order_number=original["order_number"],
                reverses=expense_id,
                author_id=actor.employee_id or None,
                created_at=dt.datetime.now(dt.UTC),
            )
        ).returning(Expense.id)
        await audit.record(actor, "expense", expense_id, "reverse", {"reason": [None, reason]})
    return await _one(actor, made[0]["id"])


async def _one(actor: Actor, expense_id: int) -> ExpenseOut:
    row = await Expense.select().where(Expense.id == expense_id).first()
    assert row is not None
    return (await _out(actor, [row]))[0]


async def list_expenses(
    actor: Actor, first_day: dt.date, last_day: dt.date, category_id: int | None = None
) -> ExpenseList:
    """A period's expenses, newest first, with their sum."""
    actor.require(Section.FINANCE, Action.VIEW)
    query = Expense.select().where(Expense.day >= first_day, Expense.day <= last_day)
    if category_id is not None:
        query = query.where(Expense.category_id == category_id)
    rows = (
        await query.order_by(Expense.day, ascending=False)
        .order_by(Expense.id, ascending=False)
        .limit(PAGE)
    )
    total = sum((r["amount"] for r in rows), ZERO)
    return ExpenseList(items=await _out(actor, list(rows)), total=total)


async def sums_by_day(first_day: dt.date, last_day: dt.date) -> dict[tuple[dt.date, int], Decimal]:
    """Expenses by (day, category) over the period, reversals netted."""
    rows = await Expense.raw(
        "SELECT day, category_id, sum(amount) AS amount FROM finance_expense"
        " WHERE day BETWEEN {} AND {} GROUP BY 1, 2",
        first_day,
        last_day,
    )
    return {(r["day"], r["category_id"]): r["amount"] for r in rows}


async def _out(actor: Actor, rows: list[dict[str, Any]]) -> list[ExpenseOut]:
    categories = {c["id"]: c["name"] for c in await all_categories()}
    names = await staff.names({r["author_id"] for r in rows if r["author_id"]})
    readable = await orders.orders_in_scope(actor, {r["order_id"] for r in rows if r["order_id"]})
    ids = [r["id"] for r in rows]
    reversed_by = {
        r["reverses"]: r["id"]
        for r in await Expense.select(Expense.id, Expense.reverses).where(
            Expense.reverses.is_in(ids or [0])
        )
    }
    hidden = hidden_fields(actor, "expense")
    found = []
    for r in rows:
        shown = r["order_id"] in readable
        found.append(
            ExpenseOut(
                id=r["id"],
                number=r["number"],
                category_id=r["category_id"],
                category_name=categories.get(r["category_id"], ""),
                day=msgspec.UNSET if "day" in hidden else r["day"],
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
