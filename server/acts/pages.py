"""Pages of acts: the open requests per employee (/acts) and the settings (/settings/acts)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.acts import kinds, services
from server.acts.schemas import ActKindIn, ActKindPatch
from server.errors import DomainError, InvalidInput
from server.guards import CurrentActor
from server.orders import api as orders
from server.params import MAX_ID, RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

EmployeeFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


@get("/acts", include_in_schema=False)
async def requests_page(actor: CurrentActor, employee: EmployeeFilter = None) -> Template:
    """Open requests for acts, per employee, with links to the orders."""
    found = await services.open_requests(actor, employee)
    context = page_context(actor, found=found, employee=employee)
    return Template("acts/requests.html", context=context)


async def _settings(
    actor: Actor, errors: dict[str, str], values: dict[str, Any], status: int = 200
) -> Template:
    actor.require(Section.SETTINGS, Action.VIEW)
    types = await orders.order_types()
    stored = await kinds.required_all(actor)
    required = {t["id"]: stored.get(t["id"], []) for t in types}
    context = page_context(
        actor,
        kinds=await kinds.all_kinds(),
        types=types,
        required=required,
        errors=errors,
        values=values,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("acts/settings.html", context=context, status_code=status)


@get("/settings/acts", include_in_schema=False)
async def settings_page(actor: CurrentActor) -> Template:
    """The act kinds and the acts each order type's visits must end with."""
    return await _settings(actor, {}, {})


@post("/settings/acts/kinds", include_in_schema=False)
async def kind_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a kind of act."""
    form = await read_form(request)
    try:
        await kinds.create_kind(actor, convert(form, ActKindIn))
    except (DomainError, FormError) as error:
        return await _settings(actor, errors_of(error), form, 400)
    return Redirect("/settings/acts")


@post("/settings/acts/kinds/{kind_id:int}", include_in_schema=False)
async def kind_update(
    request: Request[Any, Any, Any], actor: CurrentActor, kind_id: RecordId
) -> Response[Any]:
    """Rename a kind, or switch it off or on."""
    form = await read_form(request)
    try:
        name = str(form.get("name", ""))
        if not name.strip():
            raise InvalidInput("This field is required", field=f"name-{kind_id}")
        patch = ActKindPatch(name=name[:100], is_active=form.get("is_active") in ("1", "on"))
        await kinds.update_kind(actor, kind_id, patch)
    except (DomainError, FormError, msgspec.ValidationError) as error:
        shown = (
            error if isinstance(error, (DomainError, FormError)) else FormError({"": str(error)})
        )
        return await _settings(actor, errors_of(shown), {}, 400)
    return Redirect("/settings/acts")


@post("/settings/acts/types/{order_type_id:int}", include_in_schema=False)
async def type_acts(
    request: Request[Any, Any, Any], actor: CurrentActor, order_type_id: RecordId
) -> Response[Any]:
    """Set the acts every visit of the order type must end with."""
    form = await read_form(request)
    chosen = form.get("act_kind_ids", [])
    chosen = chosen if isinstance(chosen, list) else [chosen]
    try:
        ids = []
        for value in chosen:
            if not str(value).isdigit() or len(str(value)) > 10:
                raise InvalidInput("Choose act kinds from the list", field="act_kind_ids")
            ids.append(int(value))
        await kinds.set_required(actor, order_type_id, ids)
    except DomainError as error:
        return await _settings(actor, errors_of(error), {}, 400)
    return Redirect("/settings/acts")


handlers = [requests_page, settings_page, kind_create, kind_update, type_acts]
