"""What the purchasing API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

# Quantities and money are Decimals; their ranges are checked by the services (msgspec cannot
# bound a Decimal), so a wrong one is named by its field.
Name = Annotated[str, msgspec.Meta(max_length=200)]
Code = Annotated[str, msgspec.Meta(max_length=20)]
Inn = Annotated[str, msgspec.Meta(max_length=20)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Serials = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=1000)
]


class SupplierIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new supplier."""

    name: Name
    inn: Inn = ""
    contact_person: Name = ""
    phone: Phone = ""
    email: Email = ""
    note: LongText = ""


class SupplierPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a supplier; absent fields stay as they are."""

    name: Name | UnsetType = UNSET
    inn: Inn | UnsetType = UNSET
    contact_person: Name | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    note: LongText | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class SupplierOut(msgspec.Struct, frozen=True):
    """A supplier of the directory."""

    id: int
    name: str
    inn: str
    contact_person: str
    phone: str
    email: str
    note: str
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SupplierList(msgspec.Struct, frozen=True):
    """Suppliers found, active ones first by name; `next` continues the list."""

    items: list[SupplierOut]
    next: str | None = None


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    """A line of a supplier order: a stock item, how many, at what price; optionally the
    repair order part line it is bought for (one the caller may see)."""

    item_id: Id
    quantity: Decimal
    unit_price: Decimal = Decimal("0")
    repair_line_id: Id | None = None
    repair_order_id: Id | None = None


class SupplierOrderIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new supplier order (a draft)."""

    supplier_id: Id
    warehouse_id: Id
    expected_on: dt.date | None = None
    note: LongText = ""
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=200)] = []


class SupplierOrderPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a supplier order; its supplier, warehouse and lines change only in a draft
    (`lines` replaces them all; a line with an `id` keeps it)."""

    supplier_id: Id | UnsetType = UNSET
    warehouse_id: Id | UnsetType = UNSET
    expected_on: dt.date | UnsetType | None = UNSET
    note: LongText | UnsetType = UNSET
    lines: Annotated[list[LineIn], msgspec.Meta(max_length=200)] | UnsetType = UNSET


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    """A status a person moves the supplier order to, with an optional note."""

    status: Code
    note: LongText = ""


class ReceiveLineIn(msgspec.Struct, forbid_unknown_fields=True):
    """What arrived of one line."""

    line_id: Id
    quantity: Decimal
    serials: Serials = []


class ReceiveIn(msgspec.Struct, forbid_unknown_fields=True):
    """Goods that arrived against a supplier order (one stock receipt)."""

    lines: Annotated[list[ReceiveLineIn], msgspec.Meta(min_length=1, max_length=200)]
    supplier_document: Short = ""


class RepairLink(msgspec.Struct, frozen=True):
    """The repair order a line is bought for, as the caller may see it: its number only for
    one who sees that order (`hidden` true otherwise)."""

    hidden: bool = False
    order_id: int | UnsetType = UNSET
    order_number: str | UnsetType = UNSET
    line_id: int | UnsetType = UNSET


class ExpertiseIn(msgspec.Struct, forbid_unknown_fields=True):
    """Ask for the defective part before its replacement is ordered: from the field master
    («field») or the partner («partner»); the part's shipment, if one is made, by id."""

    source: Code
    note: LongText = ""
    shipment_id: Id | None = None


class ExpertisePatch(msgspec.Struct, forbid_unknown_fields=True):
    """The shipment the defective part comes in (null: none)."""

    shipment_id: Id | None = None


class ExpertiseResultIn(msgspec.Struct, forbid_unknown_fields=True):
    """The expert's result: «confirmed» (the order goes ahead) or «not_confirmed» (the line is
    taken off), with a note."""

    result: Code
    note: LongText = ""


class ShipmentLink(msgspec.Struct, frozen=True):
    """The defective part's shipment as deliveries show it."""

    id: int
    number: str
    status_label: str


class ExpertiseOut(msgspec.Struct, frozen=True):
    """Where the expertise of a line's defective part stands."""

    id: int
    source: str
    source_label: str
    status: str
    status_label: str
    note: str
    result_note: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    shipment: ShipmentLink | None  # the part's shipment, for those who see deliveries


class LineOut(msgspec.Struct, frozen=True):
    """A line of a supplier order; prices only for those who see purchase prices."""

    id: int
    item_id: int
    item_name: str
    article: str
    unit: str
    whole: bool
    serial_tracked: bool
    quantity: Decimal
    received: Decimal
    remaining: Decimal
    unit_price: Decimal | UnsetType = UNSET
    total: Decimal | UnsetType = UNSET
    repair: RepairLink | None = None
    expertise: ExpertiseOut | None = None


class HistoryOut(msgspec.Struct, frozen=True):
    """One change of the status: when, by whom, with what note."""

    at: dt.datetime
    author_name: str
    status_from: str
    status_to: str
    status_label: str
    note: str


class ReceiptOut(msgspec.Struct, frozen=True):
    """A stock receipt posted for the supplier order."""

    document_id: int
    document_number: str
    supplier_document: str
    author_name: str
    at: dt.datetime


class SupplierOrderOut(msgspec.Struct, frozen=True):
    """A supplier order as the caller may see it (without lines and history in a list)."""

    id: int
    number: str
    supplier_id: int
    supplier_name: str
    warehouse_id: int
    warehouse_name: str
    status: str
    status_label: str
    status_color: str
    next_statuses: list[str]
    receivable: bool
    editable: bool  # a draft the caller may edit
    expected_on: dt.date | None
    note: str
    lines_count: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by_name: str = ""
    total: Decimal | UnsetType = UNSET
    lines: list[LineOut] = []
    history: list[HistoryOut] = []
    receipts: list[ReceiptOut] = []


class SupplierOrderList(msgspec.Struct, frozen=True):
    """A page of supplier orders, newest first; `next` is the cursor of the following page."""

    items: list[SupplierOrderOut]
    next: str | None = None


class OrderForLineIn(msgspec.Struct, forbid_unknown_fields=True):
    """«Order» from a repair's part line: the supplier when the item's last one is not known
    (or another is wanted), the warehouse when the line is not taken from one."""

    order_id: Id
    line_id: Id
    supplier_id: Id | None = None
    warehouse_id: Id | None = None


class OrderedForLine(msgspec.Struct, frozen=True):
    """What «Order» did: the supplier order the part went on, and what became of the repair."""

    supplier_order_id: int
    supplier_order_number: str
    new_draft: bool
    quantity: Decimal
    repair_moved: bool
    repair_status: str
    message: str


class ReceivedOut(msgspec.Struct, frozen=True):
    """A receipt posted and what it moved on: the repairs in the caller's scope."""

    order: SupplierOrderOut
    document_id: int
    document_number: str
    repairs_moved: list[str]  # numbers of the repair orders moved on
    repairs_left: list[str]  # «number: why» of those that could not be moved
