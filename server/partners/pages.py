"""The settings page of partner organizations (/settings/partners)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import DomainError
from server.guards import CurrentActor
from server.params import RecordId
from server.partners import services
from server.partners.choices import KIND_LABELS
from server.partners.schemas import OrgIn, OrgPatch
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, lines, read_form
from server.web.templating import page_context


async def _page(
    actor: Actor,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
    editing: int | None = None,
) -> Template:
    context = page_context(
        actor,
        orgs=await services.list_organizations(actor),
        kinds=KIND_LABELS,
        errors=errors,
        values=values,
        editing=editing,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("partners/settings.html", context=context, status_code=status)


def _form_values(form: dict[str, Any]) -> dict[str, Any]:
    values = {k: form[k] for k in OrgIn.__struct_fields__ if k in form and k != "manufacturers"}
    values["manufacturers"] = lines(str(form.get("manufacturers", "")))
    values["is_active"] = form.get("is_active") in ("1", "on", "true")
    return values


@get("/settings/partners", include_in_schema=False)
async def partners_page(actor: CurrentActor) -> Template:
    """Dealers and partner service centers: the list and the form to add one."""
    return await _page(actor, {}, {"kind": "dealer", "is_active": True})


@post("/settings/partners", include_in_schema=False)
async def partner_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add an organization."""
    form = await read_form(request)
    values = _form_values(form)
    try:
        await services.create_organization(actor, convert(values, OrgIn))
    except (DomainError, FormError) as error:
        return await _page(actor, errors_of(error), values, 400)
    return Redirect("/settings/partners")


@post("/settings/partners/{org_id:int}", include_in_schema=False)
async def partner_update(
    request: Request[Any, Any, Any], actor: CurrentActor, org_id: RecordId
) -> Response[Any]:
    """Save an organization's form."""
    form = await read_form(request)
    values = _form_values(form)
    try:
        await services.update_organization(actor, org_id, convert(values, OrgPatch))
    except (DomainError, FormError) as error:
        return await _page(actor, errors_of(error), values, 400, editing=org_id)
    return Redirect("/settings/partners")


handlers = [partners_page, partner_create, partner_update]
