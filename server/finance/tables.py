"""Finance as stored in PostgreSQL: expense categories, expenses, the partners' settlement
entries and their numbering.

An expense or an entry is posted once and never edited: a mistake is reversed by another one of
the opposite amount naming it. Orders, employees and partners belong to other domains and are
kept by id.
"""

from piccolo.columns import Boolean, Date, Integer, Numeric, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

MONEY = (12, 2)


class ExpenseCategory(Table, tablename="finance_expense_category"):
    """What money is spent on; the built-in ones have a code (delivery, parts, rent, ...)."""

    id = Serial(primary_key=True)
    code = Varchar(length=30, null=True, default=None, unique=True)
    name = Varchar(length=100, unique=True)
    is_active = Boolean(default=True)
    sort = Integer(default=0)


class Expense(Table, tablename="finance_expense"):
    """Money spent, on a day, in a category, for an order where there is one."""

    id = Serial(primary_key=True)
    number = Varchar(length=40, unique=True)
    category_id = Integer(index=True)
    day = Date(index=True, help_text="The center's day the money was spent.")
    amount = Numeric(digits=MONEY, help_text="Negative for a reversal.")
    description = Text(default="")
    order_id = Integer(null=True, default=None, index=True)
    order_number = Varchar(length=40, default="")
    reverses = Integer(null=True, default=None, unique=True, help_text="The expense undone.")
    author_id = Integer(null=True, default=None)
    created_at = Timestamptz()


class PartnerEntry(Table, tablename="finance_partner_entry"):
    """A settlement with a partner beside its report sheets: money the center owes it for
    something else (accrual), money it owes the center (charge: parts, money it took for the
    center, a penalty), and what either paid the other (payout, receipt)."""

    id = Serial(primary_key=True)
    number = Varchar(length=40, unique=True)
    organization_id = Integer(index=True)
    kind = Varchar(length=10, help_text="accrual | charge | payout | receipt")
    day = Date(index=True)
    amount = Numeric(digits=MONEY, help_text="Negative for a reversal.")
    description = Text(default="")
    order_id = Integer(null=True, default=None)
    order_number = Varchar(length=40, default="")
    reverses = Integer(null=True, default=None, unique=True, help_text="The entry undone.")
    author_id = Integer(null=True, default=None)
    created_at = Timestamptz()


class ExpenseCounter(Table, tablename="finance_number_counter"):
    """Last expense and settlement number given per prefix."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)
