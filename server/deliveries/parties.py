"""Who a shipment is with and which order it is for, checked against the caller's scope: a
client or an order one may not see is refused as if it did not exist."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.clients import api as clients
from server.clients import scope as client_scope
from server.deliveries.choices import Direction
from server.errors import InvalidInput, NotFound
from server.orders import api as orders
from server.partners import api as partners
from server.staff.permissions import Action, Section


async def order_of(actor: Actor, order_id: int | None, number: str) -> int | None:
    """The id of the order given by id or number, within the caller's scope."""
    if number:
        try:
            return await orders.order_id_by_number(actor, number)
        except NotFound:
            raise InvalidInput(
                "No order with number {number}", field="order_number", number=number[:30]
            ) from None
    if order_id is None:
        return None
    if not await orders.may_read(actor, order_id):
        raise InvalidInput("No order with id {id}", field="order_id", id=order_id)
    return order_id


async def client_of_order(actor: Actor, order_id: int) -> int | None:
    """The client of an order in the caller's scope."""
    return (await orders.orders_in_scope(actor, {order_id})).get(order_id)


async def may_see_order(actor: Actor, order_id: int) -> bool:
    """Whether the order is in the caller's scope."""
    return await orders.may_read(actor, order_id)


async def may_see_client(actor: Actor, client_id: int) -> bool:
    """Whether the client is in the caller's scope (and the caller may view clients)."""
    if not actor.can(Section.CLIENTS, Action.VIEW):
        return False
    return client_id in await client_scope.visible_ids(actor, {client_id})


async def _client(actor: Actor, client_id: int) -> None:
    await clients.client_brief(client_id)  # unknown or archived: a field error
    if not await may_see_client(actor, client_id):
        raise InvalidInput("No client with id {id}", field="client_id", id=client_id)


async def counterparty(actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    """The counterparty's columns for the direction: the other two are cleared."""
    side = Direction(values["direction"]).counterparty
    client_id = values.get("client_id")
    if side == "client":
        if client_id is None and values.get("order_id") is not None:
            client_id = await client_of_order(actor, values["order_id"])
        if client_id is None:
            raise InvalidInput("Choose the client", field="client_id")
        await _client(actor, client_id)
        return {"client_id": client_id, "partner_id": None, "supplier_name": ""}
    if side == "partner":
        partner_id = values.get("partner_id")
        if partner_id is None:
            raise InvalidInput("Choose the partner", field="partner_id")
        if await partners.organization(partner_id) is None:
            raise InvalidInput("No partner with id {id}", field="partner_id", id=partner_id)
        return {"client_id": None, "partner_id": partner_id, "supplier_name": ""}
    if not values.get("supplier_name"):
        raise InvalidInput("Name the supplier", field="supplier_name")
    return {"client_id": None, "partner_id": None, "supplier_name": values["supplier_name"]}
