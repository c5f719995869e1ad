"""Settings pages of the clients domain: device directories and loyalty discounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.clients.directories import DirectoryService
from server.clients.loyalty import LoyaltyService
from server.clients.schemas import (
    DirectoryCreate,
    DirectoryPatch,
    LoyaltyRuleCreate,
    LoyaltyRulePatch,
    ModelCreate,
)
from server.config import get_settings
from server.errors import DomainError
from server.guards import CurrentActor
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

Kind = Annotated[str, PathParameter(pattern=r"^(device_type|brand|model)$")]


def local_to_aware(value: Any) -> str | None:
    """A `datetime-local` form value in the center's time zone, as ISO with the offset."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text  # let the schema name the field
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(get_settings().timezone))
    return moment.isoformat()


async def _directories_page(
    actor: Actor, errors: dict[str, str] | None = None, status_code: int = 200
) -> Template:
    service = DirectoryService(actor)
    context = page_context(
        actor,
        types=await service.list_entries("device_type"),
        brands=await service.list_entries("brand"),
        models=await service.list_entries("model"),
        errors=errors or {},
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        can_create=actor.can(Section.SETTINGS, Action.CREATE),
    )
    return Template("clients/directories.html", context=context, status_code=status_code)


@get("/settings/directories", include_in_schema=False)
async def directories_page(actor: CurrentActor) -> Template:
    """Device types, brands and models."""
    actor.require(Section.SETTINGS, Action.VIEW)
    return await _directories_page(actor)


@post("/settings/directories/{kind:str}", include_in_schema=False)
async def directory_add(
    request: Request[Any, Any, Any], actor: CurrentActor, kind: Kind
) -> Response[Any]:
    """Add a type, brand or model."""
    form = await read_form(request)
    service = DirectoryService(actor)
    try:
        if kind == "model":
            data = {
                "name": form.get("name", ""),
                "brand_id": form.get("brand_id") or None,
                "device_type_id": form.get("device_type_id") or None,
            }
            await service.create(kind, convert(data, ModelCreate))
        else:
            await service.create(kind, convert({"name": form.get("name", "")}, DirectoryCreate))
    except (DomainError, FormError) as error:
        errors = {f"{kind}.{k}": v for k, v in errors_of(error).items()}
        return await _directories_page(actor, errors, 400)
    return Redirect("/settings/directories")


@post("/settings/directories/{kind:str}/{entry_id:int}/active", include_in_schema=False)
async def directory_toggle(
    request: Request[Any, Any, Any], actor: CurrentActor, kind: Kind, entry_id: RecordId
) -> Redirect:
    """Deactivate or reactivate an entry."""
    form = await read_form(request)
    patch = DirectoryPatch(is_active=form.get("active") == "1")
    await DirectoryService(actor).update(kind, entry_id, patch)
    return Redirect("/settings/directories")


async def _loyalty_page(
    actor: Actor,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    context = page_context(
        actor,
        rules=await LoyaltyService(actor).list_rules(),
        values=values or {},
        errors=errors or {},
        can_create=actor.can(Section.SETTINGS, Action.CREATE),
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        can_delete=actor.can(Section.SETTINGS, Action.DELETE),
    )
    return Template("clients/loyalty.html", context=context, status_code=status_code)


@get("/settings/loyalty", include_in_schema=False)
async def loyalty_page(actor: CurrentActor) -> Template:
    """Loyalty rules: automatic discounts after N orders or a total spend."""
    actor.require(Section.SETTINGS, Action.VIEW)
    return await _loyalty_page(actor)


@post("/settings/loyalty", include_in_schema=False)
async def loyalty_add(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a loyalty rule from the form."""
    form = await read_form(request)
    data = {
        "name": form.get("name", ""),
        "percent": str(form.get("percent", "")).replace(",", ".") or "0",
        "min_completed_orders": form.get("min_completed_orders") or None,
        "min_total_spend": str(form.get("min_total_spend", "")).replace(",", ".") or None,
    }
    try:
        await LoyaltyService(actor).create_rule(convert(data, LoyaltyRuleCreate))
    except (DomainError, FormError) as error:
        return await _loyalty_page(actor, form, errors_of(error), 400)
    return Redirect("/settings/loyalty")


@post("/settings/loyalty/{rule_id:int}/active", include_in_schema=False)
async def loyalty_toggle(
    request: Request[Any, Any, Any], actor: CurrentActor, rule_id: RecordId
) -> Redirect:
    """Switch a rule on or off."""
    form = await read_form(request)
    patch = LoyaltyRulePatch(is_active=form.get("active") == "1")
    await LoyaltyService(actor).update_rule(rule_id, patch)
    return Redirect("/settings/loyalty")


@post("/settings/loyalty/{rule_id:int}/delete", include_in_schema=False)
async def loyalty_delete(actor: CurrentActor, rule_id: RecordId) -> Redirect:
    """Delete a rule."""
    await LoyaltyService(actor).delete_rule(rule_id)
    return Redirect("/settings/loyalty")


handlers = [
    directories_page,
    directory_add,
    directory_toggle,
    loyalty_page,
    loyalty_add,
    loyalty_toggle,
    loyalty_delete,
]
