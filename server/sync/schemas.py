"""What the sync endpoints take and give (PROTOCOL.md); each mutation kind's `change` has its
own shape."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, UnsetType

from server.dispatch.schemas import VisitOut
from server.orders.schemas import OrderOut

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Text = Annotated[str, msgspec.Meta(max_length=5000)]


class MutationKind(StrEnum):
    """What a mutation does."""

    VISIT_STATUS = "visit.status"
    ORDER_STATUS = "order.status"
    ORDER_FIELDS = "order.fields"
    ORDER_LINE = "order.line"
    ORDER_COMMENT = "order.comment"
    ORDER_PAYMENT = "order.payment"
    TIMECLOCK_CHECK = "timeclock.check"  # entity_id: the master's own employee id


class Mutation(msgspec.Struct, forbid_unknown_fields=True):
    """One change made on the phone, with the version and values it was based on."""

    id: uuid.UUID
    kind: MutationKind
    entity_id: Id
    change: dict[str, Any]
    base_version: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] | None = None
    base: dict[str, Any] = {}
    at: dt.datetime | None = None


class PushBatch(msgspec.Struct, forbid_unknown_fields=True):
    """Mutations in the order they were made."""

    mutations: Annotated[list[Mutation], msgspec.Meta(max_length=200)]


class VisitStatusChange(msgspec.Struct, forbid_unknown_fields=True):
    status: Annotated[str, msgspec.Meta(max_length=20)]
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None


class OrderStatusChange(msgspec.Struct, forbid_unknown_fields=True):
    status: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    comment: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class OrderFieldsChange(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    declared_fault: Text | None = None
    appearance: Text | None = None
    accessories: Text | None = None


class CommentChange(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class PaymentChange(msgspec.Struct, forbid_unknown_fields=True):
    amount: Decimal
    method: Annotated[str, msgspec.Meta(pattern="^(cash|card|sbp|transfer)$")] = "cash"
    comment: Annotated[str, msgspec.Meta(max_length=300)] = ""


class FileKind(StrEnum):
    """What an uploaded file is."""

    PHOTO = "photo"
    SIGNATURE = "signature"


# ---- what the phone is sent (PROTOCOL.md); the OpenAPI schema documents it from these


class PhoneEvent(msgspec.Struct):
    """A timeline event as the phone shows it: translated, with a one-line summary."""

    id: str
    kind: str
    title: str
    at: str
    author: str | None
    text: str
    summary: str
    file_id: str | None


class FieldOrder(OrderOut, omit_defaults=True):
    """The order as GET /api/v1/orders/{id} gives it, with its newest events."""

    timeline: list[PhoneEvent] | UnsetType = UNSET


class PastVisit(msgspec.Struct):
    """A visit of an order in a client's history."""

    day: str
    status: str
    master: str | None
    fail_reason: str


class HistoryOrder(msgspec.Struct, omit_defaults=True):
    """An order in a client's history (fields hidden from the master are absent)."""

    id: int
    number: str
    status_name: str
    status_color: str
    status_group: str
    type_name: str
    created_at: str
    closed_at: str | None
    device: int | UnsetType | None = UNSET
    declared_fault: str | UnsetType = UNSET
    total: str | UnsetType = UNSET
    amount_due: str | UnsetType = UNSET
    visits: list[PastVisit] | UnsetType = UNSET


class FieldClient(msgspec.Struct, omit_defaults=True):
    """A client as the phone keeps it."""

    id: int
    name: str
    kind: str | UnsetType = UNSET
    phones: list[dict[str, Any]] | UnsetType = UNSET
    emails: list[dict[str, Any]] | UnsetType = UNSET
    addresses: list[dict[str, Any]] | UnsetType = UNSET
    comment: str | UnsetType = UNSET
    devices: list[dict[str, Any]] | UnsetType = UNSET
    history: list[HistoryOrder] | UnsetType = UNSET


class PhonePriceItem(msgspec.Struct):
    """An active price list item."""

    id: int
    kind: str
    code: str
    name: str
    price: str
    unit: str


class PhoneStatus(msgspec.Struct):
    """An order status."""

    code: str
    name: str
    color: str
    group: str


class Clock(msgspec.Struct):
    """The master's time clock as the server has it (PROTOCOL.md: me.clock)."""

    checked_in: bool
    since: str | None  # when the standing check-in was taken; None when not at work


class Me(msgspec.Struct):
    """Who the phone is logged in as."""

    id: int
    login: str
    full_name: str
    language: str
    clock: Clock


class Removed(msgspec.Struct):
    """Records the phone drops."""

    price_items: list[int]


class MyDay(msgspec.Struct):
    """A day of the master's own schedule (PROTOCOL.md: my_days)."""

    day: str
    works: bool
    absence: str | None  # weekly_off | day_off | vacation | sick
    absence_name: str  # the reason in the master's language; "" on a working day
    shift_start: str | None  # "09:00"
    shift_end: str | None
    lunch_start: str | None  # the window lunch is taken in
    lunch_end: str | None
    lunch_minutes: int


class VanItem(msgspec.Struct):
    """What the master's van holds free of one item sold by the price list."""

    price_item_id: int
    item_id: int
    name: str
    unit: str
    available: str  # a decimal as text: "2", "1.5"
    serial_tracked: bool = False  # the line names the serial of each unit used (`serials`)
    serials: list[str] = []  # of a serial-tracked item: the serials the van holds free


class Van(msgspec.Struct):
    """The master's van (PROTOCOL.md: Van)."""

    warehouse_id: int
    name: str
    items: list[VanItem]
    issue_later: bool = False  # may use a part the van lacks: it is issued to the van later


class PullOut(msgspec.Struct):
    """A pull: the working set (`reset`) or what changed since the cursor."""

    cursor: str
    reset: bool
    server_time: str
    today: str
    timezone: str
    me: Me
    visits: list[VisitOut]
    visit_ids: list[int]
    orders: list[FieldOrder]
    clients: list[FieldClient]
    price_items: list[PhonePriceItem]
    statuses: list[PhoneStatus]
    removed: Removed
    my_days: list[MyDay] = []
    van: Van | None = None


class PushResult(msgspec.Struct, omit_defaults=True):
    """What became of one mutation, with the record as it is after the batch."""

    id: str
    result: str
    reason: str | UnsetType = UNSET
    field: str | UnsetType | None = UNSET
    conflicts: dict[str, Any] | UnsetType = UNSET
    first_result: str | UnsetType = UNSET
    visit: VisitOut | UnsetType = UNSET
    order: FieldOrder | UnsetType = UNSET


class PushOut(msgspec.Struct):
    """One result per mutation, in the order given."""

    results: list[PushResult]
