"""SLA policies: read, and edited by administrators; one that could never fire is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.orders import api as orders
from server.orders.choices import Priority
from server.sla.choices import ClockKind
from server.sla.derive import NEW, Policy
from server.sla.schemas import PolicyIn, PolicyList, PolicyOut
from server.sla.tables import SlaPolicy
from server.staff.permissions import Action, Section

TARGET_FIELDS = {
    ClockKind.ACCEPT: "accept_minutes",
    ClockKind.FIRST_VISIT: "first_visit_minutes",
    ClockKind.RESOLUTION: "resolution_minutes",
}


def _policy(row: dict[str, Any]) -> Policy:
    return Policy(
        id=row["id"],
        name=row["name"],
        order_type_id=row["order_type"],
        priority=row["priority"],
        targets={k: row[f] for k, f in TARGET_FIELDS.items() if row[f] is not None},
        warn_percent=row["warn_percent"],
        escalate_percent=row["escalate_percent"],
        pause_statuses=frozenset(row["pause_statuses"] or []),
    )


async def active_policies() -> list[Policy]:
    """The policies the clocks run on (one query)."""
    rows = await SlaPolicy.select().where(SlaPolicy.is_active.eq(True)).order_by(SlaPolicy.id)
    return [_policy(r) for r in rows]


def _out(row: dict[str, Any]) -> PolicyOut:
    return PolicyOut(
        id=row["id"],
        name=row["name"],
        order_type_id=row["order_type"],
        priority=row["priority"],
        accept_minutes=row["accept_minutes"],
        first_visit_minutes=row["first_visit_minutes"],
        resolution_minutes=row["resolution_minutes"],
        warn_percent=row["warn_percent"],
        escalate_percent=row["escalate_percent"],
        pause_statuses=list(row["pause_statuses"] or []),
        is_active=row["is_active"],
    )


async def list_policies(actor: Actor) -> PolicyList:
    """Every policy, active or not."""
    actor.require(Section.SETTINGS, Action.VIEW)
    rows = await SlaPolicy.select().order_by(SlaPolicy.id)
    return PolicyList(items=[_out(r) for r in rows])


async def _check(data: PolicyIn, policy_id: int | None) -> None:
    """Every reason the policy could never fire, named at its field."""
    if not data.name.strip():
        raise InvalidInput("This field is required", field="name")
    if data.priority and data.priority not in {p.value for p in Priority}:
        raise InvalidInput(
            "Unknown priority «{priority}»", field="priority", priority=data.priority
        )
    targets = {k: getattr(data, f) for k, f in TARGET_FIELDS.items()}
    if all(v is None for v in targets.values()):
        raise InvalidInput(
            "Give at least one deadline: a policy without any never fires", field="accept_minutes"
        )
    if data.warn_percent >= 100:
        raise InvalidInput(
            "The warning must come before the deadline: less than 100 %", field="warn_percent"
        )
    if data.escalate_percent is not None and data.escalate_percent < 100:
        raise InvalidInput(
            "Escalation comes at or after the deadline: at least 100 %", field="escalate_percent"
        )
    types = {t["id"]: t for t in await orders.order_types()}
    if data.order_type_id is not None and data.order_type_id not in types:
        raise InvalidInput("No such order type", field="order_type_id")
    if targets[ClockKind.FIRST_VISIT] is not None:
        chosen = [types[data.order_type_id]] if data.order_type_id else list(types.values())
        if not any(t["is_field"] for t in chosen):
            raise InvalidInput(
                "Orders of «{type}» get no visits: the first-visit clock would never run",
                field="first_visit_minutes",
                type=chosen[0]["name"] if chosen else "—",
            )
    statuses = await orders.status_codes_by_name()
    groups = dict(statuses.values())
    unknown = [c for c in data.pause_statuses if c not in groups]
    if unknown:
        raise InvalidInput("Unknown status «{code}»", field="pause_statuses", code=unknown[0][:50])
    new_codes = {c for c, g in groups.items() if g == NEW}
    if (
        targets[ClockKind.ACCEPT] is not None
        and new_codes
        and new_codes <= set(data.pause_statuses)
    ):
        raise InvalidInput(
            "The accept clock runs in «new», which this policy pauses: it would never fire",
            field="pause_statuses",
        )
    working = {c for c, g in groups.items() if g in ("new", "in_work", "waiting")}
    if working and working <= set(data.pause_statuses):
        raise InvalidInput(
            "Every open status is a pause: the clocks would never run", field="pause_statuses"
        )
    clash = SlaPolicy.exists().where(
        SlaPolicy.is_active.eq(True),
        SlaPolicy.priority == data.priority,
        SlaPolicy.order_type.is_null()
        if data.order_type_id is None
        else SlaPolicy.order_type == data.order_type_id,
    )
    if policy_id is not None:
        clash = clash.where(SlaPolicy.id != policy_id)
    if data.is_active and await clash:
        raise Conflict(
            "Another active policy already covers this type and priority", field="order_type_id"
        )


def _values(data: PolicyIn) -> dict[Any, Any]:
    return {
        SlaPolicy.name: data.name.strip(),
        SlaPolicy.order_type: data.order_type_id,
        SlaPolicy.priority: data.priority,
        SlaPolicy.accept_minutes: data.accept_minutes,
        SlaPolicy.first_visit_minutes: data.first_visit_minutes,
        SlaPolicy.resolution_minutes: data.resolution_minutes,
        SlaPolicy.warn_percent: data.warn_percent,
        SlaPolicy.escalate_percent: data.escalate_percent,
        SlaPolicy.pause_statuses: sorted(set(data.pause_statuses)),
        SlaPolicy.is_active: data.is_active,
        SlaPolicy.updated_at: dt.datetime.now(dt.UTC),
    }


async def _row(policy_id: int) -> dict[str, Any]:
    row = await SlaPolicy.select().where(SlaPolicy.id == policy_id).first()
    if row is None:
        raise NotFound("No SLA policy with id {id}", id=policy_id)
    return row


async def create_policy(actor: Actor, data: PolicyIn) -> PolicyOut:
    """Add a policy."""
    actor.require(Section.SETTINGS, Action.EDIT)
    await _check(data, None)
    async with SlaPolicy._meta.db.transaction():
        values = {column._meta.name: value for column, value in _values(data).items()}
        rows = await SlaPolicy.insert(SlaPolicy(**values)).returning(SlaPolicy.id)
        policy_id = rows[0]["id"]
        await audit.record(actor, "sla_policy", policy_id, "create", {"name": [None, data.name]})
    return _out(await _row(policy_id))


async def update_policy(actor: Actor, policy_id: int, data: PolicyIn) -> PolicyOut:
    """Change a policy: every reading follows at once (nothing was stored from the old one)."""
    actor.require(Section.SETTINGS, Action.EDIT)
    before = await _row(policy_id)
    await _check(data, policy_id)
    async with SlaPolicy._meta.db.transaction():
        await SlaPolicy.update(_values(data)).where(SlaPolicy.id == policy_id)
        await audit.record(
            actor, "sla_policy", policy_id, "update", {"name": [before["name"], data.name]}
        )
    return _out(await _row(policy_id))


async def delete_policy(actor: Actor, policy_id: int) -> None:
    """Remove a policy."""
    actor.require(Section.SETTINGS, Action.DELETE)
    before = await _row(policy_id)
    async with SlaPolicy._meta.db.transaction():
        await SlaPolicy.delete().where(SlaPolicy.id == policy_id)
        await audit.record(
            actor, "sla_policy", policy_id, "delete", {"name": [before["name"], None]}
        )
