"""Settings pages of automatic responsibles: the rules with a «test a request» box
(/settings/assignment-rules), the address zones on a map (/settings/assignment-zones) and the
problem classification (/settings/problem-classes)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.config import get_settings
from server.errors import DomainError, InvalidInput
from server.guards import CurrentActor
from server.i18n import N_
from server.orders import api as orders
from server.params import RecordId
from server.partners import api as partners
from server.responsibles import api, classes, rules, zones
from server.responsibles.geometry import parse_points
from server.responsibles.schemas import (
    CHANNELS,
    ROLES,
    Preview,
    ProblemClassIn,
    ProblemClassPatch,
    RuleIn,
    RuleOut,
    RulePatch,
    SubjectIn,
    ZoneIn,
    ZonePatch,
)
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, lines, read_form
from server.web.templating import page_context

ROLE_LABELS = {
    "manager": N_("Manager"),
    "service_center": N_("Service center"),
    "expert": N_("Technical expert"),
    "technician": N_("Technician"),
}
APPLIES_LABELS = {
    "both": N_("Requests and orders"),
    "request": N_("Requests"),
    "order": N_("Orders"),
}
CHANNEL_LABELS = {
    "counter": N_("Counter"),
    "phone": N_("Phone call"),
    "website": N_("Website form"),
    "partner": N_("Partner"),
    "api": N_("API"),
}


def _ids(form: dict[str, Any], key: str) -> list[int]:
    value = form.get(key, [])
    values = value if isinstance(value, list) else [value]
    found = []
    for item in values:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or len(text) > 10:
            raise InvalidInput("Choose from the list", field=key)
        found.append(int(text))
    return found


def _pairs(text: str, field: str) -> dict[str, str]:
    """«name = value» per line."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise InvalidInput("Line {n}: write «field = value»", field=field, n=number)
        found[name.strip()[:100]] = value.strip()[:200]
    return found


def _listed(form: dict[str, Any], key: str) -> list[str]:
    value = form.get(key, [])
    values = value if isinstance(value, list) else [value]
    return [str(v)[:100] for v in values if str(v).strip()]


def rule_data(form: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields from the form (as the API takes them)."""
    sort = str(form.get("sort", "")).strip()
    return {
        "name": str(form.get("name", ""))[:200],
        "applies_to": str(form.get("applies_to", "both"))[:10],
        "queue": str(form.get("queue", ""))[:100],
        "stop": form.get("stop") in ("1", "on"),
        "is_active": form.get("is_active") in ("1", "on"),
        "sort": int(sort) if sort.isdigit() and len(sort) < 8 else None,
        "conditions": {
            "brands": lines(str(form.get("brands", "")))[:200],
            "device_types": lines(str(form.get("device_types", "")))[:200],
            "problem_class_ids": _ids(form, "problem_class_ids"),
            "zone_ids": _ids(form, "zone_ids"),
            "channels": _listed(form, "channels"),
            "source_org_ids": _ids(form, "source_org_ids"),
            "fields": _pairs(str(form.get("fields", "")), "conditions.fields"),
        },
        "targets": {role: _ids(form, f"targets.{role}") for role in ROLES},
    }


async def _choices() -> dict[str, Any]:
    """What the rule form chooses from."""
    return {
        "employees": await staff.active_employees(),
        "centers": await partners.organizations("service_center"),
        "partners": await partners.organizations(),
        "problem_classes": await api.problem_classes(),
        "zones": [z for z in await zones.all_zones() if z.is_active],
        "channels": CHANNELS,
        "channel_labels": CHANNEL_LABELS,
        "role_labels": ROLE_LABELS,
        "applies_labels": APPLIES_LABELS,
    }


async def _rules_page(
    actor: Actor,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    preview: Preview | None = None,
    subject: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    actor.require(Section.SETTINGS, Action.VIEW)
    found = await rules.all_rules()
    names = await staff.names(
        i for r in found for role in ROLES if role != "service_center"
        for i in getattr(r.targets, role)
    )  # fmt: skip
    context = page_context(
        actor,
        rules=found,
        names=names,
        center_names=await partners.names(i for r in found for i in r.targets.service_center),
        class_names={c.id: c.path for c in await classes.all_classes()},
        zone_names={z.id: z.name for z in await zones.all_zones()},
        errors=errors or {},
        values=values or {},
        preview=preview,
        subject=subject or {"kind": "request"},
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        **await _choices(),
    )
    return Template("responsibles/rules.html", context=context, status_code=status)


@get("/settings/assignment-rules", include_in_schema=False)
async def rules_page(actor: CurrentActor) -> Template:
    """The assignment rules in precedence order, a form for a new one, the «test» box."""
    return await _rules_page(actor)


@post("/settings/assignment-rules", include_in_schema=False)
async def rule_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a rule."""
    form = await read_form(request)
    try:
        await rules.create_rule(actor, convert(rule_data(form), RuleIn))
    except (DomainError, FormError) as error:
        return await _rules_page(actor, errors=errors_of(error), values=form, status=400)
    return Redirect("/settings/assignment-rules")


def _form_values(rule: RuleOut) -> dict[str, Any]:
    c, t = rule.conditions, rule.targets
    return {
        "name": rule.name,
        "applies_to": rule.applies_to,
        "queue": rule.queue,
        "stop": "1" if rule.stop else "",
        "is_active": "1" if rule.is_active else "",
        "sort": str(rule.sort),
        "brands": "\n".join(c.brands),
        "device_types": "\n".join(c.device_types),
        "problem_class_ids": [str(i) for i in c.problem_class_ids],
        "zone_ids": [str(i) for i in c.zone_ids],
        "channels": list(c.channels),
        "source_org_ids": [str(i) for i in c.source_org_ids],
        "fields": "\n".join(f"{k} = {v}" for k, v in c.fields.items()),
        **{f"targets.{role}": [str(i) for i in getattr(t, role)] for role in ROLES},
    }


async def _rule_page(
    actor: Actor,
    rule_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:
    actor.require(Section.SETTINGS, Action.VIEW)
    rule = await rules.get_rule(rule_id)
    context = page_context(
        actor,
        rule=rule,
        errors=errors or {},
        values=values if values is not None else _form_values(rule),
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        **await _choices(),
    )
    return Template("responsibles/rule.html", context=context, status_code=status)


@get("/settings/assignment-rules/{rule_id:int}", include_in_schema=False)
async def rule_page(actor: CurrentActor, rule_id: RecordId) -> Template:
    """One rule's form."""
    return await _rule_page(actor, rule_id)


@post("/settings/assignment-rules/{rule_id:int}", include_in_schema=False)
async def rule_update(
    request: Request[Any, Any, Any], actor: CurrentActor, rule_id: RecordId
) -> Response[Any]:
    """Save a rule."""
    form = await read_form(request)
    try:
        data = rule_data(form)
        if data["sort"] is None:
            data.pop("sort")
        await rules.update_rule(actor, rule_id, convert(data, RulePatch))
    except (DomainError, FormError) as error:
        return await _rule_page(actor, rule_id, errors=errors_of(error), values=form, status=400)
    return Redirect("/settings/assignment-rules")


@post("/settings/assignment-rules/{rule_id:int}/delete", include_in_schema=False)
async def rule_delete(actor: CurrentActor, rule_id: RecordId) -> Response[Any]:
    """Remove a rule."""
    await rules.delete_rule(actor, rule_id)
    return Redirect("/settings/assignment-rules")


def subject_data(form: dict[str, Any]) -> dict[str, Any]:
    """The «test a request» box as the preview takes it."""
    data: dict[str, Any] = {
        key: str(form.get(key, ""))[:500]
        for key in ("kind", "brand", "device_type", "city", "address", "channel")
    }
    data["kind"] = data["kind"] or "request"
    for key in ("latitude", "longitude"):
        text = str(form.get(key, "")).strip().replace(",", ".")
        if text:
            try:
                data[key] = float(text)
            except ValueError:
                raise InvalidInput("Enter a number", field=key) from None
    for key in ("problem_class_id", "source_org_id"):
        ids = _ids(form, key)
        if ids:
            data[key] = ids[0]
    data["fields"] = _pairs(str(form.get("fields", "")), "fields")
    return data


@post("/settings/assignment-rules/preview", include_in_schema=False)
async def rule_preview(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Which rule fires for such a request or order, shown under the box."""
    form = await read_form(request)
    try:
        subject = convert(subject_data(form), SubjectIn)
        shown = await api.preview(
            actor, subject, orders.open_work, org_load=orders.open_at_service_centers
        )
    except (DomainError, FormError) as error:
        return await _rules_page(actor, errors=errors_of(error), subject=form, status=400)
    return await _rules_page(actor, preview=shown, subject=form)


# --- zones ---------------------------------------------------------------------------------


async def _zones_page(
    actor: Actor, *, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:  # fmt: skip
    actor.require(Section.SETTINGS, Action.VIEW)
    found = await zones.all_zones()
    context = page_context(
        actor,
        zones=found,
        errors=errors or {},
        values=values or {},
        tiles=get_settings().map_tiles,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        shapes=[{"id": z.id, "name": z.name, "polygon": z.polygon} for z in found],
    )
    return Template("responsibles/zones.html", context=context, status_code=status)


def zone_data(form: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A zone's fields from the form: the points as pasted or drawn, places one per line."""
    return {
        "name": str(form.get(f"{prefix}name", ""))[:200],
        "polygon": parse_points(str(form.get(f"{prefix}polygon", ""))[:100_000], "polygon"),
        "places": lines(str(form.get(f"{prefix}places", "")).replace(";", "\n"))[:200],
        "is_active": form.get(f"{prefix}is_active", "1") in ("1", "on"),
    }


@get("/settings/assignment-zones", include_in_schema=False)
async def zones_page(actor: CurrentActor) -> Template:
    """The address zones on a map, and a form to draw or paste a new one."""
    return await _zones_page(actor)


@post("/settings/assignment-zones", include_in_schema=False)
async def zone_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a zone."""
    form = await read_form(request)
    try:
        await zones.create_zone(actor, convert(zone_data(form), ZoneIn))
    except (DomainError, FormError) as error:
        return await _zones_page(actor, errors=errors_of(error), values=form, status=400)
    return Redirect("/settings/assignment-zones")


@post("/settings/assignment-zones/{zone_id:int}", include_in_schema=False)
async def zone_update(
    request: Request[Any, Any, Any], actor: CurrentActor, zone_id: RecordId
) -> Response[Any]:
    """Save a zone."""
    form = await read_form(request)
    try:
        data = zone_data(form, f"z{zone_id}-")
        data["is_active"] = form.get(f"z{zone_id}-is_active") in ("1", "on")
        await zones.update_zone(actor, zone_id, convert(data, ZonePatch))
    except (DomainError, FormError) as error:
        shown = {f"z{zone_id}-{k}" if k else "": v for k, v in errors_of(error).items()}
        return await _zones_page(actor, errors=shown, values=form, status=400)
    return Redirect("/settings/assignment-zones")


# --- the problem classification ------------------------------------------------------------


async def _classes_page(
    actor: Actor, *, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
    status: int = 200,
) -> Template:  # fmt: skip
    actor.require(Section.SETTINGS, Action.VIEW)
    context = page_context(
        actor,
        nodes=await classes.all_classes(),
        errors=errors or {},
        values=values or {},
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("responsibles/classes.html", context=context, status_code=status)


@get("/settings/problem-classes", include_in_schema=False)
async def classes_page(actor: CurrentActor) -> Template:
    """The problem classification as a tree, with forms to add, rename, move and switch off."""
    return await _classes_page(actor)


def _sort(value: Any, field: str) -> int:
    text = str(value or "0").strip()
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput("Enter a whole number", field=field) from None
    if not -32768 <= number <= 32767:
        raise InvalidInput("Enter a whole number", field=field)
    return number


@post("/settings/problem-classes", include_in_schema=False)
async def class_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a node."""
    form = await read_form(request)
    try:
        parent = _ids(form, "parent_id")
        data = ProblemClassIn(
            name=str(form.get("name", ""))[:200],
            parent_id=parent[0] if parent else None,
            sort=_sort(form.get("sort"), "sort"),
        )
        await classes.create_class(actor, data)
    except (DomainError, FormError, msgspec.ValidationError) as error:
        shown = (
            error if not isinstance(error, msgspec.ValidationError) else FormError({"": str(error)})
        )
        return await _classes_page(actor, errors=errors_of(shown), values=form, status=400)
    return Redirect("/settings/problem-classes")


@post("/settings/problem-classes/{class_id:int}", include_in_schema=False)
async def class_update(
    request: Request[Any, Any, Any], actor: CurrentActor, class_id: RecordId
) -> Response[Any]:
    """Rename, move or reorder a node, or switch it off or on."""
    form = await read_form(request)
    prefix = f"c{class_id}-"
    try:
        parent = _ids(form, f"{prefix}parent_id")
        data = ProblemClassPatch(
            name=str(form.get(f"{prefix}name", ""))[:200],
            parent_id=parent[0] if parent else None,
            sort=_sort(form.get(f"{prefix}sort"), f"{prefix}sort"),
            is_active=form.get(f"{prefix}is_active") in ("1", "on"),
        )
        await classes.update_class(actor, class_id, data)
    except (DomainError, FormError) as error:
        shown = {
            k if k.startswith(prefix) or not k else f"{prefix}{k}": v
            for k, v in errors_of(error).items()
        }
        return await _classes_page(actor, errors=shown, values=form, status=400)
    return Redirect("/settings/problem-classes")


handlers = [
    rules_page,
    rule_create,
    rule_page,
    rule_update,
    rule_delete,
    rule_preview,
    zones_page,
    zone_create,
    zone_update,
    classes_page,
    class_create,
    class_update,
]
