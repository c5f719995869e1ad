"""HTTP API of the orders settings: statuses, types and transitions, prices, custom fields."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.params import JSONBody, PathParameter

from server.guards import CurrentActor
from server.orders.settings import SettingsService, as_json
from server.params import RecordId

ENTITIES = {
    "order-statuses": "order_status",
    "order-types": "order_type",
    "price-items": "price_item",
    "custom-fields": "custom_field",
}
Entity = Annotated[
    str, PathParameter(pattern="^(order-statuses|order-types|price-items|custom-fields)$")
]
Deletable = Annotated[str, PathParameter(pattern="^(price-items|custom-fields)$")]
Values = Annotated[dict[str, Any], msgspec.Meta(max_length=30)]


class DeleteOut(msgspec.Struct):
    """What became of a deleted record: gone, or archived because records use it."""

    deleted: bool
    archived: bool


class TransitionIn(msgspec.Struct, forbid_unknown_fields=True):
    """Allow or forbid one move of an order type."""

    from_status: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    to_status: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    allowed: bool = True
    role_codes: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=20)
    ] = []


class OrderSettingsController(Controller):
    """Settings of orders (settings:view to read, settings:edit to change)."""

    path = "/api/v1/settings/orders"
    tags = ["settings"]

    @get("/{entity:str}")
    async def records(self, actor: CurrentActor, entity: Entity) -> dict[str, Any]:
        """All records of a settings list."""
        rows = await SettingsService(actor).records(ENTITIES[entity])
        return {"items": [as_json(r) for r in rows], "next": None}

    @post("/{entity:str}")
    async def create(
        self, actor: CurrentActor, entity: Entity, data: JSONBody[Values]
    ) -> dict[str, Any]:
        """Add a record."""
        return as_json(await SettingsService(actor).create(ENTITIES[entity], data))

    @patch("/{entity:str}/{record_id:int}")
    async def update(
        self, actor: CurrentActor, entity: Entity, record_id: RecordId, data: JSONBody[Values]
    ) -> dict[str, Any]:
        """Change a record."""
        return as_json(await SettingsService(actor).update(ENTITIES[entity], record_id, data))

    @delete("/{entity:str}/{record_id:int}", status_code=200)
    async def delete_record(
        self, actor: CurrentActor, entity: Deletable, record_id: RecordId
    ) -> DeleteOut:
        """Delete a price item or custom field; one that orders already use is archived."""
        deleted = await SettingsService(actor).delete(ENTITIES[entity], record_id)
        return DeleteOut(deleted=deleted, archived=not deleted)

    @get("/transitions/{order_type_id:int}")
    async def transitions(self, actor: CurrentActor, order_type_id: RecordId) -> dict[str, Any]:
        """Allowed moves of an order type."""
        return {"items": await SettingsService(actor).transitions(order_type_id), "next": None}

    @put("/transitions/{order_type_id:int}")
    async def set_transition(
        self, actor: CurrentActor, order_type_id: RecordId, data: JSONBody[TransitionIn]
    ) -> dict[str, Any]:
        """Allow (optionally only for some roles) or forbid a move."""
        await SettingsService(actor).set_transition(
            order_type_id, data.from_status, data.to_status, data.allowed, data.role_codes
        )
        return {"items": await SettingsService(actor).transitions(order_type_id), "next": None}
