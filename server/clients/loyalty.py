"""Loyalty rules: settings of automatic discounts, and which rule a client's totals reach."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.clients import validation as check
from server.clients.schemas import LoyaltyRuleCreate, LoyaltyRulePatch
from server.clients.tables import LoyaltyRule
from server.errors import InvalidInput, NotFound
from server.staff.permissions import Action, Section


def number(value: Decimal) -> str:
    """A decimal without trailing zeros: 5, 7.5, 12500."""
    return f"{value.normalize():f}"


def _orders_word(count: int) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return "выполненный заказ"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "выполненных заказа"
    return "выполненных заказов"


def _money(value: Decimal) -> str:
    whole = f"{value.quantize(Decimal('1')):,}".replace(",", "\u00a0")
    return f"{whole}\u00a0₽"


def reaches(rule: dict[str, Any], stats: dict[str, Any]) -> bool:
    """True when the totals meet every condition the rule sets (it sets at least one)."""
    orders, spend = rule["min_completed_orders"], rule["min_total_spend"]
    if orders is None and spend is None:
        return False
    if orders is not None and stats["completed_orders"] < orders:
        return False
    return spend is None or stats["total_spend"] >= spend


async def best_rule(stats: dict[str, Any]) -> dict[str, Any] | None:
    """The active rule with the biggest percent that the totals reach, or None."""
    rules = await LoyaltyRule.select().where(LoyaltyRule.is_active.eq(True))
    reached = [r for r in rules if reaches(r, stats)]
    return max(reached, key=lambda r: (r["percent"], -r["id"]), default=None)


def reason(rule: dict[str, Any], stats: dict[str, Any]) -> str:
    """«Правило «Постоянный клиент»: 10 выполненных заказов» — why the rule applies."""
    if rule["min_completed_orders"] is not None:
        count = stats["completed_orders"]
        why = f"{count} {_orders_word(count)}"
    else:
        why = f"заказов на {_money(stats['total_spend'])}"
    return f"Правило «{rule['name']}»: {why}"


def _out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "min_completed_orders": row["min_completed_orders"],
        "min_total_spend": row["min_total_spend"],
        "percent": row["percent"],
        "is_active": row["is_active"],
    }


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "name" in values:
        cleaned["name"] = check.text(values["name"], "name", required=True)
    if "percent" in values:
        cleaned["percent"] = check.percent(values["percent"], "percent")
        if cleaned["percent"] <= 0:
            raise InvalidInput("Enter a percentage from 0 to 100", field="percent")
    if "min_total_spend" in values and values["min_total_spend"] is not None:
        cleaned["min_total_spend"] = check.money(values["min_total_spend"], "min_total_spend")
    elif "min_total_spend" in values:
        cleaned["min_total_spend"] = None
    for key in ("min_completed_orders", "is_active"):
        if key in values:
            cleaned[key] = values[key]
    return cleaned


class LoyaltyService:
    """Loyalty rules on behalf of one actor (settings section)."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def list_rules(self) -> list[dict[str, Any]]:
        """Every rule, active first."""
        if not self.actor.can(Section.CLIENTS, Action.VIEW):
            self.actor.require(Section.SETTINGS, Action.VIEW)
        rows = (
            await LoyaltyRule.select()
            .order_by(LoyaltyRule.is_active, ascending=False)
            .order_by(LoyaltyRule.percent)
        )
        return [_out(r) for r in rows]

    async def _row(self, rule_id: int) -> dict[str, Any]:
        row = await LoyaltyRule.select().where(LoyaltyRule.id == rule_id).first()
        if row is None:
            raise NotFound("No loyalty rule with id {id}", id=rule_id)
        return row

    async def create_rule(self, data: LoyaltyRuleCreate) -> dict[str, Any]:
        """A new rule; it needs a number of orders, a spend, or both."""
        self.actor.require(Section.SETTINGS, Action.CREATE)
        values = _clean(msgspec.structs.asdict(data))
        if values["min_completed_orders"] is None and values["min_total_spend"] is None:
            raise InvalidInput(
                "Give a number of completed orders or a total spend", field="min_completed_orders"
            )
        async with LoyaltyRule._meta.db.transaction():
            rule = LoyaltyRule(**values)
            await rule.save()
            await audit.record(
                self.actor, "loyalty_rule", rule.id, "create", audit.diff({}, values)
            )
        return _out(await self._row(rule.id))

    async def update_rule(self, rule_id: int, patch: LoyaltyRulePatch) -> dict[str, Any]:
        """Change a rule."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        async with LoyaltyRule._meta.db.transaction():
            before = await self._row(rule_id)
            values = _clean(changes)
            merged = {**before, **values}
            if merged["min_completed_orders"] is None and merged["min_total_spend"] is None:
                raise InvalidInput(
                    "Give a number of completed orders or a total spend",
                    field="min_completed_orders",
                )
            if values:
                await LoyaltyRule.update(values).where(LoyaltyRule.id == rule_id)  # type: ignore[arg-type]
                delta = audit.diff({k: before[k] for k in values}, values)
                if delta:
                    await audit.record(self.actor, "loyalty_rule", rule_id, "update", delta)
        return _out(await self._row(rule_id))

    async def delete_rule(self, rule_id: int) -> None:
        """Delete a rule (orders keep the discount they were given)."""
        self.actor.require(Section.SETTINGS, Action.DELETE)
        async with LoyaltyRule._meta.db.transaction():
            row = await self._row(rule_id)
            await LoyaltyRule.delete().where(LoyaltyRule.id == rule_id)
            await audit.record(
                self.actor, "loyalty_rule", rule_id, "delete", {"name": [row["name"], None]}
            )
