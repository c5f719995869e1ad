"""HTTP API of purchasing (/api/v1/purchasing: suppliers and supplier orders, the purchasing
section's view, create, edit and export)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter
from litestar.response import Response

from server import clock
from server.guards import CurrentActor
from server.params import MAX_ID, Flag, Limit, RecordId, Search
from server.purchasing import api, expertise, exports, listing, receiving, services, suppliers
from server.purchasing.schemas import (
    ExpertiseIn,
    ExpertisePatch,
    ExpertiseResultIn,
    OrderedForLine,
    OrderForLineIn,
    ReceivedOut,
    ReceiveIn,
    StatusIn,
    SupplierIn,
    SupplierList,
    SupplierOrderIn,
    SupplierOrderList,
    SupplierOrderOut,
    SupplierOrderPatch,
    SupplierOut,
    SupplierPatch,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
StatusFilter = Annotated[
    str | None,
    QueryParameter(
        pattern="^(draft|sent|confirmed|partly_received|received|cancelled)$",
        description="Status",
    ),
]
IdFilter = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="Record id")]
CursorText = Annotated[str | None, QueryParameter(max_length=500, description="From `next`")]


class PurchasingController(Controller):
    """Suppliers and the orders placed with them."""

    path = "/api/v1/purchasing"
    tags = ["purchasing"]

    @get("/suppliers")
    async def list_suppliers(
        self,
        actor: CurrentActor,
        q: Search = "",
        include_inactive: Flag = False,
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> SupplierList:
        """Suppliers by name (active ones unless asked); `next` is the following page."""
        items, following = await suppliers.list_suppliers(
            actor, q=q, include_inactive=include_inactive, cursor=cursor, limit=limit
        )
        return SupplierList(items, following)

    @post("/suppliers", status_code=201)
    async def create_supplier(self, actor: CurrentActor, data: JSONBody[SupplierIn]) -> SupplierOut:
        """Add a supplier."""
        return await suppliers.create(actor, data)

    @get("/suppliers/{supplier_id:int}")
    async def get_supplier(self, actor: CurrentActor, supplier_id: RecordId) -> SupplierOut:
        """One supplier."""
        return await suppliers.get(actor, supplier_id)

    @patch("/suppliers/{supplier_id:int}")
    async def update_supplier(
        self, actor: CurrentActor, supplier_id: RecordId, data: JSONBody[SupplierPatch]
    ) -> SupplierOut:
        """Change a supplier (switch it off with is_active false)."""
        return await suppliers.update(actor, supplier_id, data)

    @get("/orders")
    async def list_orders(
        self,
        actor: CurrentActor,
        status: StatusFilter = None,
        supplier_id: IdFilter = None,
        warehouse_id: IdFilter = None,
        q: Search = "",
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> SupplierOrderList:
        """Supplier orders, newest first; `next` is the following page."""
        items, following = await listing.list_orders(
            actor,
            status=status,
            supplier_id=supplier_id,
            warehouse_id=warehouse_id,
            q=q,
            cursor=cursor,
            limit=limit,
        )
        return SupplierOrderList(items, following)

    @get("/orders.xlsx", media_type=XLSX)
    async def export_orders(
        self,
        actor: CurrentActor,
        status: StatusFilter = None,
        supplier_id: IdFilter = None,
        warehouse_id: IdFilter = None,
        q: Search = "",
    ) -> Response[bytes]:
        """The supplier orders the filters select, a row per line, as XLSX."""
        body = await exports.export_xlsx(
            actor, status=status, supplier_id=supplier_id, warehouse_id=warehouse_id, q=q
        )
        name = f"supplier-orders-{clock.today().isoformat()}.xlsx"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type=XLSX, headers=headers)

    @post("/orders", status_code=201)
    async def create_order(
        self, actor: CurrentActor, data: JSONBody[SupplierOrderIn]
    ) -> SupplierOrderOut:
        """Add a draft supplier order."""
        return await services.create(actor, data)

    @post("/orders/for-repair-line", status_code=200)
    async def order_for_repair_line(
        self, actor: CurrentActor, data: JSONBody[OrderForLineIn]
    ) -> OrderedForLine:
        """«Order» a repair's waiting part: onto the open draft of its supplier and warehouse."""
        return await api.order_for_line(actor, data)

    @get("/orders/{supplier_order_id:int}")
    async def get_order(self, actor: CurrentActor, supplier_order_id: RecordId) -> SupplierOrderOut:
        """One supplier order with its lines, history and receipts."""
        return await listing.get(actor, supplier_order_id)

    @patch("/orders/{supplier_order_id:int}")
    async def update_order(
        self, actor: CurrentActor, supplier_order_id: RecordId, data: JSONBody[SupplierOrderPatch]
    ) -> SupplierOrderOut:
        """Change a supplier order (lines, supplier and warehouse only in a draft)."""
        return await services.update(actor, supplier_order_id, data)

    @post("/orders/{supplier_order_id:int}/status", status_code=200)
    async def change_status(
        self, actor: CurrentActor, supplier_order_id: RecordId, data: JSONBody[StatusIn]
    ) -> SupplierOrderOut:
        """Move a supplier order to another status by hand."""
        return await services.change_status(actor, supplier_order_id, data)

    @post("/orders/{supplier_order_id:int}/lines/{line_id:int}/expertise", status_code=200)
    async def request_expertise(
        self,
        actor: CurrentActor,
        supplier_order_id: RecordId,
        line_id: RecordId,
        data: JSONBody[ExpertiseIn],
    ) -> SupplierOrderOut:
        """Ask for a line's defective part for expertise before the order is sent."""
        return await expertise.request(actor, supplier_order_id, line_id, data)

    @patch("/expertise/{expertise_id:int}")
    async def attach_shipment(
        self, actor: CurrentActor, expertise_id: RecordId, data: JSONBody[ExpertisePatch]
    ) -> SupplierOrderOut:
        """Name the shipment the defective part comes in."""
        return await expertise.attach_shipment(actor, expertise_id, data)

    @post("/expertise/{expertise_id:int}/result", status_code=200)
    async def expertise_result(
        self, actor: CurrentActor, expertise_id: RecordId, data: JSONBody[ExpertiseResultIn]
    ) -> SupplierOrderOut:
        """Record the expertise's result: confirmed, or not (the line is taken off)."""
        return await expertise.decide(actor, expertise_id, data)

    @post("/orders/{supplier_order_id:int}/receive", status_code=200)
    async def receive(
        self, actor: CurrentActor, supplier_order_id: RecordId, data: JSONBody[ReceiveIn]
    ) -> ReceivedOut:
        """Receive what arrived: one stock receipt; the repairs it completes move on."""
        return await receiving.receive(actor, supplier_order_id, data)
