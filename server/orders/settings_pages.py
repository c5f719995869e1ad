"""Settings pages of orders: workflow (statuses, types, transitions), price list, custom fields."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import N_, gettext
from server.orders.choices import FieldKind, LineKind, StatusGroup, TransitionRule
from server.orders.settings import SettingsService
from server.params import RecordId
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.web.forms import errors_of, lines, read_form
from server.web.templating import page_context

TypeId = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]


async def _workflow(
    actor: Actor,
    type_id: int | None,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> Template:
    service = SettingsService(actor)
    types = await service.records("order_type")
    chosen = next((t for t in types if t["id"] == type_id), types[0] if types else None)
    transitions = await service.transitions(chosen["id"]) if chosen else []
    allowed = {(t["from_status"], t["to_status"]): t["role_codes"] for t in transitions}
    context = page_context(
        actor,
        statuses=await service.records("order_status"),
        types=types,
        chosen=chosen,
        allowed=allowed,
        groups=[g.value for g in StatusGroup],
        rules=[r.value for r in TransitionRule],
        role_names=await staff.role_names(),
        errors=errors,
        values=values,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("orders/settings_workflow.html", context=context, status_code=status)


@get("/settings/workflow", include_in_schema=False)
async def workflow_page(actor: CurrentActor, type: TypeId = None) -> Template:
    """Statuses, order types and the transitions of one type."""
    return await _workflow(actor, type, {}, {})


def _flag(form: dict[str, Any], key: str) -> bool:
    return form.get(key) in ("1", "on", "true")


@post("/settings/workflow/statuses", include_in_schema=False)
async def status_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a status."""
    form = await read_form(request)
    rules = form.get("rules", [])
    values = {
        "code": form.get("code", ""),
        "name": form.get("name", ""),
        "color": form.get("color", "#607d8b"),
        "group": form.get("group", ""),
        "rules": rules if isinstance(rules, list) else [rules],
    }
    try:
        await SettingsService(actor).create("order_status", values)
    except DomainError as error:
        return await _workflow(actor, None, errors_of(error), form, 400)
    return Redirect("/settings/workflow")


@post("/settings/workflow/types", include_in_schema=False)
async def type_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add an order type (it starts in the first status of group «new»)."""
    form = await read_form(request)
    service = SettingsService(actor)
    days = str(form.get("default_deadline_days", "7"))
    values: dict[str, Any] = {
        "code": form.get("code", ""),
        "name": form.get("name", ""),
        "is_field": _flag(form, "is_field"),
        "auto_assign": _flag(form, "auto_assign"),
        "default_deadline_days": int(days) if days.isdigit() and len(days) < 6 else -1,
    }
    first_new = next(
        (s for s in await service.records("order_status") if s["group"] == "new"), None
    )
    if first_new:
        values["initial_status"] = first_new["id"]
    try:
        created = await service.create("order_type", values)
    except DomainError as error:
        return await _workflow(actor, None, errors_of(error), form, 400)
    return Redirect(f"/settings/workflow?type={created['id']}")


@post("/settings/workflow/types/{type_id:int}/transitions", include_in_schema=False)
async def transitions_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, type_id: RecordId
) -> Response[Any]:
    """Save the transition matrix of a type (role limits of kept moves stay as they were)."""
    form = await read_form(request)
    ticked = form.get("move", [])
    wanted: set[tuple[int, int]] = set()
    for move in ticked if isinstance(ticked, list) else [ticked]:
        source, _, target = str(move).partition(":")
        if source.isdigit() and target.isdigit() and len(source) < 10 and len(target) < 10:
            wanted.add((int(source), int(target)))
    service = SettingsService(actor)
    current: dict[tuple[int, int], list[str]] = {
        (t["from_status"], t["to_status"]): t["role_codes"]
        for t in await service.transitions(type_id)
    }
    try:
        for pair in set(current) - wanted:
            await service.set_transition(type_id, pair[0], pair[1], False, [])
        for pair in wanted - set(current):
            await service.set_transition(type_id, pair[0], pair[1], True, [])
    except DomainError as error:
        return await _workflow(actor, type_id, errors_of(error), form, 400)
    return Redirect(f"/settings/workflow?type={type_id}")


async def _prices(
    actor: Actor,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
    *,
    editing: int | None = None,
    notice: str = "",
) -> Template:
    rows = await SettingsService(actor).records("price_item")
    context = page_context(
        actor,
        items=rows,
        kinds=[k.value for k in LineKind],
        errors=errors if editing is None else {},
        values=values if editing is None else {},
        row_errors=errors if editing is not None else {},
        row_values=values if editing is not None else {},
        editing=editing,
        notice=notice,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("orders/settings_prices.html", context=context, status_code=status)


Done = Annotated[str, QueryParameter(max_length=10)]
PRICE_NOTICES = {
    "deleted": N_("Deleted"),
    "archived": N_(
        "Orders already have this item, so it is archived instead: old orders keep their lines"
    ),
    "saved": N_("Saved"),
}
FIELD_NOTICES = {
    "deleted": N_("Deleted"),
    "archived": N_(
        "Some records already hold a value of this field, so it is archived instead:"
        " the values stay and new records no longer ask for it"
    ),
    "saved": N_("Saved"),
}


@get("/settings/prices", include_in_schema=False)
async def prices_page(actor: CurrentActor, done: Done = "") -> Template:
    """The price list."""
    notice = PRICE_NOTICES.get(done)
    return await _prices(actor, {}, {}, notice=gettext(notice) if notice else "")


def _price_values(form: dict[str, Any]) -> dict[str, Any]:
    warranty = str(form.get("warranty_days", "0") or "0")
    return {
        "kind": form.get("kind", "service"),
        "name": form.get("name", ""),
        "code_text": form.get("code", ""),
        "price": str(form.get("price", "")).replace(",", ".").replace(" ", "") or "x",
        "purchase_price": str(form.get("purchase_price", "0") or "0")
        .replace(",", ".")
        .replace(" ", ""),
        "warranty_days": int(warranty) if warranty.isdigit() and len(warranty) < 6 else -1,
        "is_active": _flag(form, "is_active") if "existing" in form else True,
    }


@post("/settings/prices", include_in_schema=False)
async def price_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a price list item."""
    form = await read_form(request)
    try:
        await SettingsService(actor).create("price_item", _price_values(form))
    except DomainError as error:
        return await _prices(actor, errors_of(error), form, 400)
    return Redirect("/settings/prices")


@post("/settings/prices/{item_id:int}", include_in_schema=False)
async def price_update(
    request: Request[Any, Any, Any], actor: CurrentActor, item_id: RecordId
) -> Response[Any]:
    """Change a price list item."""
    form = await read_form(request)
    try:
        await SettingsService(actor).update(
            "price_item", item_id, _price_values({**form, "existing": "1"})
        )
    except DomainError as error:
        return await _prices(actor, errors_of(error), form, 400, editing=item_id)
    return Redirect("/settings/prices?done=saved")


@post("/settings/prices/{item_id:int}/delete", include_in_schema=False)
async def price_delete(actor: CurrentActor, item_id: RecordId) -> Response[Any]:
    """Delete a price list item (archive it when orders already have it)."""
    try:
        deleted = await SettingsService(actor).delete("price_item", item_id)
    except DomainError as error:
        return await _prices(actor, errors_of(error), {}, error.status_code)
    return Redirect(f"/settings/prices?done={'deleted' if deleted else 'archived'}")


async def _fields(
    actor: Actor,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
    *,
    editing: int | None = None,
    notice: str = "",
) -> Template:
    service = SettingsService(actor)
    context = page_context(
        actor,
        fields=await service.records("custom_field"),
        types=await service.records("order_type"),
        kinds=[k.value for k in FieldKind],
        errors=errors if editing is None else {},
        values=values if editing is None else {},
        row_errors=errors if editing is not None else {},
        row_values=values if editing is not None else {},
        editing=editing,
        notice=notice,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("orders/settings_fields.html", context=context, status_code=status)


@get("/settings/custom-fields", include_in_schema=False)
async def fields_page(actor: CurrentActor, done: Done = "") -> Template:
    """Custom fields of orders and clients."""
    notice = FIELD_NOTICES.get(done)
    return await _fields(actor, {}, {}, notice=gettext(notice) if notice else "")


def _order_type(form: dict[str, Any]) -> int | None:
    order_type = str(form.get("order_type", ""))
    return int(order_type) if order_type.isdigit() and len(order_type) < 10 else None


@post("/settings/custom-fields", include_in_schema=False)
async def field_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a custom field."""
    form = await read_form(request)
    values = {
        "entity": form.get("entity", "order"),
        "code": form.get("code", ""),
        "label": form.get("label", ""),
        "kind": form.get("kind", "text"),
        "choices": lines(str(form.get("choices", ""))),
        "required": _flag(form, "required"),
        "order_type": _order_type(form),
    }
    try:
        await SettingsService(actor).create("custom_field", values)
    except DomainError as error:
        return await _fields(actor, errors_of(error), form, 400)
    return Redirect("/settings/custom-fields")


@post("/settings/custom-fields/{field_id:int}", include_in_schema=False)
async def field_update(
    request: Request[Any, Any, Any], actor: CurrentActor, field_id: RecordId
) -> Response[Any]:
    """Change a custom field's label, values, whether it is required, its order type, its
    place and whether it is in use (its code and entity stay)."""
    form = await read_form(request)
    sort = str(form.get("sort", "0")).strip() or "0"
    values: dict[str, Any] = {
        "label": form.get("label", ""),
        "required": _flag(form, "required"),
        "is_active": _flag(form, "is_active"),
        "order_type": _order_type(form),
        "sort": int(sort) if sort.lstrip("-").isdigit() and len(sort) < 6 else 10**6,
    }
    if "choices" in form:
        values["choices"] = lines(str(form.get("choices", "")))
    try:
        await SettingsService(actor).update("custom_field", field_id, values)
    except DomainError as error:
        return await _fields(actor, errors_of(error), form, 400, editing=field_id)
    return Redirect("/settings/custom-fields?done=saved")


@post("/settings/custom-fields/{field_id:int}/delete", include_in_schema=False)
async def field_delete(actor: CurrentActor, field_id: RecordId) -> Response[Any]:
    """Delete a custom field (archive it when records already hold its values)."""
    try:
        deleted = await SettingsService(actor).delete("custom_field", field_id)
    except DomainError as error:
        return await _fields(actor, errors_of(error), {}, error.status_code)
    return Redirect(f"/settings/custom-fields?done={'deleted' if deleted else 'archived'}")


handlers = [
    workflow_page,
    status_create,
    type_create,
    transitions_submit,
    prices_page,
    price_create,
    price_update,
    price_delete,
    fields_page,
    field_create,
    field_update,
    field_delete,
]
