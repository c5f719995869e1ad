"""Assignment rules: kept in precedence order, every id they name checked when saved."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.i18n import N_
from server.responsibles import classes, zones
from server.responsibles.candidates import employees, organizations
from server.responsibles.schemas import (
    CHANNELS,
    ROLES,
    Conditions,
    RuleIn,
    RuleOut,
    RulePatch,
    Targets,
)
from server.responsibles.tables import AssignmentRule
from server.staff.permissions import Action, Section

APPLIES = ("request", "order", "both")
QUEUE = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")
STEP = 10


def rule_out(row: dict[str, Any]) -> RuleOut:
    """A stored rule."""
    return RuleOut(
        id=row["id"],
        name=row["name"],
        is_active=bool(row["is_active"]),
        sort=row["sort"],
        applies_to=row["applies_to"],
        conditions=msgspec.convert(row["conditions"] or {}, Conditions),
        targets=msgspec.convert(row["targets"] or {}, Targets),
        queue=row["queue"],
        stop=bool(row["stop"]),
    )


async def all_rules(*, active_only: bool = False) -> list[RuleOut]:
    """Rules in precedence order (sort, then id)."""
    query = AssignmentRule.select()
    if active_only:
        query = query.where(AssignmentRule.is_active.eq(True))
    rows = (
        await query.order_by(AssignmentRule.sort).order_by(AssignmentRule.id).output(load_json=True)
    )
    return [rule_out(r) for r in rows]


async def get_rule(rule_id: int) -> RuleOut:
    """One rule, or 404."""
    row = (
        await AssignmentRule.select()
        .where(AssignmentRule.id == rule_id)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound("No such assignment rule")
    return rule_out(row)


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name or "\x00" in name:
        raise InvalidInput("This field is required", field="name")
    return name


def _words(values: list[str], field: str) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        word = " ".join(value.split())
        if "\x00" in word:
            raise InvalidInput("Control characters are not allowed", field=field)
        if word:
            seen.setdefault(word.casefold(), word)
    return list(seen.values())


def _unknown(ids: list[int], known: set[int], field: str, message: str) -> None:
    missing = sorted(set(ids) - known)
    if missing:
        raise InvalidInput(message, field=field, ids=", ".join(str(i) for i in missing))


async def clean_conditions(c: Conditions) -> Conditions:
    """Conditions with blanks and repeats dropped; every id named must exist."""
    for channel in c.channels:
        if channel not in CHANNELS:
            raise InvalidInput(
                "Unknown channel «{name}»", field="conditions.channels", name=channel[:50]
            )
    classes_known = await classes.existing_ids(c.problem_class_ids)
    _unknown(
        c.problem_class_ids, classes_known, "conditions.problem_class_ids",
        N_("No problem class with id {ids}"),
    )  # fmt: skip
    _unknown(c.zone_ids, await zones.existing_ids(c.zone_ids), "conditions.zone_ids",
             N_("No zone with id {ids}"))  # fmt: skip
    partners = await organizations(c.source_org_ids)
    _unknown(c.source_org_ids, set(partners), "conditions.source_org_ids",
             N_("No partner organization with id {ids}"))  # fmt: skip
    fields: dict[str, str] = {}
    for name, value in c.fields.items():
        key = name.strip()
        if not key or "\x00" in key or "\x00" in value:
            raise InvalidInput("Name the field the rule compares", field="conditions.fields")
        fields[key] = value.strip()
    return Conditions(
        brands=_words(c.brands, "conditions.brands"),
        device_types=_words(c.device_types, "conditions.device_types"),
        problem_class_ids=sorted(set(c.problem_class_ids)),
        zone_ids=sorted(set(c.zone_ids)),
        channels=sorted(set(c.channels)),
        source_org_ids=sorted(set(c.source_org_ids)),
        fields=fields,
    )


async def clean_targets(t: Targets) -> Targets:
    """Candidates without repeats (in the order given); employees and partner service centers
    that exist."""
    people = [i for role in ROLES if role != "service_center" for i in getattr(t, role)]
    known = set(await employees(people))
    for role in ROLES:
        ids = getattr(t, role)
        if role == "service_center":
            centers = await organizations(ids)
            found = {i for i, o in centers.items() if o.kind == "service_center"}
            _unknown(
                ids, found, "targets.service_center", N_("No partner service center with id {ids}")
            )
        else:
            _unknown(ids, known, f"targets.{role}", N_("No employee with id {ids}"))
    return Targets(**{role: list(dict.fromkeys(getattr(t, role))) for role in ROLES})


def _applies(value: str) -> str:
    if value not in APPLIES:
        raise InvalidInput("A rule applies to «request», «order» or «both»", field="applies_to")
    return value


def _queue(value: str) -> str:
    queue = value.strip().lower()
    if queue and not QUEUE.match(queue):
        raise InvalidInput(
            "A queue is a code of latin letters, digits, _ or -, like «director»", field="queue"
        )
    return queue


async def create_rule(actor: Actor, data: RuleIn) -> RuleOut:
    """Add a rule (last unless a place is given)."""
    actor.require(Section.SETTINGS, Action.EDIT)
    name = _name(data.name)
    applies = _applies(data.applies_to)
    queue = _queue(data.queue)
    conditions = await clean_conditions(data.conditions)
    targets = await clean_targets(data.targets)
    if not queue and not any(getattr(targets, r) for r in ROLES):
        raise InvalidInput("Name a candidate for at least one role, or a queue", field="targets")
    now = dt.datetime.now(dt.UTC)
    async with AssignmentRule._meta.db.transaction():
        sort = data.sort
        if sort is None:
            last = await (
                AssignmentRule.select(AssignmentRule.sort)
                .order_by(AssignmentRule.sort, ascending=False)
                .first()
            )
            sort = (last["sort"] + STEP) if last else STEP
        row = AssignmentRule(
            name=name, is_active=data.is_active, sort=sort, applies_to=applies,
            conditions=msgspec.to_builtins(conditions), targets=msgspec.to_builtins(targets),
            queue=queue, stop=data.stop, created_at=now, updated_at=now,
        )  # fmt: skip
        await row.save()
        await audit.record(actor, "assignment_rule", row.id, "create", {"name": [None, name]})
    return await get_rule(row.id)


async def update_rule(actor: Actor, rule_id: int, data: RulePatch) -> RuleOut:
    """Change a rule: what is given replaces what was."""
    actor.require(Section.SETTINGS, Action.EDIT)
    before = await get_rule(rule_id)
    after = msgspec.structs.replace(before)
    if data.name is not msgspec.UNSET:
        after.name = _name(data.name)
    if data.applies_to is not msgspec.UNSET:
        after.applies_to = _applies(data.applies_to)
    if data.queue is not msgspec.UNSET:
        after.queue = _queue(data.queue)
    if data.conditions is not msgspec.UNSET:
        after.conditions = await clean_conditions(data.conditions)
    if data.targets is not msgspec.UNSET:
        after.targets = await clean_targets(data.targets)
    for key in ("stop", "is_active", "sort"):
        if getattr(data, key) is not msgspec.UNSET:
            setattr(after, key, getattr(data, key))
    if not after.queue and not any(getattr(after.targets, r) for r in ROLES):
        raise InvalidInput("Name a candidate for at least one role, or a queue", field="targets")
    old, new = msgspec.to_builtins(before), msgspec.to_builtins(after)
    changes = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
    if changes:
        async with AssignmentRule._meta.db.transaction():
            await AssignmentRule.update(
                {
                    AssignmentRule.name: after.name,
                    AssignmentRule.applies_to: after.applies_to,
                    AssignmentRule.queue: after.queue,
                    AssignmentRule.conditions: new["conditions"],
                    AssignmentRule.targets: new["targets"],
                    AssignmentRule.stop: after.stop,
                    AssignmentRule.is_active: after.is_active,
                    AssignmentRule.sort: after.sort,
                    AssignmentRule.updated_at: dt.datetime.now(dt.UTC),
                }
            ).where(AssignmentRule.id == rule_id)
            await audit.record(actor, "assignment_rule", rule_id, "update", changes)
    return await get_rule(rule_id)


async def delete_rule(actor: Actor, rule_id: int) -> None:
    """Remove a rule (what it set keeps its name in `assignment`)."""
    actor.require(Section.SETTINGS, Action.EDIT)
    rule = await get_rule(rule_id)
    async with AssignmentRule._meta.db.transaction():
        await AssignmentRule.delete().where(AssignmentRule.id == rule_id)
        await audit.record(actor, "assignment_rule", rule_id, "delete", {"name": [rule.name, None]})
