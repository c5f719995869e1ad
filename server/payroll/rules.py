"""Payroll rules: one per role, per employee (over their roles' rule) or per partner service
center; checked as typed, replaced whole when saved again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.i18n import gettext
from server.money import checked, round_money
from server.partners import api as partners
from server.payroll.reckon import Rule
from server.payroll.schemas import CoefficientIn, RuleIn, RuleOut
from server.payroll.tables import PayrollRule
from server.staff import api as staff
from server.staff.permissions import Action, Section

MAX_PERCENT = Decimal(100)
MAX_FACTOR = Decimal(10)


async def current_rules() -> list[Rule]:
    """Every active rule, for computing."""
    rows = await PayrollRule.select().where(PayrollRule.is_active.eq(True)).output(load_json=True)
    return [Rule.of(r) for r in rows]


def _percent(value: Decimal, field: str) -> Decimal:
    return checked(value, field, high=MAX_PERCENT).quantize(Decimal("0.01"))


async def _check(data: RuleIn) -> dict[str, Any]:
    targets = [x for x in (data.role_code, data.employee_id, data.organization_id) if x]
    if len(targets) != 1:
        raise InvalidInput("Choose a role, an employee or a partner", field="role_code")
    if data.role_code and data.role_code not in await staff.known_role_codes():
        raise InvalidInput("Choose one of the offered values", field="role_code")
    if data.employee_id and data.employee_id not in await staff.names([data.employee_id]):
        raise InvalidInput("Choose one of the offered values", field="employee_id")
    if data.organization_id and await partners.organization(data.organization_id) is None:
        raise InvalidInput("Choose one of the offered values", field="organization_id")
    if data.organization_id and data.base_kind != "none":
        raise InvalidInput("A partner is paid for work, not a salary", field="base_kind")
    for index, c in enumerate(data.coefficients):
        checked(c.factor, f"coefficients.{index}.factor", high=MAX_FACTOR, above_low=True)
    return {
        "role_code": data.role_code,
        "employee_id": data.employee_id,
        "organization_id": data.organization_id,
        "base_kind": data.base_kind,
        "base_amount": round_money(checked(data.base_amount, "base_amount")),
        "work_percent": _percent(data.work_percent, "work_percent"),
        "margin_percent": _percent(data.margin_percent, "margin_percent"),
        "per_line": {
            k: str(round_money(checked(v, f"per_line.{k}"))) for k, v in data.per_line.items()
        },
        "coefficients": [
            {"kind": c.kind, "key": " ".join(c.key.split()), "factor": str(c.factor)}
            for c in data.coefficients
        ],
    }


async def save_rule(actor: Actor, data: RuleIn) -> RuleOut:
    """Set how a role, an employee or a partner is paid (their earlier rule replaced)."""
    actor.require(Section.PAYROLL, Action.EDIT)
    values = await _check(data)
    async with PayrollRule._meta.db.transaction():
        for name in ("role_code", "employee_id", "organization_id"):
            if values[name]:
                column = getattr(PayrollRule, name)
                await PayrollRule.delete().where(column == values[name])
        rows = await PayrollRule.insert(
            PayrollRule(**values, updated_at=dt.datetime.now(dt.UTC))
        ).returning(PayrollRule.id)
        await audit.record(
            actor, "payroll_rule", rows[0]["id"], "update",
            {k: [None, str(v)] for k, v in values.items() if v not in (None, {}, [])},
        )  # fmt: skip
    return (await list_rules(actor, [rows[0]["id"]]))[0]


async def delete_rule(actor: Actor, rule_id: int) -> None:
    """Remove a rule (periods locked with it keep their copy)."""
    actor.require(Section.PAYROLL, Action.EDIT)
    if not await PayrollRule.exists().where(PayrollRule.id == rule_id):
        raise NotFound("No such rule")
    await PayrollRule.delete().where(PayrollRule.id == rule_id)
    await audit.record(actor, "payroll_rule", rule_id, "delete", {})


async def list_rules(actor: Actor, only: list[int] | None = None) -> list[RuleOut]:
    """The rules: roles', then employees', then partners'."""
    actor.require(Section.PAYROLL, Action.VIEW)
    query = PayrollRule.select().output(load_json=True).order_by(PayrollRule.id)
    if only is not None:
        query = query.where(PayrollRule.id.is_in(only))
    rows = await query
    roles = await staff.role_names()
    people = await staff.names({r["employee_id"] for r in rows if r["employee_id"]})
    orgs = await partners.names(r["organization_id"] for r in rows)
    found = []
    for r in rows:
        if r["role_code"]:
            target, name = "role", gettext(roles.get(r["role_code"], r["role_code"]))
        elif r["employee_id"]:
            target, name = "employee", people.get(r["employee_id"], "")
        else:
            target, name = "partner", orgs.get(r["organization_id"], "")
        found.append(
            RuleOut(
                id=r["id"],
                target=target,
                target_name=name,
                role_code=r["role_code"],
                employee_id=r["employee_id"],
                organization_id=r["organization_id"],
                base_kind=r["base_kind"],
                base_amount=r["base_amount"],
                work_percent=r["work_percent"],
                margin_percent=r["margin_percent"],
                per_line={k: Decimal(v) for k, v in (r["per_line"] or {}).items()},
                coefficients=[
                    CoefficientIn(c["kind"], c["key"], Decimal(c["factor"]))
                    for c in r["coefficients"] or []
                ],
            )
        )
    order = {"role": 0, "employee": 1, "partner": 2}
    return sorted(found, key=lambda x: (order[x.target], x.target_name))
