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


class ExpenseOut(msgspec.Struct, frozen=True, omit_defaults=True):
    """A posted expense (a reversal has a negative amount and names the one it undoes)."""

    id: int
    number: str
    category_id: int
    category_name: str
    amount: Decimal
    description: str
    order_id: int | None
    order_number: str
    reverses: int | None
    reversed_by: int | None
    author_name: str
    created_at: dt.datetime
    day: dt.date | msgspec.UnsetType = msgspec.UNSET  # left out when hidden ("expense.day")


class ExpenseList(msgspec.Struct, frozen=True):
    """Expenses of a period, newest first."""

    items: list[ExpenseOut]
    total: Decimal


class CategoryTotal(msgspec.Struct, frozen=True):
    """What a category cost in the period."""

    code: str | None
    name: str
    amount: Decimal


class PeriodPoint(msgspec.Struct, frozen=True, omit_defaults=True):
    """Income and expenses of one day or month of the period (each left out when hidden)."""

    start: dt.date
    income: Decimal | msgspec.UnsetType = msgspec.UNSET
    expenses: Decimal | msgspec.UnsetType = msgspec.UNSET


class FinanceSummary(msgspec.Struct, frozen=True, omit_defaults=True):
    """A period's income, expenses by category and profit. A role may have the income or the
    expenses hidden (field access "finance.income", "finance.expenses"): those figures are left
    out, and the profit with either."""

    first_day: dt.date
    last_day: dt.date
    step: str  # day | month
    points: list[PeriodPoint]
    received: Decimal | msgspec.UnsetType = msgspec.UNSET
    refunded: Decimal | msgspec.UnsetType = msgspec.UNSET
    from_partners: Decimal | msgspec.UnsetType = msgspec.UNSET  # what partners paid the center
    income: Decimal | msgspec.UnsetType = msgspec.UNSET
    expenses: Decimal | msgspec.UnsetType = msgspec.UNSET
    profit: Decimal | msgspec.UnsetType = msgspec.UNSET
    by_category: list[CategoryTotal] | msgspec.UnsetType = msgspec.UNSET


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


class PartnerEntryIn(msgspec.Struct, forbid_unknown_fields=True):
    """A settlement with a partner: accrual, charge, payout or receipt."""

    kind: Annotated[str, msgspec.Meta(pattern="^(accrual|charge|payout|receipt)$")]
    amount: Money
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    day: dt.date | None = None  # today when not given
    order_id: Id | None = None


class PartnerEntryOut(msgspec.Struct, frozen=True):
    """A posted settlement entry (a reversal has a negative amount and names the one undone)."""

    id: int
    number: str
    organization_id: int
    kind: str
    kind_label: str
    day: dt.date
    amount: Decimal
    description: str
    order_id: int | None
    order_number: str
    reverses: int | None
    reversed_by: int | None
    author_name: str
    created_at: dt.datetime


class PartnerBalance(msgspec.Struct, frozen=True):
    """Where the center stands with a partner: positive, the center owes it; negative, it owes
    the center."""

    organization_id: int
    name: str
    kind: str
    sheets: Decimal  # the locked periods' report sheets
    accrued: Decimal
    charged: Decimal
    paid_out: Decimal
    received: Decimal
    balance: Decimal


class StatementLine(msgspec.Struct, frozen=True):
    """One line of a reconciliation statement: a report sheet or an entry, in whose favour."""

    day: dt.date
    number: str
    text: str
    to_partner: Decimal  # raises what the center owes the partner
    to_center: Decimal  # raises what the partner owes the center
    entry: PartnerEntryOut | None  # None for a report sheet
    period_id: int | None


class Statement(msgspec.Struct, frozen=True):
    """A reconciliation statement of a period: the balance before, the lines, the balance after."""

    organization_id: int
    name: str
    first_day: dt.date
    last_day: dt.date
    opening: Decimal
    lines: list[StatementLine]
    to_partner: Decimal
    to_center: Decimal
    closing: Decimal
