"""What the payroll API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class CoefficientIn(msgspec.Struct, forbid_unknown_fields=True):
    """A factor on the rewards of orders of one partner (its id) or one brand (its name)."""

    kind: Annotated[str, msgspec.Meta(pattern="^(partner|brand)$")]
    key: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    factor: Decimal


class RuleIn(msgspec.Struct, forbid_unknown_fields=True):
    """How a role, an employee or a partner service center is paid (exactly one of the three)."""

    role_code: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    employee_id: Id | None = None
    organization_id: Id | None = None
    base_kind: Annotated[str, msgspec.Meta(pattern="^(none|month|shift|hour)$")] = "none"
    base_amount: Decimal = Decimal("0")
    work_percent: Decimal = Decimal("0")
    margin_percent: Decimal = Decimal("0")
    per_line: dict[Annotated[str, msgspec.Meta(pattern="^(service|part|good)$")], Decimal] = {}
    coefficients: Annotated[list[CoefficientIn], msgspec.Meta(max_length=50)] = []


class RuleOut(msgspec.Struct, frozen=True):
    """A stored rule, with the name of whom it is for."""

    id: int
    target: str  # role | employee | partner
    target_name: str
    role_code: str | None
    employee_id: int | None
    organization_id: int | None
    base_kind: str
    base_amount: Decimal
    work_percent: Decimal
    margin_percent: Decimal
    per_line: dict[str, Decimal]
    coefficients: list[CoefficientIn]


class PeriodIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new period; the current month by default."""

    first_day: dt.date | None = None
    last_day: dt.date | None = None


class AdjustmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A bonus or deduction by hand, for an employee or a partner, and why."""

    kind: Annotated[str, msgspec.Meta(pattern="^(bonus|deduction)$")]
    amount: Decimal
    reason: Reason
    employee_id: Id | None = None
    organization_id: Id | None = None


class LineOut(msgspec.Struct, frozen=True):
    """One amount of a period."""

    id: int
    kind: str
    kind_label: str
    amount: Decimal
    order_id: int | None
    order_number: str
    basis: str
    for_period: str  # "" or the corrected period, as «01.11.2026–30.11.2026»
    manual: bool


class PayeeOut(msgspec.Struct, frozen=True):
    """What a period pays one employee or partner, by kind and line by line."""

    payee: str
    payee_id: int
    name: str
    total: Decimal
    by_kind: dict[str, Decimal]
    orders: int
    lines: list[LineOut]


class PeriodBrief(msgspec.Struct, frozen=True):
    """A period in the list."""

    id: int
    first_day: dt.date
    last_day: dt.date
    state: str
    state_label: str
    total: Decimal
    computed_at: dt.datetime | None


class PeriodOut(msgspec.Struct, frozen=True):
    """A period with everyone it pays."""

    id: int
    first_day: dt.date
    last_day: dt.date
    state: str
    state_label: str
    total: Decimal
    computed_at: dt.datetime | None
    approved_by: str
    locked_by: str
    payees: list[PayeeOut]


class PeriodList(msgspec.Struct, frozen=True):
    """Periods, newest first."""

    items: list[PeriodBrief]


class MyFigures(msgspec.Struct, frozen=True):
    """An employee's own figures of the current period, live."""

    first_day: dt.date
    last_day: dt.date
    orders_done: int
    earned: Decimal
    by_kind: dict[str, Decimal]
    ratings: int
    average_rating: float | None
    has_rule: bool


class PartnerSheet(msgspec.Struct, frozen=True):
    """What a locked period's report sheet owes one partner service center."""

    period_id: int
    organization_id: int
    first_day: dt.date
    last_day: dt.date
    locked_at: dt.datetime
    amount: Decimal
