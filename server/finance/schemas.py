"""What the finance API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec

Money = Decimal  # bounded by the services, which name the field
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Text = Annotated[str, msgspec.Meta(max_length=500)]


class CategoryIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new expense category."""

    name: Name


class CategoryPatch(msgspec.Struct, forbid_unknown_fields=True):
    """A category renamed, or switched off or on."""

    name: Name | None = None
    is_active: bool | None = None


class CategoryOut(msgspec.Struct, frozen=True):
    """An expense category."""

    id: int
    code: str | None
    name: str
    is_active: bool


class ExpenseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Money spent."""

    category_id: Id
    amount: Money
    day: dt.date | None = None  # today when not given
    description: Text = ""
    order_id: Id | None = None


class ReversalIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why an expense is undone."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class ExpenseOut(msgspec.Struct, frozen=True):
    """A posted expense (a reversal has a negative amount and names the one it undoes)."""

    id: int
    number: str
    category_id: int
    category_name: str
    day: dt.date
    amount: Decimal
    description: str
    order_id: int | None
    order_number: str
    reverses: int | None
    reversed_by: int | None
    author_name: str
    created_at: dt.datetime


class ExpenseList(msgspec.Struct, frozen=True):
    """Expenses of a period, newest first."""

    items: list[ExpenseOut]
    total: Decimal


class CategoryTotal(msgspec.Struct, frozen=True):
    """What a category cost in the period."""

    code: str | None
    name: str
    amount: Decimal


class PeriodPoint(msgspec.Struct, frozen=True):
    """Income and expenses of one day or month of the period."""

    start: dt.date
    income: Decimal
    expenses: Decimal


class FinanceSummary(msgspec.Struct, frozen=True):
    """A period's income, expenses by category and profit."""

    first_day: dt.date
    last_day: dt.date
    received: Decimal
    refunded: Decimal
    income: Decimal
    expenses: Decimal
    profit: Decimal
    by_category: list[CategoryTotal]
    step: str  # day | month
    points: list[PeriodPoint]


class AgeBucket(msgspec.Struct, frozen=True):
    """Debts handed over this many days ago."""

    label: str
    amount: Decimal
    orders: int


class Debt(msgspec.Struct, frozen=True):
    """An order handed over with an amount still due."""

    order_id: int
    order_number: str
    client_id: int
    client_name: str
    closed_at: dt.datetime
    days: int
    amount_due: Decimal


class ClientBalance(msgspec.Struct, frozen=True):
    """What a client owes over all their orders handed over unpaid."""

    client_id: int
    client_name: str
    amount_due: Decimal
    orders: int


class Receivables(msgspec.Struct, frozen=True):
    """Orders handed over unpaid, by age, and what each client owes."""

    total: Decimal
    buckets: list[AgeBucket]
    debts: list[Debt]
    clients: list[ClientBalance]
