"""HTTP API of clients, devices, device directories, reminders and loyalty rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.clients.address_schemas import AddressOut, AddressPatch, UnlocatedPage
from server.clients.address_service import AddressService
from server.clients.devices import DeviceService
from server.clients.directories import DirectoryService
from server.clients.loyalty import LoyaltyService
from server.clients.reminders import ReminderService
from server.clients.schemas import (
    ClientCard,
    ClientCreate,
    ClientHistory,
    ClientOut,
    ClientPage,
    ClientPatch,
    ClientRefs,
    DeviceCreate,
    DeviceHistory,
    DeviceList,
    DeviceOut,
    DevicePatch,
    DirectoryCreate,
    DirectoryPatch,
    LoyaltyRuleCreate,
    LoyaltyRulePatch,
    ModelCreate,
    ReminderCreate,
    ReminderList,
    ReminderOut,
    ReminderPatch,
)
from server.clients.services import ClientFilters, ClientService
from server.guards import CurrentActor
from server.params import Cursor, Flag, Limit, RecordId, Search

Text = Annotated[str, QueryParameter(max_length=200)]
PageCursor = Annotated[str | None, QueryParameter(max_length=500, description="Cursor from `next`")]
OptionalDate = Annotated[dt.date | None, QueryParameter()]
Sort = Annotated[
    str, QueryParameter(max_length=20, description="name, -name, created_at, -created_at")
]
Page = dict[str, Any]
Out = TypeVar("Out")


def _as(kind: type[Out], value: Any) -> Out:
    """A service's answer as the Struct the API documents (hidden fields stay absent)."""
    return msgspec.convert(value, kind, strict=False)


def custom_filters(request: Request[Any, Any, Any]) -> dict[str, str]:
    """`custom.<code>=value` query parameters."""
    return {
        key.removeprefix("custom.")[:50]: str(value)[:200]
        for key, value in request.query_params.items()
        if key.startswith("custom.")
    }


class ClientController(Controller):
    """Clients: list and search, create (with a duplicate warning), card, change, history."""

    path = "/api/v1/clients"
    tags = ["clients"]

    @get("/")
    async def list_clients(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        q: Search = "",
        kind: Text = "",
        tag: Text = "",
        source: Text = "",
        created_from: OptionalDate = None,
        created_to: OptionalDate = None,
        archived: Flag = False,
        sort: Sort = "name",
        cursor: PageCursor = None,
        limit: Limit = 50,
    ) -> ClientPage:
        """Clients; `custom.<code>=value` filters by a custom field; `next` is the next page."""
        filters = ClientFilters(
            q=q,
            kind=kind,
            tag=tag,
            source=source,
            created_from=created_from,
            created_to=created_to,
            custom=custom_filters(request),
            archived=archived,
            sort=sort,
        )
        items, next_cursor = await ClientService(actor).list_clients(filters, cursor, limit)
        return ClientPage(items=[_as(ClientOut, i) for i in items], next=next_cursor)

    @post("/")
    async def create_client(self, actor: CurrentActor, data: JSONBody[ClientCreate]) -> ClientCard:
        """Create a client; `duplicates` lists clients with the same phone or email."""
        return _as(ClientCard, await ClientService(actor).create_client(data))

    @get("/duplicates")
    async def duplicates(
        self, actor: CurrentActor, phone: Text = "", email: Text = ""
    ) -> ClientRefs:
        """Clients that already have this phone or email."""
        return _as(ClientRefs, {"items": await ClientService(actor).duplicates(phone, email)})

    @get("/addresses/unlocated")
    async def unlocated_addresses(
        self, actor: CurrentActor, cursor: PageCursor = None, limit: Limit = 50
    ) -> UnlocatedPage:
        """Addresses without coordinates: not found, failed, or waiting (`waiting`: for the
        geocoder; with none configured a person gives them); fix each with PATCH."""
        return await AddressService(actor).unlocated(cursor, limit)

    @patch("/{client_id:int}/addresses/{address_id:int}")
    async def update_address(
        self,
        actor: CurrentActor,
        client_id: RecordId,
        address_id: RecordId,
        data: JSONBody[AddressPatch],
    ) -> AddressOut:
        """Change one address: text, coordinates (typed ones are kept), comment, or
        `retry: true` to ask the geocoder again."""
        return await AddressService(actor).fix(client_id, address_id, data)

    @get("/{client_id:int}")
    async def get_client(self, actor: CurrentActor, client_id: RecordId) -> ClientCard:
        """The client card."""
        return _as(ClientCard, await ClientService(actor).get_client(client_id))

    @patch("/{client_id:int}")
    async def update_client(
        self, actor: CurrentActor, client_id: RecordId, data: JSONBody[ClientPatch]
    ) -> ClientCard:
        """Change a client; `is_archived: true` archives it."""
        return _as(ClientCard, await ClientService(actor).update_client(client_id, data))

    @get("/{client_id:int}/history")
    async def history(self, actor: CurrentActor, client_id: RecordId) -> ClientHistory:
        """Every order and device of the client, newest first, with totals."""
        return _as(ClientHistory, await ClientService(actor).history(client_id))

    @get("/{client_id:int}/devices")
    async def devices(self, actor: CurrentActor, client_id: RecordId) -> DeviceList:
        """Devices of the client."""
        await ClientService(actor).get_client(client_id)
        return _as(DeviceList, {"items": await DeviceService(actor).of_client(client_id)})

    @post("/{client_id:int}/devices")
    async def add_device(
        self, actor: CurrentActor, client_id: RecordId, data: JSONBody[DeviceCreate]
    ) -> DeviceOut:
        """Add a device to the client."""
        return _as(DeviceOut, await DeviceService(actor).create_device(client_id, data))

    @post("/{client_id:int}/reminders")
    async def add_reminder(
        self, actor: CurrentActor, client_id: RecordId, data: JSONBody[ReminderCreate]
    ) -> ReminderOut:
        """A reminder about the client (for oneself unless `assignee_id` says otherwise)."""
        return _as(ReminderOut, await ReminderService(actor).create_reminder(client_id, data))


class DeviceController(Controller):
    """Devices: find by serial, read, change, history."""

    path = "/api/v1/devices"
    tags = ["clients"]

    @get("/")
    async def search_devices(
        self, actor: CurrentActor, q: Search = "", cursor: Cursor = None, limit: Limit = 50
    ) -> DeviceList:
        """Devices whose serial or IMEI starts with `q`."""
        items, next_id = await DeviceService(actor).search(q, cursor or 0, limit)
        return _as(DeviceList, {"items": items, "next": next_id})

    @get("/{device_id:int}")
    async def get_device(self, actor: CurrentActor, device_id: RecordId) -> DeviceOut:
        """One device."""
        return _as(DeviceOut, await DeviceService(actor).get_device(device_id))

    @patch("/{device_id:int}")
    async def update_device(
        self, actor: CurrentActor, device_id: RecordId, data: JSONBody[DevicePatch]
    ) -> DeviceOut:
        """Change a device."""
        return _as(DeviceOut, await DeviceService(actor).update_device(device_id, data))

    @get("/{device_id:int}/history")
    async def history(self, actor: CurrentActor, device_id: RecordId) -> DeviceHistory:
        """The device's orders, newest first."""
        return _as(DeviceHistory, await DeviceService(actor).history(device_id))


class ReminderController(Controller):
    """The caller's reminders."""

    path = "/api/v1/reminders"
    tags = ["clients"]

    @get("/")
    async def list_reminders(
        self, actor: CurrentActor, all: Flag = False, done: Flag = False
    ) -> ReminderList:
        """Open reminders, overdue first; `all=1` everyone's (clients:edit); `done=1` closed too."""
        items = await ReminderService(actor).list_reminders(everyone=all, include_done=done)
        return _as(ReminderList, {"items": items})

    @patch("/{reminder_id:int}")
    async def update_reminder(
        self, actor: CurrentActor, reminder_id: RecordId, data: JSONBody[ReminderPatch]
    ) -> ReminderOut:
        """Mark done, change text or due time."""
        return _as(ReminderOut, await ReminderService(actor).update_reminder(reminder_id, data))


class DirectoryController(Controller):
    """Settings: device types, brands and models."""

    path = "/api/v1/settings"
    tags = ["settings"]

    @get("/device-types")
    async def list_types(self, actor: CurrentActor) -> Page:
        """Device types."""
        return {"items": await DirectoryService(actor).list_entries("device_type")}

    @post("/device-types")
    async def create_type(self, actor: CurrentActor, data: JSONBody[DirectoryCreate]) -> Page:
        """A new device type."""
        return await DirectoryService(actor).create("device_type", data)

    @patch("/device-types/{entry_id:int}")
    async def update_type(
        self, actor: CurrentActor, entry_id: RecordId, data: JSONBody[DirectoryPatch]
    ) -> Page:
        """Rename or (de)activate a device type."""
        return await DirectoryService(actor).update("device_type", entry_id, data)

    @get("/brands")
    async def list_brands(self, actor: CurrentActor) -> Page:
        """Brands."""
        return {"items": await DirectoryService(actor).list_entries("brand")}

    @post("/brands")
    async def create_brand(self, actor: CurrentActor, data: JSONBody[DirectoryCreate]) -> Page:
        """A new brand."""
        return await DirectoryService(actor).create("brand", data)

    @patch("/brands/{entry_id:int}")
    async def update_brand(
        self, actor: CurrentActor, entry_id: RecordId, data: JSONBody[DirectoryPatch]
    ) -> Page:
        """Rename or (de)activate a brand."""
        return await DirectoryService(actor).update("brand", entry_id, data)

    @get("/models")
    async def list_models(self, actor: CurrentActor) -> Page:
        """Models with their brand and type names."""
        return {"items": await DirectoryService(actor).list_entries("model")}

    @post("/models")
    async def create_model(self, actor: CurrentActor, data: JSONBody[ModelCreate]) -> Page:
        """A new model of a brand."""
        return await DirectoryService(actor).create("model", data)

    @patch("/models/{entry_id:int}")
    async def update_model(
        self, actor: CurrentActor, entry_id: RecordId, data: JSONBody[DirectoryPatch]
    ) -> Page:
        """Rename, move or (de)activate a model."""
        return await DirectoryService(actor).update("model", entry_id, data)

    @get("/loyalty-rules")
    async def list_rules(self, actor: CurrentActor) -> Page:
        """Loyalty rules."""
        return {"items": await LoyaltyService(actor).list_rules()}

    @post("/loyalty-rules")
    async def create_rule(self, actor: CurrentActor, data: JSONBody[LoyaltyRuleCreate]) -> Page:
        """A new loyalty rule."""
        return await LoyaltyService(actor).create_rule(data)

    @patch("/loyalty-rules/{rule_id:int}")
    async def update_rule(
        self, actor: CurrentActor, rule_id: RecordId, data: JSONBody[LoyaltyRulePatch]
    ) -> Page:
        """Change a loyalty rule."""
        return await LoyaltyService(actor).update_rule(rule_id, data)

    @delete("/loyalty-rules/{rule_id:int}")
    async def delete_rule(self, actor: CurrentActor, rule_id: RecordId) -> None:
        """Delete a loyalty rule."""
        await LoyaltyService(actor).delete_rule(rule_id)


controllers = [ClientController, DeviceController, ReminderController, DirectoryController]
