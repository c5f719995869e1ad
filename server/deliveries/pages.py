"""Pages of deliveries: the list (/deliveries), a new shipment (/deliveries/new) and the card
(/deliveries/<id>) with its history, status steps, the carrier refresh and the edit form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.deliveries import listing, services
from server.deliveries.carriers import integration_on
from server.deliveries.choices import (
    CARRIER_LABELS,
    DIRECTION_LABELS,
    STATUS_STYLE,
    Carrier,
    ShipmentStatus,
)
from server.deliveries.schemas import ShipmentIn, ShipmentPatch, StatusIn
from server.errors import DomainError
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId, Search
from server.partners import api as partners
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

StatusFilter = Annotated[
    str, QueryParameter(pattern="^(|draft|sent|in_transit|delivered|returned|lost)$")
]
DirectionFilter = Annotated[str, QueryParameter(pattern="^(|(to|from)_(client|partner|supplier))$")]
CarrierFilter = Annotated[str, QueryParameter(pattern="^(|cdek|own_courier|other)$")]
CursorText = Annotated[str | None, QueryParameter(max_length=500)]
Prefill = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
IDS = ("client_id", "partner_id", "order_id")
AMOUNTS = ("cost", "weight_kg")
DATES = ("sent_on", "expected_on")


def _choices() -> dict[str, Any]:
    return {
        "statuses": STATUS_STYLE,
        "directions": DIRECTION_LABELS,
        "carriers": CARRIER_LABELS,
        "cdek_on": integration_on(Carrier.CDEK.value),
    }


@get("/deliveries", include_in_schema=False)
async def deliveries_page(
    actor: CurrentActor,
    status: StatusFilter = "",
    direction: DirectionFilter = "",
    carrier: CarrierFilter = "",
    q: Search = "",
    cursor: CursorText = None,
) -> Template:
    """Shipments, newest first, with filters."""
    items, following = await listing.list_shipments(
        actor,
        status=status or None,
        direction=direction or None,
        carrier=carrier or None,
        q=q,
        cursor=cursor,
    )
    context = page_context(
        actor,
        items=items,
        following=following,
        status=status,
        direction=direction,
        carrier=carrier,
        q=q,
        can_create=actor.can(Section.DELIVERIES, Action.CREATE),
        **_choices(),
    )
    return Template("deliveries/list.html", context=context)


def form_values(form: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The posted fields of a shipment form as the API takes them (empty: none)."""
    values: dict[str, Any] = {}
    for key in fields:
        if key not in form:
            continue
        value = str(form[key]).strip() if not isinstance(form[key], list) else ""
        if key in IDS or key in AMOUNTS or key in DATES:
            values[key] = value.replace(",", ".").replace(" ", "") or None
        else:
            values[key] = value
    return values


async def _new_page(
    actor: Actor, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Template:
    actor.require(Section.DELIVERIES, Action.CREATE)
    context = page_context(
        actor,
        values=values,
        errors=errors,
        partners=await partners.organizations(),
        new=True,
        **_choices(),
    )
    return Template("deliveries/new.html", context=context, status_code=status)


@get("/deliveries/new", include_in_schema=False)
async def new_shipment_page(
    actor: CurrentActor, order_id: Prefill = None, client_id: Prefill = None
) -> Template:
    """The form of a new shipment (from an order's or a client's card: for it)."""
    values: dict[str, Any] = {"direction": "to_client", "carrier": "cdek", "status": "draft"}
    values |= {"places": "1", "order_id": order_id, "client_id": client_id}
    return await _new_page(actor, values, {})


@post("/deliveries/new", include_in_schema=False)
async def new_shipment_submit(
    request: Request[Any, Any, Any], actor: CurrentActor
) -> Response[Any]:
    """Add the shipment and open its card."""
    values = form_values(await read_form(request), tuple(ShipmentIn.__struct_fields__))
    try:
        created = await services.create(actor, convert(values, ShipmentIn))
    except (DomainError, FormError) as error:
        return await _new_page(actor, values, errors_of(error), 400)
    return Redirect(f"/deliveries/{created.id}")


async def _card(
    actor: Actor,
    shipment_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    values: dict[str, Any] | None = None,
) -> Template:
    found = await listing.get(actor, shipment_id)
    context = page_context(
        actor,
        s=found,
        errors=errors or {},
        values=values or {},
        can_edit=actor.can(Section.DELIVERIES, Action.EDIT),
        partners=await partners.organizations(active_only=False),
        next_labels={code: STATUS_STYLE[ShipmentStatus(code)][0] for code in found.next_statuses},
        **_choices(),
    )
    return Template("deliveries/card.html", context=context, status_code=status)


@get("/deliveries/{shipment_id:int}", include_in_schema=False)
async def shipment_card(actor: CurrentActor, shipment_id: RecordId) -> Template:
    """A shipment's card with its history."""
    return await _card(actor, shipment_id)


async def _step(
    actor: Actor, shipment_id: int, step: Any, values: dict[str, Any] | None = None
) -> Response[Any]:
    try:
        await step
    except DomainError as error:
        if error.status_code in (403, 404):
            raise
        code = error.status_code if error.status_code >= 409 else 400
        return await _card(actor, shipment_id, errors_of(error), code, values)
    return Redirect(f"/deliveries/{shipment_id}")


@post("/deliveries/{shipment_id:int}", include_in_schema=False)
async def shipment_save(
    request: Request[Any, Any, Any], actor: CurrentActor, shipment_id: RecordId
) -> Response[Any]:
    """Save the card's edit form."""
    values = form_values(await read_form(request), tuple(ShipmentPatch.__struct_fields__))
    values.pop("order_id", None)  # the form names the order by its number
    try:
        data = convert(values, ShipmentPatch)
    except FormError as error:
        return await _card(actor, shipment_id, errors_of(error), 400, values)
    return await _step(actor, shipment_id, services.update(actor, shipment_id, data), values)


@post("/deliveries/{shipment_id:int}/status", include_in_schema=False)
async def shipment_status(
    request: Request[Any, Any, Any], actor: CurrentActor, shipment_id: RecordId
) -> Response[Any]:
    """Move the shipment on, from the card's buttons."""
    form = await read_form(request)
    data = StatusIn(status=str(form.get("status", ""))[:20], note=str(form.get("note", ""))[:2000])
    return await _step(actor, shipment_id, services.change_status(actor, shipment_id, data))


@post("/deliveries/{shipment_id:int}/refresh", include_in_schema=False)
async def shipment_refresh(actor: CurrentActor, shipment_id: RecordId) -> Response[Any]:
    """Fetch the shipment from its carrier now."""
    return await _step(actor, shipment_id, services.refresh(actor, shipment_id))


handlers = [
    deliveries_page,
    new_shipment_page,
    new_shipment_submit,
    shipment_card,
    shipment_save,
    shipment_status,
    shipment_refresh,
]
