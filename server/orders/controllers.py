"""HTTP API of orders: list/search, intake, changes, status, lines, payments, timeline."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, PathParameter, QueryParameter

from server.guards import CurrentActor
from server.orders import lines, listing, timeline, workflow
from server.orders.schemas import (
    EventCreate,
    EventLock,
    LineCreate,
    LineList,
    LineSerials,
    OrderCreate,
    OrderOut,
    OrderPage,
    OrderPatch,
    PaymentCreate,
    PaymentList,
    RefundCreate,
    StatusChange,
    Timeline,
)
from server.orders.serialize import line_out, line_stock, lines_of
from server.orders.services import OrderFilters, OrderService
from server.orders.tables import OrderStatus, OrderType, PriceItem
from server.params import Limit, RecordId
from server.staff.permissions import Action, Section

Text = Annotated[str, QueryParameter(max_length=200)]
OptionalText = Annotated[str | None, QueryParameter(max_length=500)]
OptionalDay = Annotated[
    str | None, QueryParameter(max_length=10, description="2026-12-02; empty: no filter")
]
EventId = Annotated[str, PathParameter(pattern=r"^[ae][0-9]{1,10}$")]


async def order_filters(
    request: Request[Any, Any, Any],
    actor: CurrentActor,
    q: Text = "",
    status: OptionalText = None,
    status_group: OptionalText = None,
    type: OptionalText = None,
    priority: OptionalText = None,
    assignee: Annotated[str, QueryParameter(max_length=12)] = "",
    client: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    created_from: OptionalDay = None,
    created_to: OptionalDay = None,
    due_from: OptionalDay = None,
    due_to: OptionalDay = None,
    overdue: Annotated[bool, QueryParameter()] = False,
) -> OrderFilters:
    """The filters of the orders list from the query, shared by the list, its export and page.

    `assignee` is an employee id or «me»; `custom.<code>=value` filters by a custom field; an
    empty value is no filter. The parameters are read by `listing.filters_from`, as the page's.
    """
    filters, errors = listing.filters_from(actor, request.query_params)
    if errors:
        raise errors[0]
    return filters


Filters = NamedDependency[OrderFilters]
FILTERS = {"filters": Provide(order_filters)}


class OrderController(Controller):
    """Work orders."""

    path = "/api/v1/orders"
    tags = ["orders"]

    @get("/", dependencies=FILTERS)
    async def list_orders(
        self,
        actor: CurrentActor,
        filters: Filters,
        sort: Annotated[str, QueryParameter(max_length=20)] = "-created",
        cursor: Annotated[str | None, QueryParameter(max_length=300)] = None,
        limit: Limit = 50,
    ) -> OrderPage:
        """Search and filter orders; `next` is the cursor of the following page."""
        items, next_cursor = await OrderService(actor).list_orders(
            filters, sort=sort, cursor=cursor, limit=limit
        )
        return OrderPage(items=items, next=next_cursor)

    @post("/")
    async def create_order(self, actor: CurrentActor, data: JSONBody[OrderCreate]) -> OrderOut:
        """Take a device in: a new order with number and public code."""
        return await OrderService(actor).create_order(data)

    @get("/{order_id:int}")
    async def get_order(self, actor: CurrentActor, order_id: RecordId) -> OrderOut:
        """One order with lines and the statuses it may move to."""
        return await OrderService(actor).get_order(order_id)

    @patch("/{order_id:int}")
    async def update_order(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[OrderPatch]
    ) -> OrderOut:
        """Change an order; send `version` to refuse overwriting someone else's change."""
        return await OrderService(actor).update_order(order_id, data)

    @post("/{order_id:int}/status", status_code=200)
    async def change_status(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[StatusChange]
    ) -> OrderOut:
        """Move the order to a status allowed by its workflow."""
        await workflow.change_status(actor, order_id, data.status, data.comment)
        return await OrderService(actor).get_order(order_id)

    @get("/{order_id:int}/lines")
    async def list_lines(self, actor: CurrentActor, order_id: RecordId) -> LineList:
        """Lines of an order and its totals."""
        order = await OrderService(actor).get_order(order_id)
        rows = await lines_of(order_id)
        stock = await line_stock(actor, order_id, rows)
        items = [line_out(actor, row, stock.get(row["id"])) for row in rows]
        return LineList(
            items=items,
            subtotal=order.subtotal,
            discount_amount=order.discount_amount,
            total=order.total,
            paid=order.paid,
            amount_due=order.amount_due,
        )

    @post("/{order_id:int}/lines")
    async def add_line(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[LineCreate]
    ) -> OrderOut:
        """Add a service, good or part; returns the order with new totals."""
        await lines.add_line(actor, order_id, data)
        return await OrderService(actor).get_order(order_id)

    @put("/{order_id:int}/lines/{line_id:int}/serials", status_code=200)
    async def choose_line_serials(
        self,
        actor: CurrentActor,
        order_id: RecordId,
        line_id: RecordId,
        data: JSONBody[LineSerials],
    ) -> OrderOut:
        """Choose the serials of a serial-tracked part reserved on a warehouse (one per unit)."""
        await lines.choose_serials(actor, order_id, line_id, data.serials)
        return await OrderService(actor).get_order(order_id)

    @delete("/{order_id:int}/lines/{line_id:int}", status_code=200)
    async def delete_line(
        self, actor: CurrentActor, order_id: RecordId, line_id: RecordId
    ) -> OrderOut:
        """Remove a line; returns the order with new totals."""
        await lines.delete_line(actor, order_id, line_id)
        return await OrderService(actor).get_order(order_id)

    @post("/{order_id:int}/payments")
    async def add_payment(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[PaymentCreate]
    ) -> OrderOut:
        """Record a payment; returns the order with the new amount due."""
        await lines.add_payment(actor, order_id, data)
        return await OrderService(actor).get_order(order_id)

    @post("/{order_id:int}/refunds")
    async def add_refund(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[RefundCreate]
    ) -> OrderOut:
        """Give money back (whole or part, by method, with the reason); needs the refund right."""
        await lines.refund_payment(actor, order_id, data)
        return await OrderService(actor).get_order(order_id)

    @get("/{order_id:int}/payments")
    async def get_payments(self, actor: CurrentActor, order_id: RecordId) -> PaymentList:
        """The order's payments and refunds (refunds negative) with their cash documents."""
        return PaymentList(items=await lines.visible_payments(actor, order_id))

    @get("/{order_id:int}/timeline")
    async def get_timeline(
        self,
        actor: CurrentActor,
        order_id: RecordId,
        after: Annotated[str | None, QueryParameter(max_length=40)] = None,
    ) -> Timeline:
        """The order's live feed; pass the last `cursor` as `after` to get only new events."""
        return await timeline.timeline(actor, order_id, after)

    @post("/{order_id:int}/timeline")
    async def add_event(
        self, actor: CurrentActor, order_id: RecordId, data: JSONBody[EventCreate]
    ) -> dict[str, str]:
        """Write a comment, a logged call or a task."""
        return {"id": await timeline.add_event(actor, order_id, data)}

    @patch("/{order_id:int}/timeline/{event_id:str}")
    async def lock_event(
        self, actor: CurrentActor, order_id: RecordId, event_id: EventId, data: JSONBody[EventLock]
    ) -> dict[str, list[str]]:
        """Hide an event from chosen roles."""
        await timeline.lock_event(actor, order_id, event_id, data.hidden_from_roles)
        return {"hidden_from_roles": sorted(set(data.hidden_from_roles))}


class PriceItemOut(msgspec.Struct):
    """A price list item."""

    id: int
    kind: str
    code: str
    name: str
    price: Any
    warranty_days: int
    unit: str


class CatalogueController(Controller):
    """What order forms choose from: order types, statuses, the price list."""

    path = "/api/v1"
    tags = ["orders"]

    @get("/order-types")
    async def order_types(self, actor: CurrentActor) -> dict[str, list[dict[str, Any]]]:
        """Active order types."""
        actor.require(Section.ORDERS, Action.VIEW)
        rows = await OrderType.select().where(OrderType.is_active.eq(True)).order_by(OrderType.sort)
        return {"items": rows}

    @get("/order-statuses")
    async def order_statuses(self, actor: CurrentActor) -> dict[str, list[dict[str, Any]]]:
        """Statuses of the workflow."""
        actor.require(Section.ORDERS, Action.VIEW)
        rows = await OrderStatus.select().order_by(OrderStatus.sort)
        return {"items": rows}

    @get("/price-items")
    async def price_items(
        self,
        actor: CurrentActor,
        q: Text = "",
        kind: Annotated[str | None, QueryParameter(pattern="^(service|good|part)$")] = None,
    ) -> dict[str, list[PriceItemOut]]:
        """The active price list, optionally filtered by kind and name."""
        actor.require(Section.ORDERS, Action.VIEW)
        query = PriceItem.select().where(PriceItem.is_active.eq(True)).order_by(PriceItem.name)
        if kind:
            query = query.where(PriceItem.kind == kind)
        if q.strip():
            query = query.where(PriceItem.name.ilike(f"%{q.strip()}%"))
        rows = await query.limit(200)
        return {
            "items": [
                msgspec.convert(r, PriceItemOut, from_attributes=False, strict=False) for r in rows
            ]
        }
