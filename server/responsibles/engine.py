"""The rules applied to a subject, as a plain function of what was read: no database here.

For each role the first matching rule (by order) that names an eligible candidate for it
wins; a later rule fills only the roles still open; a rule with `stop` ends the walk. Among a
rule's eligible candidates the one with the least open work is chosen, ties going to the one
chosen longest ago (never chosen: first), then to the lowest id. Inactive people and
organizations are never eligible; one restricted to manufacturers only for those brands (an
unknown brand is none of them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import msgspec

from server.i18n import gettext
from server.responsibles.geometry import contains, names_place, normal
from server.responsibles.schemas import (
    ROLES,
    Assignment,
    Chosen,
    RoleStep,
    RuleOut,
    RuleStep,
    Subject,
)

NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


class Candidate(msgspec.Struct, frozen=True):
    """An employee or organization a rule may name, as far as choosing goes."""

    id: int
    name: str
    is_active: bool
    manufacturers: tuple[str, ...] = ()


class ZoneShape(msgspec.Struct, frozen=True):
    """A zone as matching reads it."""

    id: int
    name: str
    polygon: list[list[float]]
    places: list[str]
    is_active: bool


class Facts(msgspec.Struct):
    """Everything the walk reads besides the subject and the rules."""

    zones: dict[int, ZoneShape]
    class_lineage: dict[int, set[int]]  # class id -> itself and its ancestors
    employees: dict[int, Candidate]
    organizations: dict[int, Candidate]
    load: dict[str, dict[int, int]]  # role -> candidate id -> open work
    last: dict[str, dt.datetime]  # "<role>:<id>" -> when last chosen


def in_zone(zone: ZoneShape, subject: Subject) -> bool:
    """True when the subject's point is in the zone's polygon or its address names a place."""
    if not zone.is_active:
        return False
    point = (subject.latitude, subject.longitude)
    if zone.polygon and point[0] is not None and point[1] is not None:
        return contains(zone.polygon, point[0], point[1]) or _named(zone, subject)
    return _named(zone, subject)


def _named(zone: ZoneShape, subject: Subject) -> bool:
    text = f"{subject.city} {subject.address}"
    return any(names_place(text, place) for place in zone.places)


def mismatch(rule: RuleOut, subject: Subject, facts: Facts) -> str:
    """Why the rule does not match the subject ("" when it does)."""
    if rule.applies_to not in ("both", subject.kind):
        return (
            gettext("applies to requests only")
            if rule.applies_to == "request"
            else gettext("applies to orders only")
        )
    c = rule.conditions
    if c.brands and normal(subject.brand) not in {normal(b) for b in c.brands}:
        return gettext(
            "brand «{brand}» is not one of {names}",
            brand=subject.brand or "—",
            names=", ".join(c.brands),
        )
    if c.device_types and normal(subject.device_type) not in {normal(t) for t in c.device_types}:
        return gettext(
            "device type «{name}» is not one of the rule's", name=subject.device_type or "—"
        )
    if c.problem_class_ids:
        lineage = facts.class_lineage.get(subject.problem_class_id or 0, set())
        if not lineage & set(c.problem_class_ids):
            return gettext("the problem class is not one of the rule's (or under them)")
    if c.zone_ids:
        zones = [facts.zones[z] for z in c.zone_ids if z in facts.zones]
        if not any(in_zone(z, subject) for z in zones):
            return gettext("the address is in none of the rule's zones")
    if c.channels and subject.channel not in c.channels:
        return gettext(
            "channel «{name}» is not one of {names}",
            name=subject.channel or "—",
            names=", ".join(c.channels),
        )
    if c.source_org_ids and subject.source_org_id not in c.source_org_ids:
        return gettext("filed by another partner")
    for name, value in c.fields.items():
        if normal(subject.fields.get(name, "")) != normal(value):
            return gettext("field «{name}» is not «{value}»", name=name, value=value)
    return ""


def _refusal(candidate: Candidate | None, brand: str) -> str:
    """Why a candidate cannot be chosen ("" when it can)."""
    if candidate is None:
        return gettext("no longer exists")
    if not candidate.is_active:
        return gettext("inactive")
    if candidate.manufacturers:
        allowed = {normal(m) for m in candidate.manufacturers}
        if normal(brand) not in allowed:
            return gettext("only {names}", names=", ".join(candidate.manufacturers))
    return ""


def choose(
    role: str, ids: list[int], subject: Subject, facts: Facts
) -> tuple[Candidate | None, str]:
    """The candidate of the list to choose for the role, or None and why none."""
    pool = facts.organizations if role == "service_center" else facts.employees
    eligible: list[Candidate] = []
    refused: list[str] = []
    for candidate_id in ids:
        candidate = pool.get(candidate_id)
        why = _refusal(candidate, subject.brand)
        if why:
            refused.append(f"{candidate.name if candidate else f'#{candidate_id}'}: {why}")
        else:
            eligible.append(candidate)  # type: ignore[arg-type]
    if not eligible:
        return None, gettext("no eligible candidate ({why})", why="; ".join(refused))
    load = facts.load.get(role, {})
    best = min(
        eligible,
        key=lambda c: (load.get(c.id, 0), facts.last.get(f"{role}:{c.id}", NEVER), c.id),
    )
    return best, gettext(
        "least open work ({n}) of {count} eligible", n=load.get(best.id, 0), count=len(eligible)
    )


def walk(rules: list[RuleOut], subject: Subject, facts: Facts) -> tuple[Assignment, list[RuleStep]]:
    """The responsibles the rules give the subject, and what each rule did."""
    chosen: dict[str, Chosen] = {}
    queue = ""
    steps: list[RuleStep] = []
    stopped_by = ""
    for rule in rules:
        if stopped_by:
            steps.append(
                RuleStep(
                    rule.id,
                    rule.name,
                    False,
                    gettext("stopped by rule «{name}»", name=stopped_by),
                    [],
                )
            )
            continue
        why = mismatch(rule, subject, facts)
        if why:
            steps.append(RuleStep(rule.id, rule.name, False, why, []))
            continue
        done: list[RoleStep] = []
        targets: Mapping[str, list[int]] = msgspec.structs.asdict(rule.targets)
        for role in ROLES:
            ids = targets.get(role) or []
            if not ids:
                continue
            if role in chosen:
                taken = chosen[role].rule_name
                done.append(
                    RoleStep(role, "taken", gettext("already set by rule «{name}»", name=taken))
                )
                continue
            candidate, reason = choose(role, ids, subject, facts)
            if candidate is None:
                done.append(RoleStep(role, "no_candidate", reason))
                continue
            chosen[role] = Chosen(role, candidate.id, rule.id, rule.name)
            done.append(RoleStep(role, "chosen", reason, candidate.id, candidate.name))
        reason = gettext("matches")
        if rule.queue and not queue:
            queue = rule.queue
            reason = gettext("matches; queue «{name}»", name=rule.queue)
        steps.append(RuleStep(rule.id, rule.name, True, reason, done))
        if rule.stop:
            stopped_by = rule.name
    ordered = [chosen[r] for r in ROLES if r in chosen]
    return Assignment(ordered, queue), steps
