"""What other domains call of responsibles: the rules applied to a new request or order, and
the problem classification for their forms.

The caller passes how much open work each candidate has (`load` for employees, `org_load`
for partner service centers): orders counts open orders, requests open requests. This keeps
the domain free of an import cycle with them; None counts as no open work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from server.actor import Actor
from server.errors import InvalidInput
from server.responsibles import classes, rules, zones
from server.responsibles.candidates import employees, names, organizations
from server.responsibles.engine import Facts, walk
from server.responsibles.schemas import (
    KINDS,
    ROLES,
    Assignment,
    Chosen,
    ChosenOut,
    Preview,
    ProblemClassOut,
    RuleOut,
    Subject,
    SubjectIn,
)
from server.responsibles.tables import AssignmentRule, LastAssigned
from server.staff.permissions import Action, Section

__all__ = [
    "ROLES",
    "Assignment",
    "Chosen",
    "LoadFn",
    "ProblemClassOut",
    "Subject",
    "any_rules",
    "assign",
    "preview",
    "problem_class",
    "problem_classes",
]

LoadFn = Callable[[list[int]], Awaitable[dict[int, int]]]  # ids -> open work count


async def _facts(found: list[RuleOut], load: LoadFn | None, org_load: LoadFn | None) -> Facts:
    """What the walk reads for these rules: a fixed number of queries, whatever they name."""
    people: set[int] = set()
    centers: set[int] = set()
    for rule in found:
        for role in ROLES:
            ids = getattr(rule.targets, role)
            (centers if role == "service_center" else people).update(ids)
    person_load = await load(sorted(people)) if load and people else {}
    center_load = await org_load(sorted(centers)) if org_load and centers else {}
    keys = [f"{r}:{i}" for r in ROLES for i in (centers if r == "service_center" else people)]
    last_rows = (
        await LastAssigned.select(LastAssigned.key, LastAssigned.at).where(
            LastAssigned.key.is_in(keys)
        )
        if keys
        else []
    )
    needs_zones = any(r.conditions.zone_ids for r in found)
    needs_classes = any(r.conditions.problem_class_ids for r in found)
    return Facts(
        zones=await zones.shapes() if needs_zones else {},
        class_lineage=await classes.lineage() if needs_classes else {},
        employees=await employees(people),
        organizations=dict(await organizations(centers)),
        load={r: center_load if r == "service_center" else person_load for r in ROLES},
        last={row["key"]: row["at"] for row in last_rows},
    )


async def assign(
    subject: Subject, load: LoadFn | None = None, *, org_load: LoadFn | None = None
) -> Assignment:
    """The responsibles the active rules give a new request or order (and a queue a rule
    named); the chosen ones are remembered as last chosen (in the caller's transaction)."""
    if subject.kind not in KINDS:
        raise ValueError(f"unknown subject kind {subject.kind!r}")
    found = await rules.all_rules(active_only=True)
    if not found:
        return Assignment([])
    result, _steps = walk(found, subject, await _facts(found, load, org_load))
    now = dt.datetime.now(dt.UTC)
    for chosen in result.chosen:
        await LastAssigned.raw(
            "INSERT INTO assignment_last (key, at) VALUES ({}, {})"
            " ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at",
            f"{chosen.role}:{chosen.id}",
            now,
        )
    return result


async def any_rules(kind: str) -> bool:
    """Whether an active rule could apply to a new request or order of the kind (one query:
    the caller may skip gathering the subject's facts when none)."""
    return bool(
        await AssignmentRule.exists().where(
            AssignmentRule.is_active.eq(True), AssignmentRule.applies_to.is_in([kind, "both"])
        )
    )


async def preview(
    actor: Actor,
    data: SubjectIn,
    load: LoadFn | None = None,
    *,
    org_load: LoadFn | None = None,
) -> Preview:
    """Which rule fires for which role and why the others were skipped (nothing recorded)."""
    actor.require(Section.SETTINGS, Action.VIEW)
    if data.kind not in KINDS:
        raise InvalidInput("A subject is a «request» or an «order»", field="kind")
    if data.problem_class_id is not None and not await classes.existing_ids(
        [data.problem_class_id]
    ):
        raise InvalidInput(
            "No problem class with id {id}", field="problem_class_id", id=data.problem_class_id
        )
    subject = Subject(
        kind=data.kind, brand=data.brand.strip(), device_type=data.device_type.strip(),
        problem_class_id=data.problem_class_id, latitude=data.latitude,
        longitude=data.longitude, city=data.city, address=data.address,
        channel=data.channel.strip(), source_org_id=data.source_org_id, fields=data.fields,
    )  # fmt: skip
    found = await rules.all_rules(active_only=True)
    result, steps = walk(found, subject, await _facts(found, load, org_load))
    shown: list[ChosenOut] = []
    for chosen in result.chosen:
        name = (await names(chosen.role, [chosen.id])).get(chosen.id, f"#{chosen.id}")
        shown.append(ChosenOut(chosen.role, chosen.id, name, chosen.rule_id, chosen.rule_name))
    return Preview(shown, result.queue, steps)


async def problem_classes() -> list[ProblemClassOut]:
    """The active classification for forms: each node after its parent, with its path
    (a node under a switched-off one is left out)."""
    shown: list[ProblemClassOut] = []
    active: set[int] = set()
    for node in await classes.all_classes():
        if node.is_active and (node.parent_id is None or node.parent_id in active):
            active.add(node.id)
            shown.append(node)
    return shown


async def problem_class(class_id: int) -> ProblemClassOut | None:
    """An active node of the classification, or None (to check a form's choice)."""
    return next((c for c in await problem_classes() if c.id == class_id), None)
