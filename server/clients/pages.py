"""Client pages: the list, the new-client form with a duplicate warning, the card, edit, devices."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.clients import address_pages, forms, geocoding, settings_pages
from server.clients.devices import DeviceService
from server.clients.directories import DirectoryService
from server.clients.reminders import ReminderService
from server.clients.schemas import (
    ClientCreate,
    ClientPatch,
    DeviceCreate,
    DevicePatch,
    ReminderCreate,
    ReminderPatch,
)
from server.clients.services import ClientFilters, ClientService
from server.errors import DomainError
from server.fieldaccess import level
from server.guards import CurrentActor
from server.i18n import gettext
from server.orders import api as orders
from server.params import Flag, RecordId, Search
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

Text = Annotated[str, QueryParameter(max_length=200)]
PageCursor = Annotated[str | None, QueryParameter(max_length=500)]
FIELD_NAMES = (*forms.TEXT_FIELDS, "kind", "phones", "emails", "addresses", "tags",
               "discount_percent", "custom")  # fmt: skip


def _levels(actor: Actor) -> dict[str, str]:
    return {f: level(actor, "client", f) for f in FIELD_NAMES}


async def _form_page(
    actor: Actor,
    client: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    duplicates: list[dict[str, Any]] | None = None,
) -> Template:
    context = page_context(
        actor,
        client=client,
        values=values,
        errors=forms.field_errors(errors),
        levels=_levels(actor),
        custom_fields=await orders.custom_field_definitions("client"),
        duplicates=duplicates or [],
    )
    return Template("clients/client_form.html", context=context, status_code=status_code)


@get("/clients", include_in_schema=False)
async def clients_page(
    actor: CurrentActor,
    q: Search = "",
    kind: Text = "",
    tag: Text = "",
    sort: Text = "name",
    cursor: PageCursor = None,
) -> Template:
    """The list of clients with search and filters; a keyset «next page» link."""
    filters = ClientFilters(q=q, kind=kind, tag=tag, sort=sort)
    items, next_cursor = await ClientService(actor).list_clients(filters, cursor, 50)
    context = page_context(
        actor,
        clients=items,
        q=q,
        kind=kind,
        tag=tag,
        sort=sort,
        next_cursor=next_cursor,
        can_create=actor.can(Section.CLIENTS, Action.CREATE),
        unlocated=await geocoding.unlocated_count(actor),
    )
    return Template("clients/clients.html", context=context)


@get("/clients/new", include_in_schema=False)
async def client_new_page(actor: CurrentActor) -> Template:
    """The empty form of a new client."""
    actor.require(Section.CLIENTS, Action.CREATE)
    return await _form_page(actor, None, forms.form_values({}), {})


@post("/clients/new", include_in_schema=False)
async def client_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Create a client; a phone or email that another client has asks for confirmation first."""
    service = ClientService(actor)
    form = await read_form(request)
    codes = [f["code"] for f in await orders.custom_field_definitions("client")]
    data = forms.writable_only(actor, forms.client_data(form, codes))
    try:
        payload = convert(data, ClientCreate)
        if not form.get("confirm_duplicates"):
            found: dict[int, dict[str, Any]] = {}
            for phone in payload.phones:
                for row in await service.duplicates(phone=str(phone)):
                    found[row["id"]] = row
            for email in payload.emails:
                for row in await service.duplicates(email=str(email)):
                    found[row["id"]] = row
            if found:
                values = forms.form_values(data)
                return await _form_page(actor, None, values, {}, duplicates=list(found.values()))
        card = await service.create_client(payload)
    except (DomainError, FormError) as error:
        return await _form_page(actor, None, forms.form_values(data), errors_of(error), 400)
    return Redirect(f"/clients/{card['id']}?saved=1")


@get("/clients/{client_id:int}", include_in_schema=False)
async def client_page(actor: CurrentActor, client_id: RecordId, saved: Flag = False) -> Template:
    """The client card: contacts, addresses, devices, history, reminders, discount."""
    card = await ClientService(actor).get_client(client_id)
    context = page_context(
        actor,
        client=card,
        orders=await orders.client_history(actor, client_id, limit=50),
        notice=gettext("Saved") if saved else None,
        can_edit=actor.can(Section.CLIENTS, Action.EDIT),
        can_add_device=actor.can(Section.CLIENTS, Action.CREATE),
    )
    return Template("clients/client.html", context=context)


@get("/clients/{client_id:int}/edit", include_in_schema=False)
async def client_edit_page(actor: CurrentActor, client_id: RecordId) -> Template:
    """The edit form of a client."""
    actor.require(Section.CLIENTS, Action.EDIT)
    card = await ClientService(actor).get_client(client_id)
    return await _form_page(actor, card, forms.form_values(card), {})


@post("/clients/{client_id:int}/edit", include_in_schema=False)
async def client_update(
    request: Request[Any, Any, Any], actor: CurrentActor, client_id: RecordId
) -> Response[Any]:
    """Save the edit form (addresses after the first stay as they are)."""
    service = ClientService(actor)
    card = await service.get_client(client_id)
    form = await read_form(request)
    codes = [f["code"] for f in await orders.custom_field_definitions("client")]
    data = forms.writable_only(actor, forms.client_data(form, codes))
    if "addresses" in data and card.get("addresses"):
        keys = ("id", "address", "lat", "lon", "comment")
        rest = [{k: a[k] for k in keys} for a in card["addresses"][1:]]
        first = data["addresses"][:1]
        if first:
            first[0]["comment"] = card["addresses"][0]["comment"]
            first[0]["id"] = card["addresses"][0]["id"]
        data["addresses"] = first + rest
    try:
        await service.update_client(client_id, convert(data, ClientPatch))
    except (DomainError, FormError) as error:
        return await _form_page(actor, card, forms.form_values(data), errors_of(error), 400)
    return Redirect(f"/clients/{client_id}?saved=1")


async def _device_page(
    actor: Actor,
    client: dict[str, Any],
    device: dict[str, Any] | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    directory = DirectoryService(actor)
    context = page_context(
        actor,
        client=client,
        device=device,
        values=values,
        errors=errors,
        types=await directory.list_entries("device_type", active_only=True),
        brands=await directory.list_entries("brand", active_only=True),
        models=await directory.list_entries("model", active_only=True),
    )
    return Template("clients/device_form.html", context=context, status_code=status_code)


@get("/clients/{client_id:int}/devices/new", include_in_schema=False)
async def device_new_page(actor: CurrentActor, client_id: RecordId) -> Template:
    """The form of a new device of a client."""
    actor.require(Section.CLIENTS, Action.CREATE)
    client = await ClientService(actor).get_client(client_id)
    return await _device_page(actor, client, None, {}, {})


@post("/clients/{client_id:int}/devices/new", include_in_schema=False)
async def device_create(
    request: Request[Any, Any, Any], actor: CurrentActor, client_id: RecordId
) -> Response[Any]:
    """Add a device from the form."""
    client = await ClientService(actor).get_client(client_id)
    data = forms.device_data(await read_form(request))
    try:
        await DeviceService(actor).create_device(client_id, convert(data, DeviceCreate))
    except (DomainError, FormError) as error:
        return await _device_page(actor, client, None, data, errors_of(error), 400)
    return Redirect(f"/clients/{client_id}?saved=1")


@get("/devices/{device_id:int}/edit", include_in_schema=False)
async def device_edit_page(actor: CurrentActor, device_id: RecordId) -> Template:
    """The edit form of a device."""
    actor.require(Section.CLIENTS, Action.EDIT)
    device = await DeviceService(actor).get_device(device_id)
    client = await ClientService(actor).get_client(device["client_id"])
    values = {**device, "model_name": "" if device["model_id"] else device["model_name"]}
    return await _device_page(actor, client, device, values, {})


@post("/devices/{device_id:int}/edit", include_in_schema=False)
async def device_update(
    request: Request[Any, Any, Any], actor: CurrentActor, device_id: RecordId
) -> Response[Any]:
    """Save the device form."""
    service = DeviceService(actor)
    device = await service.get_device(device_id)
    data = forms.device_data(await read_form(request))
    try:
        await service.update_device(device_id, convert(data, DevicePatch))
    except (DomainError, FormError) as error:
        client = await ClientService(actor).get_client(device["client_id"])
        return await _device_page(actor, client, device, data, errors_of(error), 400)
    return Redirect(f"/clients/{device['client_id']}?saved=1")


@get("/reminders", include_in_schema=False)
async def reminders_page(actor: CurrentActor, all: Flag = False) -> Template:
    """The caller's open reminders, overdue first, with a «done» button."""
    items = await ReminderService(actor).list_reminders(everyone=all)
    context = page_context(
        actor, reminders=items, everyone=all, can_all=actor.can(Section.CLIENTS, Action.EDIT)
    )
    return Template("clients/reminders.html", context=context)


@post("/clients/{client_id:int}/reminders", include_in_schema=False)
async def reminder_create(
    request: Request[Any, Any, Any], actor: CurrentActor, client_id: RecordId
) -> Response[Any]:
    """Add a reminder for oneself from the client card (the time is the center's local time)."""
    form = await read_form(request)
    data = {
        "text": form.get("text", ""),
        "due_at": settings_pages.local_to_aware(form.get("due_at")),
    }
    try:
        await ReminderService(actor).create_reminder(client_id, convert(data, ReminderCreate))
    except (DomainError, FormError) as error:
        card = await ClientService(actor).get_client(client_id)
        context = page_context(
            actor,
            client=card,
            orders=await orders.client_history(actor, client_id, limit=50),
            reminder_errors=errors_of(error),
            reminder_values=form,
            can_edit=actor.can(Section.CLIENTS, Action.EDIT),
            can_add_device=actor.can(Section.CLIENTS, Action.CREATE),
        )
        return Template("clients/client.html", context=context, status_code=400)
    return Redirect(f"/clients/{client_id}?saved=1")


@post("/reminders/{reminder_id:int}/done", include_in_schema=False)
async def reminder_done(
    request: Request[Any, Any, Any], actor: CurrentActor, reminder_id: RecordId
) -> Redirect:
    """Mark a reminder done and go back to the list."""
    form = await read_form(request)
    await ReminderService(actor).update_reminder(reminder_id, ReminderPatch(done=True))
    back = str(form.get("back", ""))
    return Redirect(back if back.startswith("/clients/") and "//" not in back else "/reminders")


handlers = [
    clients_page,
    client_new_page,
    client_create,
    client_page,
    client_edit_page,
    client_update,
    device_new_page,
    device_create,
    device_edit_page,
    device_update,
    reminders_page,
    reminder_create,
    reminder_done,
    *settings_pages.handlers,
    *address_pages.handlers,
]
