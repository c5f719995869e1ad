"""The arithmetic of payroll, apart from storage: which rule pays whom, and what a period's
closed orders and base salaries come to. Amounts are Decimal, each line rounded half-up once."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server.money import ZERO, round_money
from server.orders.api import OrderWork

HUNDRED = Decimal(100)
LINE_KINDS = ("service", "part", "good")


def _plain(value: Decimal) -> str:
    """A number without trailing zeros or exponent: 20, 1.5."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Coefficient:
    """A factor on the rewards of orders of one partner (by id) or one brand (by name)."""

    kind: str  # partner | brand
    key: str
    factor: Decimal

    def applies(self, order: OrderWork) -> bool:
        """Whether the order is of this partner or brand."""
        if self.kind == "partner":
            return self.key in (str(order.source_org_id), str(order.service_center_id))
        return self.key.casefold() == order.brand.casefold()


@dataclass(frozen=True)
class Rule:
    """How one role, employee or partner is paid."""

    role_code: str | None = None
    employee_id: int | None = None
    organization_id: int | None = None
    base_kind: str = "none"
    base_amount: Decimal = ZERO
    work_percent: Decimal = ZERO
    margin_percent: Decimal = ZERO
    per_line: Mapping[str, Decimal] = field(default_factory=dict)
    coefficients: tuple[Coefficient, ...] = ()

    def factor(self, order: OrderWork) -> Decimal:
        """The product of the coefficients that apply to the order."""
        result = Decimal(1)
        for coefficient in self.coefficients:
            if coefficient.applies(order):
                result *= coefficient.factor
        return result

    def stored(self) -> dict[str, Any]:
        """The rule as a period keeps it at locking (JSON)."""
        return {
            "role_code": self.role_code,
            "employee_id": self.employee_id,
            "organization_id": self.organization_id,
            "base_kind": self.base_kind,
            "base_amount": str(self.base_amount),
            "work_percent": str(self.work_percent),
            "margin_percent": str(self.margin_percent),
            "per_line": {k: str(v) for k, v in self.per_line.items()},
            "coefficients": [
                {"kind": c.kind, "key": c.key, "factor": str(c.factor)} for c in self.coefficients
            ],
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Rule:
        """A rule from its stored form (a row, or a locked period's copy)."""
        return cls(
            role_code=data.get("role_code"),
            employee_id=data.get("employee_id"),
            organization_id=data.get("organization_id"),
            base_kind=data.get("base_kind") or "none",
            base_amount=Decimal(str(data.get("base_amount") or 0)),
            work_percent=Decimal(str(data.get("work_percent") or 0)),
            margin_percent=Decimal(str(data.get("margin_percent") or 0)),
            per_line={k: Decimal(str(v)) for k, v in (data.get("per_line") or {}).items()},
            coefficients=tuple(
                Coefficient(c["kind"], str(c["key"]), Decimal(str(c["factor"])))
                for c in data.get("coefficients") or []
            ),
        )


@dataclass(frozen=True)
class Entry:
    """One computed amount of a period."""

    payee: str  # employee | partner
    payee_id: int
    kind: str  # base | work | margin | per_line
    amount: Decimal
    detail: Mapping[str, str]
    order_id: int | None = None
    order_number: str = ""

    @property
    def key(self) -> tuple[str, int, str, int | None]:
        """What a correction compares: the same payee, kind and order."""
        return (self.payee, self.payee_id, self.kind, self.order_id)


@dataclass(frozen=True)
class Payees:
    """Who rules apply to: active employees with their roles, and what the time clock says
    they worked in the period (days with a check-in, minutes)."""

    employees: Sequence[tuple[int, str, tuple[str, ...]]]
    worked: Mapping[int, tuple[int, int]] = field(default_factory=dict)


def rule_of_employee(rules: Iterable[Rule], employee_id: int, roles: Sequence[str]) -> Rule | None:
    """The employee's own rule, else the first of their roles' rules (by role code)."""
    by_role: dict[str, Rule] = {}
    for rule in rules:
        if rule.employee_id == employee_id:
            return rule
        if rule.role_code:
            by_role[rule.role_code] = rule
    for code in sorted(roles):
        if code in by_role:
            return by_role[code]
    return None


def base_share(amount: Decimal, first_day: dt.date, last_day: dt.date) -> Decimal:
    """A monthly base for the period: whole months whole, the rest by days of their month."""
    total = ZERO
    day = first_day
    while day <= last_day:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        month_end = day.replace(day=days_in_month)
        end = min(month_end, last_day)
        total += amount * Decimal((end - day).days + 1) / Decimal(days_in_month)
        day = end + dt.timedelta(days=1)
    return round_money(total)


def order_entries(rule: Rule, payee: str, payee_id: int, order: OrderWork) -> list[Entry]:
    """What the rule pays for one closed order."""
    factor = rule.factor(order)
    extra = {"factor": _plain(factor)} if factor != 1 else {}
    found: list[tuple[str, Decimal, dict[str, str]]] = []
    services = order.totals.get("service", ZERO)
    if rule.work_percent and services:
        amount = round_money(services * rule.work_percent / HUNDRED * factor)
        found.append(("work", amount, {"percent": _plain(rule.work_percent),
                                       "of": str(services), **extra}))  # fmt: skip
    sold = order.totals.get("part", ZERO) + order.totals.get("good", ZERO)
    margin = sold - order.parts_cost
    if rule.margin_percent and margin > 0:
        amount = round_money(margin * rule.margin_percent / HUNDRED * factor)
        found.append(("margin", amount, {"percent": _plain(rule.margin_percent),
                                         "of": str(margin), **extra}))  # fmt: skip
    lines = sum(order.counts.get(kind, 0) for kind in LINE_KINDS if rule.per_line.get(kind))
    fixed = sum(
        (rule.per_line.get(kind, ZERO) * order.counts.get(kind, 0) for kind in LINE_KINDS), ZERO
    )
    if fixed:
        found.append(("per_line", round_money(fixed * factor), {"lines": str(lines), **extra}))
    return [
        Entry(payee, payee_id, kind, amount, detail, order.id, order.number)
        for kind, amount, detail in found
        if amount
    ]


def reckon(
    rules: Sequence[Rule],
    payees: Payees,
    work: Sequence[OrderWork],
    first_day: dt.date,
    last_day: dt.date,
) -> list[Entry]:
    """Every computed amount of the period: bases, and each closed order's share for its
    technician and for the partner service center that repaired it."""
    employee_rules = {
        employee_id: rule
        for employee_id, _name, roles in payees.employees
        if (rule := rule_of_employee(rules, employee_id, roles)) is not None
    }
    partner_rules = {r.organization_id: r for r in rules if r.organization_id is not None}
    entries: list[Entry] = []
    for employee_id, rule in employee_rules.items():
        if not rule.base_amount:
            continue
        days, minutes = payees.worked.get(employee_id, (0, 0))
        if rule.base_kind == "month":
            amount = base_share(rule.base_amount, first_day, last_day)
            detail = {"monthly": str(rule.base_amount)}
        elif rule.base_kind == "shift" and days:
            amount = round_money(rule.base_amount * days)
            detail = {"per_shift": str(rule.base_amount), "shifts": str(days)}
        elif rule.base_kind == "hour" and minutes:
            amount = round_money(rule.base_amount * minutes / 60)
            detail = {"per_hour": str(rule.base_amount), "minutes": str(minutes)}
        else:
            continue
        entries.append(Entry("employee", employee_id, "base", amount, detail))
    for order in work:
        if order.technician_id in employee_rules:
            rule = employee_rules[order.technician_id]
            entries += order_entries(rule, "employee", order.technician_id, order)
        if order.service_center_id in partner_rules:
            rule = partner_rules[order.service_center_id]
            entries += order_entries(rule, "partner", order.service_center_id, order)
    return entries
