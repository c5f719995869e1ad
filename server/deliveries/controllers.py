"""HTTP API of deliveries (/api/v1/deliveries: the deliveries section's view, create, edit)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.deliveries import api, listing, services
from server.deliveries.carriers import has_integration, integration_on
from server.deliveries.choices import CARRIER_LABELS, Carrier
from server.deliveries.schemas import (
    CarrierInfo,
    CarrierList,
    OrderDeliveryCosts,
    ShipmentIn,
    ShipmentList,
    ShipmentOut,
    ShipmentPatch,
    StatusIn,
)
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import MAX_ID, Limit, RecordId, Search
from server.staff.permissions import Action, Section

StatusFilter = Annotated[
    str | None,
    QueryParameter(
        pattern="^(draft|sent|in_transit|delivered|returned|lost)$", description="Status"
    ),
]
DirectionFilter = Annotated[
    str | None,
    QueryParameter(pattern="^(to|from)_(client|partner|supplier)$", description="Direction"),
]
CarrierFilter = Annotated[
    str | None, QueryParameter(pattern="^(cdek|own_courier|other)$", description="Carrier")
]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Record id")]
CursorText = Annotated[str | None, QueryParameter(max_length=500, description="From `next`")]


class DeliveryController(Controller):
    """Shipments to and from clients, partners and suppliers."""

    path = "/api/v1/deliveries"
    tags = ["deliveries"]

    @get("/")
    async def list_shipments(
        self,
        actor: CurrentActor,
        status: StatusFilter = None,
        direction: DirectionFilter = None,
        carrier: CarrierFilter = None,
        order_id: IdFilter = None,
        client_id: IdFilter = None,
        partner_id: IdFilter = None,
        q: Search = "",
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> ShipmentList:
        """Shipments, newest first; `next` is the following page."""
        items, following = await listing.list_shipments(
            actor,
            status=status,
            direction=direction,
            carrier=carrier,
            order_id=order_id,
            client_id=client_id,
            partner_id=partner_id,
            q=q,
            cursor=cursor,
            limit=limit,
        )
        return ShipmentList(items, following)

    @post("/", status_code=201)
    async def create_shipment(self, actor: CurrentActor, data: JSONBody[ShipmentIn]) -> ShipmentOut:
        """Add a shipment; a CDEK number's data and status are fetched when CDEK is set up."""
        return await services.create(actor, data)

    @get("/carriers")
    async def list_carriers(self, actor: CurrentActor) -> CarrierList:
        """The carriers, and whether each one's shipments are fetched from it."""
        actor.require(Section.DELIVERIES, Action.VIEW)
        return CarrierList(
            [
                CarrierInfo(
                    code=c.value,
                    label=gettext(CARRIER_LABELS[c]),
                    integrated=has_integration(c.value),
                    on=integration_on(c.value),
                )
                for c in Carrier
            ]
        )

    @get("/orders/{order_id:int}/costs")
    async def order_costs(self, actor: CurrentActor, order_id: RecordId) -> OrderDeliveryCosts:
        """An order's shipments and what their delivery costs."""
        return await api.costs_of_order(actor, order_id)

    @get("/{shipment_id:int}")
    async def get_shipment(self, actor: CurrentActor, shipment_id: RecordId) -> ShipmentOut:
        """One shipment with its status history."""
        return await listing.get(actor, shipment_id)

    @patch("/{shipment_id:int}")
    async def update_shipment(
        self, actor: CurrentActor, shipment_id: RecordId, data: JSONBody[ShipmentPatch]
    ) -> ShipmentOut:
        """Change a shipment's fields."""
        return await services.update(actor, shipment_id, data)

    @post("/{shipment_id:int}/status", status_code=200)
    async def change_status(
        self, actor: CurrentActor, shipment_id: RecordId, data: JSONBody[StatusIn]
    ) -> ShipmentOut:
        """Move a shipment to another status by hand."""
        return await services.change_status(actor, shipment_id, data)

    @post("/{shipment_id:int}/refresh", status_code=200)
    async def refresh(self, actor: CurrentActor, shipment_id: RecordId) -> ShipmentOut:
        """Fetch the shipment's data and status from its carrier now."""
        return await services.refresh(actor, shipment_id)
