"""The intake page: find or create the client (with the address visits need) and the device
inline, then open the order with a notice and the receipt at hand."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.cashdesk import api as cashdesk
from server.clients.devices import DeviceService
from server.clients.schemas import ClientCreate, ClientPatch, DeviceCreate
from server.clients.services import ClientFilters, ClientService
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import gettext
from server.orders.choices import PRIORITY_LABELS
from server.orders.customfields import definitions
from server.orders.pages import custom_from, technicians
from server.orders.schemas import OrderCreate
from server.orders.services import OrderService
from server.orders.tables import Order, OrderType
from server.staff.permissions import Action, Capability, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

Q = Annotated[str, QueryParameter(max_length=200)]


async def _page(
    actor: Actor, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> Template:
    actor.require(Section.ORDERS, Action.CREATE)
    clients = ClientService(actor)
    client = None
    devices: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    client_id = str(values.get("client_id", ""))
    if client_id.isdigit():
        client = await clients.get_client(int(client_id))
        devices = await DeviceService(actor).of_client(int(client_id))
    elif values.get("client_q"):
        found, _ = await clients.list_clients(ClientFilters(q=str(values["client_q"])), limit=10)
    types = await OrderType.select().where(OrderType.is_active.eq(True)).order_by(OrderType.sort)
    context = page_context(
        actor,
        values=values,
        errors=errors,
        client=client,
        devices=devices,
        found=found,
        types=types,
        technicians=await technicians(),
        priorities=PRIORITY_LABELS,
        can_note=actor.has(Capability.LOCKED_NOTE),
        can_pay=actor.can(Section.FINANCE, Action.CREATE),
        payment_methods=cashdesk.METHOD_LABELS,
        fields=[f for f in await definitions("order") if f["order_type"] is None],
    )
    return Template("orders/new.html", context=context, status_code=status_code)


@get("/orders/new", include_in_schema=False)
async def new_order_page(actor: CurrentActor, client: Q = "", client_q: Q = "") -> Template:
    """Start an intake: search a client, or go on with the one chosen."""
    return await _page(actor, {"client_id": client, "client_q": client_q, "priority": "normal"}, {})


async def _client_id(actor: Actor, form: dict[str, Any]) -> int:
    if str(form.get("client_id", "")).isdigit():
        return int(form["client_id"])
    if not str(form.get("new_client_name", "")).strip():
        raise FormError({"new_client_name": gettext("Choose a client or enter a new one")})
    address = _address(form)
    data = {
        "kind": form.get("new_client_kind", "person"),
        "name": form.get("new_client_name", ""),
        "phones": [form["new_client_phone"]] if form.get("new_client_phone") else [],
        "addresses": [{"address": address}] if address else [],
    }
    try:
        created = await ClientService(actor).create_client(convert(data, ClientCreate))
    except (DomainError, FormError) as error:
        raise _client_error(error) from None
    return int(created["id"])


# Client fields as the intake form names them.
CLIENT_FIELDS = {
    "name": "new_client_name",
    "phones": "new_client_phone",
    "kind": "new_client_kind",
    "addresses": "new_client_address",
}


def _client_error(error: DomainError | FormError) -> FormError:
    """A clients domain error on the intake form's field."""
    if isinstance(error, FormError):
        return FormError(
            {
                CLIENT_FIELDS.get(k.split(".")[0], "new_client_name"): v
                for k, v in errors_of(error).items()
            }
        )
    field = (error.field or "").split(".")[0].split("[")[0]
    return FormError({CLIENT_FIELDS.get(field, "new_client_name"): error.text()})


def _address(form: dict[str, Any]) -> str:
    return str(form.get("new_client_address", "")).strip()[:1000]


async def _add_address(actor: Actor, client_id: int, form: dict[str, Any]) -> None:
    """The address typed for a chosen client that has none, stored on the client (the clients
    domain geocodes it as for an address typed on /clients)."""
    address = _address(form)
    if not address:
        return
    clients = ClientService(actor)
    known = (await clients.get_client(client_id)).get("addresses") or []
    if any(a.get("address") == address for a in known):
        return
    kept = [{"id": a["id"], "address": a["address"]} for a in known if a.get("id")]
    try:
        await clients.update_client(
            client_id, convert({"addresses": [*kept, {"address": address}]}, ClientPatch)
        )
    except (DomainError, FormError) as error:
        raise _client_error(error) from None


async def _device_id(actor: Actor, client_id: int, form: dict[str, Any]) -> int | None:
    if str(form.get("device_id", "")).isdigit():
        return int(form["device_id"])
    if not any(
        str(form.get(k, "")).strip()
        for k in ("new_device_brand", "new_device_model", "new_device_serial")
    ):
        return None
    data = {
        "brand_name": form.get("new_device_brand", ""),
        "model_name": form.get("new_device_model", ""),
        "serial": form.get("new_device_serial", ""),
    }
    try:
        created = await DeviceService(actor).create_device(client_id, convert(data, DeviceCreate))
    except DomainError as error:
        field = {
            "brand_name": "new_device_brand",
            "model_name": "new_device_model",
            "serial": "new_device_serial",
        }
        raise FormError({field.get(error.field or "", "new_device_brand"): error.text()}) from None
    return int(created["id"])


@post("/orders/new", include_in_schema=False)
async def new_order_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Create the client and device if new, then the order; on error keep everything typed."""
    form = await read_form(request)
    typed = dict(form)
    try:
        # One transaction: a failure must not leave a new client or device behind.
        async with Order._meta.db.transaction():
            client_id = await _client_id(actor, form)
            if str(form.get("client_id", "")).isdigit():
                await _add_address(actor, client_id, form)
            device_id = await _device_id(actor, client_id, form)
            data: dict[str, Any] = {
                "client_id": client_id,
                "device_id": device_id,
                "order_type_id": _int(form.get("order_type_id")),
                "priority": form.get("priority", "normal"),
                "technician_id": _int(form.get("technician_id")),
                "prepayment_method": str(form.get("prepayment_method", "cash")),
            }
            for key in ("declared_fault", "appearance", "accessories", "locked_note"):
                data[key] = str(form.get(key, ""))
            for key in ("estimated_cost", "prepayment"):
                if str(form.get(key, "")).strip():
                    data[key] = str(form[key]).replace(",", ".").replace(" ", "")
            data["custom"] = custom_from(form)
            order = await OrderService(actor).create_order(convert(data, OrderCreate))
    except (DomainError, FormError) as error:
        return await _page(actor, typed, errors_of(error), status_code=400)
    return Redirect(f"/orders/{order.id}?accepted=1")


def _int(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


handlers = [new_order_page, new_order_submit]
