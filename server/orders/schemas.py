"""What the orders API takes and gives. Hideable fields default to UNSET (omitted in JSON)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from server.orders.choices import EventKind, LineKind, Priority

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
PaymentMethod = Annotated[str, msgspec.Meta(pattern="^(cash|card|sbp|transfer)$")]
Money = Decimal  # ranges are checked by the service (msgspec cannot bound Decimal)
Percent = Decimal
Quantity = Decimal
Text = Annotated[str, msgspec.Meta(max_length=5000)]
Short = Annotated[str, msgspec.Meta(max_length=300)]
Serials = Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=50)]
Custom = Annotated[dict[str, Any], msgspec.Meta(max_length=100)]


Channel = Annotated[str, msgspec.Meta(pattern="^(counter|phone|website|partner|api)$")]
Clock = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["10:00"])]


class Ref(msgspec.Struct):
    """A related record by id and name."""

    id: int
    name: str


class StatusRef(msgspec.Struct):
    """A status as shown on an order."""

    id: int
    code: str
    name: str
    color: str
    group: str


class TypeRef(msgspec.Struct):
    """An order type as shown on an order."""

    id: int
    code: str
    name: str
    is_field: bool


class DeviceRef(msgspec.Struct):
    """The device of an order."""

    id: int
    title: str
    serial: str


class LineStockOut(msgspec.Struct):
    """Where a line's good or part stands in stock: reserved on its warehouse, waiting for
    stock to arrive, or written off into the order."""

    warehouse_id: int
    warehouse_name: str
    held: Decimal
    waiting: Decimal
    consumed: Decimal
    serials: list[str] = []  # of a serial-tracked part: chosen for it, or written off with it
    serial_choices: list[str] | None = None  # reserved, none chosen yet: those it may take


class LineOut(msgspec.Struct):
    """An order line."""

    id: int
    kind: str
    name: str
    quantity: Decimal
    discount_percent: Decimal
    warranty_days: int
    price_item_id: int | None
    unit_price: Decimal | UnsetType = UNSET
    total: Decimal | UnsetType = UNSET
    list_price: Decimal | UnsetType | None = UNSET
    price_reason: str | UnsetType = UNSET
    purchase_price: Decimal | UnsetType = UNSET
    margin: Decimal | UnsetType = UNSET  # total less cost: seen with the purchase price
    warehouse_id: int | None = None
    stock: LineStockOut | None = None


class OrderOut(msgspec.Struct, omit_defaults=True):
    """An order with its lines and the statuses the caller may move it to."""

    id: int
    number: str
    status: StatusRef
    type: TypeRef
    version: int
    public_code: str | UnsetType = UNSET
    priority: str | UnsetType = UNSET
    client: Ref | UnsetType = UNSET
    device: DeviceRef | UnsetType | None = UNSET
    declared_fault: str | UnsetType = UNSET
    appearance: str | UnsetType = UNSET
    accessories: str | UnsetType = UNSET
    locked_note: str | UnsetType = UNSET
    estimated_cost: Decimal | UnsetType | None = UNSET
    due_at: dt.datetime | UnsetType | None = UNSET
    visit_day: dt.date | UnsetType | None = UNSET
    visit_from: str | UnsetType | None = UNSET
    visit_to: str | UnsetType | None = UNSET
    prepayment: Decimal | UnsetType = UNSET
    manager_id: int | UnsetType | None = UNSET
    technician_id: int | UnsetType | None = UNSET
    expert_id: int | UnsetType | None = UNSET
    service_center_id: int | UnsetType | None = UNSET
    assignment: dict[str, Any] | UnsetType = UNSET
    discount_percent: Decimal | UnsetType = UNSET
    discount_reason: str | UnsetType = UNSET
    subtotal: Decimal | UnsetType = UNSET
    discount_amount: Decimal | UnsetType = UNSET
    total: Decimal | UnsetType = UNSET
    paid: Decimal | UnsetType = UNSET
    amount_due: Decimal | UnsetType = UNSET
    custom: dict[str, Any] | UnsetType = UNSET
    created_at: dt.datetime | UnsetType = UNSET
    updated_at: dt.datetime | UnsetType = UNSET
    closed_at: dt.datetime | UnsetType | None = UNSET
    overdue: bool | UnsetType = UNSET
    lines: list[LineOut] | UnsetType = UNSET
    next_statuses: list[StatusRef] | UnsetType = UNSET


class OrderPage(msgspec.Struct):
    """A page of orders."""

    items: list[OrderOut]
    next: str | None


class OrderCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Intake of a device, or a new field order."""

    client_id: Id
    order_type_id: Id | None = None
    device_id: Id | None = None
    declared_fault: Text = ""
    appearance: Text = ""
    accessories: Text = ""
    locked_note: Short = ""
    estimated_cost: Money | None = None
    due_at: dt.datetime | None = None
    prepayment: Money = Decimal("0")
    prepayment_method: PaymentMethod = "cash"
    priority: Priority = Priority.NORMAL
    visit_day: dt.date | None = None
    visit_from: Clock | None = None
    visit_to: Clock | None = None
    manager_id: Id | None = None
    technician_id: Id | None = None
    expert_id: Id | None = None
    service_center_id: Id | None = None
    channel: Channel = "counter"
    source_org_id: Id | None = None
    custom: Custom = {}


class OrderPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to an order; `version` (if given) must be the current one."""

    version: Id | UnsetType = UNSET
    device_id: Id | UnsetType | None = UNSET
    declared_fault: Text | UnsetType = UNSET
    appearance: Text | UnsetType = UNSET
    accessories: Text | UnsetType = UNSET
    locked_note: Short | UnsetType = UNSET
    estimated_cost: Money | UnsetType | None = UNSET
    due_at: dt.datetime | UnsetType | None = UNSET
    priority: Priority | UnsetType = UNSET
    visit_day: dt.date | UnsetType | None = UNSET
    visit_from: Clock | UnsetType | None = UNSET
    visit_to: Clock | UnsetType | None = UNSET
    manager_id: Id | UnsetType | None = UNSET
    technician_id: Id | UnsetType | None = UNSET
    expert_id: Id | UnsetType | None = UNSET
    service_center_id: Id | UnsetType | None = UNSET
    custom: Custom | UnsetType = UNSET


class StatusChange(msgspec.Struct, forbid_unknown_fields=True):
    """Move an order to a status (by code or id)."""

    status: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    comment: Short = ""


class LineCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A line from the price list (price_item_id) or, with the free-price permission, any line."""

    price_item_id: Id | None = None
    kind: LineKind | None = None
    name: Short | None = None
    quantity: Quantity = Decimal("1")
    unit_price: Money | None = None
    price_reason: Short = ""
    discount_percent: Percent = Decimal("0")
    warranty_days: Annotated[int, msgspec.Meta(ge=0, le=3650)] | None = None
    purchase_price: Money | None = None
    warehouse_id: Id | None = None  # a good or part taken from this warehouse (stock)
    serials: Serials = []  # a serial-tracked part's serial per unit, from that warehouse


class LineSerials(msgspec.Struct, forbid_unknown_fields=True):
    """The serials of a serial-tracked part line reserved on a warehouse, one per unit."""

    serials: Serials


class LineList(msgspec.Struct):
    """Lines of an order with its totals."""

    items: list[LineOut]
    subtotal: Decimal | UnsetType = UNSET
    discount_amount: Decimal | UnsetType = UNSET
    total: Decimal | UnsetType = UNSET
    paid: Decimal | UnsetType = UNSET
    amount_due: Decimal | UnsetType = UNSET
    next: None = None


class PaymentPart(msgspec.Struct, forbid_unknown_fields=True):
    """The share of a payment or refund made by one method."""

    method: PaymentMethod
    amount: Decimal


class PaymentCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Money taken for an order: `amount` by `method`, or split across methods in `parts`;
    `desk_id` names the cash desk when more than one has its shift open."""

    amount: Decimal | None = None
    method: PaymentMethod = "cash"
    comment: Short = ""
    parts: Annotated[list[PaymentPart], msgspec.Meta(max_length=4)] | None = None
    desk_id: Id | None = None


class RefundCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Money given back for an order, and why; `refund_of` names the payment it returns."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    amount: Decimal | None = None
    method: PaymentMethod = "cash"
    parts: Annotated[list[PaymentPart], msgspec.Meta(max_length=4)] | None = None
    refund_of: Id | None = None
    desk_id: Id | None = None


class PaymentOut(msgspec.Struct, frozen=True):
    """A payment or refund of an order (refunds negative), by method."""

    id: int
    amount: Decimal
    method: str
    method_label: str
    document_id: int | None
    document_number: str
    comment: str
    author_name: str
    at: dt.datetime


class PaymentList(msgspec.Struct, frozen=True):
    """An order's payments and refunds, oldest first."""

    items: list[PaymentOut]


class EventCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A comment, logged call or task on an order's timeline."""

    kind: EventKind = EventKind.COMMENT
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)] = ""
    hidden_from_roles: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=20)
    ] = []
    due_at: dt.datetime | None = None


class EventLock(msgspec.Struct, forbid_unknown_fields=True):
    """Which roles may not see a timeline event."""

    hidden_from_roles: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=20)
    ]


class EventOut(msgspec.Struct):
    """One timeline event: a change from the audit log ("a…" ids) or a note ("e…" ids)."""

    id: str
    at: dt.datetime
    kind: str
    author: str | None
    text: str
    changes: dict[str, Any]
    hidden_from_roles: list[str]


class Timeline(msgspec.Struct):
    """Events oldest first; `cursor` fetches only newer ones next time."""

    items: list[EventOut]
    cursor: str
    next: None = None


class StatusLookupIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the customer types from the receipt."""

    number: Annotated[str, msgspec.Meta(max_length=30)]
    code: Annotated[str, msgspec.Meta(max_length=20)]


class StatusLookupOut(msgspec.Struct):
    """What the customer may know: device, status, expected date, amount due."""

    found: bool
    number: str | None = None
    device: str | None = None
    status: str | None = None
    status_group: str | None = None
    due_at: dt.datetime | None = None
    amount_due: Decimal | None = None
    visit_day: dt.date | None = None
    visit_window_start: str | None = None
    visit_window_end: str | None = None


class OrderBrief(msgspec.Struct, omit_defaults=True):
    """An order in a client's or device's history; hidden fields are left out."""

    id: int
    number: str
    client_id: int
    status_name: str
    status_color: str
    status_group: str
    type_name: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    device_id: int | UnsetType | None = UNSET
    declared_fault: str | UnsetType = UNSET
    total: Decimal | UnsetType = UNSET
    amount_due: Decimal | UnsetType = UNSET


class ClientOrderStats(msgspec.Struct, omit_defaults=True):
    """A client's completed orders the caller may see, and what they came to."""

    completed_orders: int
    total_spend: Decimal | UnsetType = UNSET
