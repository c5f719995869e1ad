"""The warehouses page: the stores and the masters' vans, the form to add one, switching one off
and deleting one nothing has moved through yet. The same services as the API."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import Conflict, DomainError
from server.guards import CurrentActor
from server.params import RecordId
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.stock import warehouses
from server.stock.choices import WAREHOUSE_LABELS
from server.stock.schemas import WarehouseIn, WarehousePatch
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context


@get("/stock/warehouses", include_in_schema=False)
async def warehouses_page(actor: CurrentActor) -> Template:
    """The stores and the masters' vans, and the form to add one."""
    return await _warehouses(actor, {}, {"kind": "store"})


async def _warehouses(
    actor: Actor, errors: dict[str, str], values: dict[str, Any], status: int = 200
) -> Template:
    found = await warehouses.list_warehouses(actor)
    can_delete = actor.can(Section.STOCK, Action.DELETE)
    context = page_context(
        actor,
        warehouses=found,
        deletable=await warehouses.unused_ids([w.id for w in found]) if can_delete else set(),
        kinds=WAREHOUSE_LABELS,
        employees=await staff.active_employees() if actor.can(Section.STOCK, Action.CREATE) else [],
        errors=errors,
        values=values,
        can_create=actor.can(Section.STOCK, Action.CREATE),
        can_edit=actor.can(Section.STOCK, Action.EDIT),
    )
    return Template("stock/warehouses.html", context=context, status_code=status)


def _warehouse_values(form: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: form[k] for k in ("kind", "name", "address") if k in form}
    master = str(form.get("master_id", ""))
    values["master_id"] = int(master) if master.isdigit() else None
    return values


@post("/stock/warehouses", include_in_schema=False)
async def warehouse_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a store or a van."""
    form = await read_form(request)
    values = _warehouse_values(form)
    try:
        await warehouses.create_warehouse(actor, convert(values, WarehouseIn))
    except (DomainError, FormError) as error:
        return await _warehouses(actor, errors_of(error), form, 400)
    return Redirect("/stock/warehouses")


@post("/stock/warehouses/{warehouse_id:int}/active", include_in_schema=False)
async def warehouse_switch(
    request: Request[Any, Any, Any], actor: CurrentActor, warehouse_id: RecordId
) -> Response[Any]:
    """Switch a warehouse off or on again (its history stays)."""
    form = await read_form(request)
    patch = WarehousePatch(is_active=form.get("is_active") == "1")
    try:
        await warehouses.update_warehouse(actor, warehouse_id, patch)
    except DomainError as error:
        return await _warehouses(actor, errors_of(error), {"kind": "store"}, 400)
    return Redirect("/stock/warehouses")


@post("/stock/warehouses/{warehouse_id:int}/delete", include_in_schema=False)
async def warehouse_delete(actor: CurrentActor, warehouse_id: RecordId) -> Response[Any]:
    """Delete a warehouse nothing has moved through yet; another is refused with the reason."""
    try:
        await warehouses.delete_warehouse(actor, warehouse_id)
    except Conflict as error:
        return await _warehouses(actor, errors_of(error), {"kind": "store"}, 409)
    return Redirect("/stock/warehouses")


handlers = [warehouses_page, warehouse_create, warehouse_switch, warehouse_delete]
