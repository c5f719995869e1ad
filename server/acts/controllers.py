"""HTTP API of acts: the kinds, the kinds per order type, an order's acts, open requests."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.params import JSONBody, QueryParameter

from server.acts import kinds, services
from server.acts.schemas import (
    ActKindIn,
    ActKindList,
    ActKindOut,
    ActKindPatch,
    ActRequestList,
    OrderActs,
    RequiredActs,
    RequiredActsIn,
)
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId
from server.staff.permissions import Action, Section

EmployeeFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


class ActController(Controller):
    """Acts (settings:view/edit for the kinds and the types; orders:view for the rest)."""

    path = "/api/v1"
    tags = ["acts"]

    @get("/acts/kinds")
    async def list_kinds(self, actor: CurrentActor) -> ActKindList:
        """Every kind of act, active ones first."""
        actor.require(Section.ORDERS, Action.VIEW)
        return ActKindList(await kinds.all_kinds())

    @post("/acts/kinds")
    async def create_kind(self, actor: CurrentActor, data: JSONBody[ActKindIn]) -> ActKindOut:
        """Add a kind of act."""
        return await kinds.create_kind(actor, data)

    @patch("/acts/kinds/{kind_id:int}")
    async def update_kind(
        self, actor: CurrentActor, kind_id: RecordId, data: JSONBody[ActKindPatch]
    ) -> ActKindOut:
        """Rename a kind, or switch it off or on."""
        return await kinds.update_kind(actor, kind_id, data)

    @get("/acts/order-types/{order_type_id:int}")
    async def required_acts(self, actor: CurrentActor, order_type_id: RecordId) -> RequiredActs:
        """The act kinds every visit of the order type must end with."""
        return await kinds.required_of(actor, order_type_id)

    @put("/acts/order-types/{order_type_id:int}")
    async def set_required_acts(
        self, actor: CurrentActor, order_type_id: RecordId, data: JSONBody[RequiredActsIn]
    ) -> RequiredActs:
        """Set the act kinds every visit of the order type must end with."""
        return await kinds.set_required(actor, order_type_id, data.act_kind_ids)

    @get("/acts/requests")
    async def open_requests(
        self, actor: CurrentActor, employee: EmployeeFilter = None
    ) -> ActRequestList:
        """Open requests for acts (orders in the caller's scope), with counts per employee."""
        return await services.open_requests(actor, employee)

    @get("/orders/{order_id:int}/acts")
    async def order_acts(self, actor: CurrentActor, order_id: RecordId) -> OrderActs:
        """The acts each visit of the order needs: attached or missing."""
        return await services.order_acts(actor, order_id)
