"""Payroll as stored in PostgreSQL: rules, periods and their lines.

A period's computed lines are written again each time it is computed while open; its bonuses
and deductions are entered by hand. A locked period is never written again: what changes in it
later is put in the next computed period as corrections naming it.
"""

from decimal import Decimal

from piccolo.columns import (
    JSONB,
    Boolean,
    Date,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

MONEY = (12, 2)
ZERO = Decimal("0")
PERCENT = (5, 2)


class PayrollRule(Table, tablename="payroll_rule"):
    """How one role, one employee (over their roles) or one partner service center is paid."""

    id = Serial(primary_key=True)
    role_code = Varchar(length=50, null=True, default=None, unique=True)
    employee_id = Integer(null=True, default=None, unique=True)
    organization_id = Integer(null=True, default=None, unique=True)
    base_kind = Varchar(length=10, default="none", help_text="none | month | shift")
    base_amount = Numeric(digits=MONEY, default=ZERO)
    work_percent = Numeric(digits=PERCENT, default=ZERO, help_text="Of the work lines charged.")
    margin_percent = Numeric(digits=PERCENT, default=ZERO, help_text="Of parts and goods margin.")
    per_line = JSONB(default={}, help_text="{service|part|good: fixed amount per line}.")
    coefficients = JSONB(default=[], help_text="[{kind: partner|brand, key, factor}].")
    is_active = Boolean(default=True)
    updated_at = Timestamptz()


class PayrollPeriod(Table, tablename="payroll_period"):
    """A period (a month by default): open, approved, then locked with its rules kept."""

    id = Serial(primary_key=True)
    first_day = Date()
    last_day = Date()
    state = Varchar(length=10, default="open", help_text="open | approved | locked")
    rules = JSONB(default={}, help_text="{rules, employees} it was computed by, kept at locking.")
    computed_at = Timestamptz(null=True, default=None)
    approved_by = Integer(null=True, default=None)
    approved_at = Timestamptz(null=True, default=None)
    locked_by = Integer(null=True, default=None)
    locked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class PayrollLine(Table, tablename="payroll_line"):
    """One amount of a period for an employee or a partner: base, a share of an order's work,
    a bonus or deduction by hand, or a correction of an earlier locked period."""

    id = Serial(primary_key=True)
    period_id = Integer(index=True)
    payee = Varchar(length=10, help_text="employee | partner")
    payee_id = Integer()
    kind = Varchar(length=12, help_text="base | work | margin | per_line | bonus | deduction")
    order_id = Integer(null=True, default=None)
    order_number = Varchar(length=40, default="")
    amount = Numeric(digits=MONEY)
    detail = JSONB(default={}, help_text="How it was reckoned: {percent, of, factor} and such.")
    reason = Text(default="", help_text="Why, for one entered by hand.")
    for_period_id = Integer(null=True, default=None, help_text="The locked period corrected.")
    manual = Boolean(default=False)
    author_id = Integer(null=True, default=None)
    created_at = Timestamptz()
