"""Pages of the suppliers directory: the list with search and the form of a new supplier
(/purchasing/suppliers), and a supplier's card with its latest orders and the edit form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import DomainError
from server.guards import CurrentActor
from server.params import RecordId, Search
from server.purchasing import listing, suppliers
from server.purchasing.schemas import SupplierIn, SupplierPatch
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

CursorText = Annotated[str | None, QueryParameter(max_length=500)]


async def _suppliers_page(
    actor: Actor,
    q: str,
    cursor: str | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    items, following = await suppliers.list_suppliers(
        actor, q=q, include_inactive=True, cursor=cursor
    )
    context = page_context(
        actor,
        items=items,
        following=following,
        q=q,
        values=values,
        errors=errors,
        can_create=actor.can(Section.PURCHASING, Action.CREATE),
    )
    return Template("purchasing/suppliers.html", context=context, status_code=status)


@get("/purchasing/suppliers", include_in_schema=False)
async def suppliers_page(
    actor: CurrentActor, q: Search = "", cursor: CursorText = None
) -> Template:
    """The suppliers directory with the form of a new supplier."""
    return await _suppliers_page(actor, q, cursor, {}, {})


SUPPLIER_FIELDS = ("name", "inn", "contact_person", "phone", "email", "note")


@post("/purchasing/suppliers", include_in_schema=False)
async def supplier_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add the supplier."""
    form = await read_form(request)
    values = {k: str(form.get(k, "")) for k in SUPPLIER_FIELDS}
    try:
        await suppliers.create(actor, convert(values, SupplierIn))
    except (DomainError, FormError) as error:
        return await _suppliers_page(actor, "", None, values, errors_of(error), 400)
    return Redirect("/purchasing/suppliers")


async def _supplier_card(
    actor: Actor,
    supplier_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    found = await suppliers.get(actor, supplier_id)
    orders, _ = await listing.list_orders(actor, supplier_id=supplier_id, limit=20)
    context = page_context(
        actor,
        s=found,
        orders=orders,
        values=values or {k: getattr(found, k) for k in (*SUPPLIER_FIELDS, "is_active")},
        errors=errors,
        can_edit=actor.can(Section.PURCHASING, Action.EDIT),
    )
    return Template("purchasing/supplier.html", context=context, status_code=status)


@get("/purchasing/suppliers/{supplier_id:int}", include_in_schema=False)
async def supplier_card(actor: CurrentActor, supplier_id: RecordId) -> Template:
    """A supplier's card: details, its latest orders and the edit form."""
    return await _supplier_card(actor, supplier_id, {}, {})


@post("/purchasing/suppliers/{supplier_id:int}", include_in_schema=False)
async def supplier_save(
    request: Request[Any, Any, Any], actor: CurrentActor, supplier_id: RecordId
) -> Response[Any]:
    """Save the supplier's edit form."""
    form = await read_form(request)
    values: dict[str, Any] = {k: str(form.get(k, "")) for k in SUPPLIER_FIELDS}
    values["is_active"] = form.get("is_active") in ("on", "true", "1")
    try:
        await suppliers.update(actor, supplier_id, convert(values, SupplierPatch))
    except (DomainError, FormError) as error:
        if isinstance(error, DomainError) and error.status_code in (403, 404):
            raise
        return await _supplier_card(actor, supplier_id, values, errors_of(error), 400)
    return Redirect(f"/purchasing/suppliers/{supplier_id}")


handlers = [suppliers_page, supplier_submit, supplier_card, supplier_save]
