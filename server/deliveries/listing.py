"""Reading shipments: one with its history, and the list with filters and a keyset cursor.

The deliveries section shows every shipment to those who may view it; what the shipment
names of other domains follows their scope (see serialize). Filtering by an order or a
client out of the caller's scope finds nothing, so a filter cannot tell what exists there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.columns.combination import WhereRaw

from server import cursor as cursor_codec
from server.actor import Actor
from server.clients import scope as client_scope
from server.deliveries.schemas import ShipmentOut
from server.deliveries.serialize import history_out, names_for, shipment_out
from server.deliveries.tables import Shipment, ShipmentEvent
from server.errors import InvalidInput, NotFound
from server.orders import api as orders
from server.search import prefix_query
from server.staff.permissions import Action, Section

LIST_PURPOSE = "shipments"
COLUMNS = Shipment.all_columns(exclude=[Shipment.search_text])


async def shipment_row(actor: Actor, shipment_id: int) -> dict[str, Any]:
    """The shipment's row for one who may view the section, or 404."""
    actor.require(Section.DELIVERIES, Action.VIEW)
    row: dict[str, Any] | None = (
        await Shipment.select(*COLUMNS).where(Shipment.id == shipment_id).first()
    )
    if row is None:
        raise NotFound("No shipment with id {id}", id=shipment_id)
    return row


async def get(actor: Actor, shipment_id: int) -> ShipmentOut:
    """One shipment with its history, oldest change first."""
    row = await shipment_row(actor, shipment_id)
    events = await (
        ShipmentEvent.select()
        .where(ShipmentEvent.shipment == shipment_id)
        .order_by(ShipmentEvent.at)
        .order_by(ShipmentEvent.id)
    )
    names = await names_for(actor, [row], {e["author"] for e in events if e["author"]})
    return shipment_out(actor, row, names, [history_out(e, names) for e in events])


async def many_out(actor: Actor, rows: list[dict[str, Any]]) -> list[ShipmentOut]:
    """Shipment rows as the caller may see them (without their history)."""
    names = await names_for(actor, rows, set())
    return [shipment_out(actor, r, names) for r in rows]


def _after(cursor: str) -> WhereRaw:
    at, last_id = cursor_codec.decode(LIST_PURPOSE, cursor, 2)
    try:
        moment = dt.datetime.fromisoformat(str(at))
    except ValueError:
        raise InvalidInput(
            "The page cursor is damaged; open the list again", field="cursor"
        ) from None
    return WhereRaw("(created_at, id) < ({}, {})", moment, int(last_id))


async def list_shipments(
    actor: Actor,
    *,
    status: str | None = None,
    direction: str | None = None,
    carrier: str | None = None,
    order_id: int | None = None,
    client_id: int | None = None,
    partner_id: int | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[ShipmentOut], str | None]:
    """Shipments, newest first, keyset-paged (the cursor is signed)."""
    actor.require(Section.DELIVERIES, Action.VIEW)
    if order_id is not None and not await orders.may_read(actor, order_id):
        return [], None
    if client_id is not None and not (
        actor.can(Section.CLIENTS, Action.VIEW)
        and await client_scope.visible_ids(actor, {client_id})
    ):
        return [], None
    query = Shipment.select(*COLUMNS)
    for column, value in (
        (Shipment.status, status),
        (Shipment.direction, direction),
        (Shipment.carrier, carrier),
        (Shipment.order_id, order_id),
        (Shipment.client_id, client_id),
        (Shipment.partner_id, partner_id),
    ):
        if value is not None:
            query = query.where(column == value)
    typed = prefix_query(q)
    if typed:
        query = query.where(
            WhereRaw("to_tsvector('simple', search_text) @@ to_tsquery('simple', {})", typed)
        )
    if cursor:
        query = query.where(_after(cursor))
    rows = await (
        query.order_by(Shipment.created_at, ascending=False)
        .order_by(Shipment.id, ascending=False)
        .limit(limit + 1)
    )
    page = rows[:limit]
    following = None
    if len(rows) > limit:
        last = page[-1]
        following = cursor_codec.encode(LIST_PURPOSE, [last["created_at"].isoformat(), last["id"]])
    return await many_out(actor, page), following
