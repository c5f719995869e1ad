"""Moving an order between statuses: allowed transitions per type and role, and entry rules."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from server import refcache
from server.actor import Actor
from server.audit import services as audit
from server.errors import Forbidden, InvalidInput
from server.i18n import Msg
from server.orders import access, announce
from server.orders.choices import EventKind, LineKind, StatusGroup, TransitionRule
from server.orders.tables import Order, OrderLine, OrderStatus, StatusTransition, TimelineEvent
from server.staff.permissions import Action, Capability, Section
from server.stock import api as stock


def _allowed_for(actor: Actor, role_codes: list[str]) -> bool:
    return actor.is_admin or not role_codes or bool(set(role_codes) & actor.role_codes)


@functools.cache
def _transition_columns() -> tuple[Any, ...]:
    """A transition with its target status joined, made once (aliases are deep copies)."""
    return (
        StatusTransition.order_type,
        StatusTransition.from_status,
        StatusTransition.role_codes,
        StatusTransition.to_status._.id.as_alias("id"),
        StatusTransition.to_status._.code.as_alias("code"),
        StatusTransition.to_status._.name.as_alias("name"),
        StatusTransition.to_status._.color.as_alias("color"),
        StatusTransition.to_status._.group.as_alias("group"),
        StatusTransition.to_status._.sort.as_alias("sort"),
    )


async def next_statuses(actor: Actor, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Statuses the actor may move this order to now (empty without orders:edit)."""
    state = (row["order_type"], row["status"])
    return (await next_statuses_by_state(actor, {state})).get(state, [])


async def next_statuses_by_state(
    actor: Actor, states: set[tuple[int, int]]
) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """{(order type, status): the statuses the actor may move such an order to}, in one query
    for any number of states (empty without orders:edit)."""
    if not states or not actor.can(Section.ORDERS, Action.EDIT):
        return {}
    found: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for t in await _active_transitions():
        state = (t["order_type"], t["from_status"])
        if state in states and _allowed_for(actor, t["role_codes"]):
            found.setdefault(state, []).append(dict(t))
    for moves in found.values():
        moves.sort(key=lambda t: t["sort"])
    return found


@refcache.reads("status_transition", "order_status")
async def _active_transitions() -> tuple[dict[str, Any], ...]:
    """Every transition into an active status (a workflow has tens of them)."""
    return tuple(
        await StatusTransition.select(*_transition_columns()).where(
            StatusTransition.to_status._.is_active.eq(True)
        )
    )


async def _check_rules(
    actor: Actor, order_id: int, row: dict[str, Any], target: dict[str, Any]
) -> None:
    for rule in target["rules"]:
        if rule == TransitionRule.NEEDS_WORK_LINE.value:
            has_work = await OrderLine.exists().where(
                OrderLine.order == order_id, OrderLine.kind == LineKind.SERVICE.value
            )
            if not has_work:
                raise InvalidInput(
                    "Add at least one work line before «{status}»",
                    field="status",
                    status=Msg(target["name"]),
                )
        elif rule == TransitionRule.NEEDS_ZERO_DUE.value:
            due = await Order.select(Order.amount_due).where(Order.id == order_id).first()
            if due and due["amount_due"] > 0 and not actor.has(Capability.CLOSE_UNPAID):
                raise InvalidInput(
                    "The order still has {amount} ₽ to pay; take the payment first",
                    field="status",
                    amount=f"{due['amount_due']:.2f}",
                )
        elif rule == TransitionRule.NEEDS_TECHNICIAN.value and not row["technician"]:
            raise InvalidInput("Assign a technician first", field="status")


def simple_rules_hold(target: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether a move to `target` keeps the rules that need nothing but the order's row (the
    technician); targets with rules on lines or money are left to `change_status`."""
    for rule in target["rules"]:
        if rule == TransitionRule.NEEDS_TECHNICIAN.value:
            if not row["technician"]:
                return False
        else:
            return False
    return True


async def change_status(actor: Actor, order_id: int, status: str, comment: str = "") -> None:
    """Move an order along its workflow, checking role, ownership and the target's rules."""
    access.require_edit(actor)
    async with Order._meta.db.transaction():
        row = await access.order_row(actor, order_id, for_update=True)
        target_query = OrderStatus.select().where(OrderStatus.is_active.eq(True))
        if status.isdigit():
            target_query = target_query.where(OrderStatus.id == int(status))
        else:
            target_query = target_query.where(OrderStatus.code == status)
        target = await target_query.first()
        if target is None:
            raise InvalidInput("Unknown status «{name}»", field="status", name=status[:50])
        transition = (
            await StatusTransition.select(StatusTransition.role_codes)
            .where(
                StatusTransition.order_type == row["order_type"],
                StatusTransition.from_status == row["status"],
                StatusTransition.to_status == target["id"],
            )
            .first()
        )
        if transition is None:
            raise InvalidInput(
                "An order cannot go from «{source}» to «{target}»",
                field="status",
                source=Msg(row["status_name"]),
                target=Msg(target["name"]),
            )
        if not _allowed_for(actor, transition["role_codes"]):
            raise Forbidden(
                "Your role may not move orders to «{target}»", target=Msg(target["name"])
            )
        await _check_rules(actor, order_id, row, target)
        order = stock.OrderRef(order_id, row["number"])
        if TransitionRule.CONSUMES_PARTS.value in target["rules"]:
            await stock.consume_order(actor, order)
        if target["group"] == StatusGroup.CANCELLED.value:
            await stock.release_order(order_id)
        now = dt.datetime.now(dt.UTC)
        closing = target["group"] in (StatusGroup.CLOSED.value, StatusGroup.CANCELLED.value)
        await Order.update(
            {
                Order.status: target["id"],
                Order.closed_at: now if closing else None,
                Order.updated_at: now,
                Order.version: row["version"] + 1,
            }
        ).where(Order.id == order_id)
        await audit.record(
            actor,
            "order",
            order_id,
            "status",
            {"status": [row["status_name"], target["name"]]},
            scope=f"order:{order_id}",
        )
        await announce.status_entered([(order_id, target["code"], row["version"] + 1)])
        if comment.strip():
            await TimelineEvent(
                order=order_id,
                kind=EventKind.COMMENT.value,
                text=comment.strip(),
                author=actor.employee_id or None,
                at=now,
            ).save()
