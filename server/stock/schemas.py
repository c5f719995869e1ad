"""What the stock API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

# Quantities and money are Decimals; their ranges are checked by the services (msgspec cannot
# bound a Decimal), so a wrong one is named by its field.
Quantity = Decimal
Money = Decimal
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Text300 = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Kind = Annotated[str, msgspec.Meta(max_length=20)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Codes = Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=50)]
Models = Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=200)]
Ids = Annotated[list[Id], msgspec.Meta(max_length=100)]


class WarehouseOut(msgspec.Struct, frozen=True):
    """A store or a master's van."""

    id: int
    kind: str
    kind_label: str
    name: str
    address: str
    master_id: int | None
    master_name: str
    keeper_ids: list[int]
    is_active: bool


class WarehouseList(msgspec.Struct, frozen=True):
    """The warehouses the caller sees, active ones first by name."""

    items: list[WarehouseOut]


class WarehouseIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new warehouse."""

    kind: Kind
    name: Name
    address: LongText = ""
    master_id: Id | None = None
    keeper_ids: Ids = []


class WarehousePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a warehouse (its kind stays)."""

    name: Name | UnsetType = UNSET
    address: LongText | UnsetType = UNSET
    master_id: Id | UnsetType | None = UNSET
    keeper_ids: Ids | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class ItemOut(msgspec.Struct, frozen=True):
    """A good or part kept in stock, with its total over the warehouses the caller sees."""

    id: int
    price_item_id: int | None
    kind: str
    name: str
    article: str
    manufacturer_codes: list[str]
    compatible: list[str]
    barcode: str
    unit: str
    whole: bool
    min_level: Decimal
    serial_tracked: bool
    is_active: bool
    on_hand: Decimal
    reserved: Decimal
    available: Decimal


class ItemList(msgspec.Struct, frozen=True):
    """Items found, by name; `next` continues the list."""

    items: list[ItemOut]
    next: int | None = None


class ItemIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new stock item."""

    name: Name
    kind: Kind = "part"
    price_item_id: Id | None = None
    article: Short = ""
    manufacturer_codes: Codes = []
    compatible: Models = []
    barcode: Short = ""
    unit: Kind = "шт"
    min_level: Quantity = Decimal("0")
    serial_tracked: bool = False


class ItemPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a stock item."""

    name: Name | UnsetType = UNSET
    article: Short | UnsetType = UNSET
    manufacturer_codes: Codes | UnsetType = UNSET
    compatible: Models | UnsetType = UNSET
    barcode: Short | UnsetType = UNSET
    unit: Kind | UnsetType = UNSET
    min_level: Quantity | UnsetType = UNSET
    serial_tracked: bool | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class LevelOut(msgspec.Struct, frozen=True):
    """How much of an item one warehouse holds."""

    warehouse_id: int
    warehouse_name: str
    item_id: int
    item_name: str
    article: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    min_level: Decimal
    avg_cost: Decimal | None  # None: the caller may not see costs


class LevelList(msgspec.Struct, frozen=True):
    """Levels by item name, then warehouse."""

    items: list[LevelOut]


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    """One item of a document being posted.

    `quantity` is what moves; a stocktake gives `counted` instead (what is on the shelf).
    `unit_cost` is the purchase price of a receipt; other documents move at the average cost.
    """

    item_id: Id
    quantity: Quantity | None = None
    counted: Quantity | None = None
    unit_cost: Money | None = None
    serials: Codes = []


class DocumentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A document to post: what kind, where, and its lines."""

    kind: Kind
    warehouse_id: Id
    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=500)]
    to_warehouse_id: Id | None = None
    supplier: Annotated[str, msgspec.Meta(max_length=200)] = ""
    supplier_document: Short = ""
    reason: Text300 = ""
    note: LongText = ""
    corrects_id: Id | None = None


class LineOut(msgspec.Struct, frozen=True):
    """One posted line."""

    id: int
    item_id: int
    item_name: str
    unit: str
    quantity: Decimal
    expected: Decimal | None
    counted: Decimal | None
    unit_cost: Decimal | None  # None: the caller may not see costs
    serials: list[str]


class DocumentOut(msgspec.Struct, frozen=True):
    """A posted document with its lines."""

    id: int
    number: str
    kind: str
    kind_label: str
    warehouse_id: int
    warehouse_name: str
    to_warehouse_id: int | None
    to_warehouse_name: str
    supplier: str
    supplier_document: str
    order_id: int | None  # None too when the caller may not read the order
    order_number: str
    order_hidden: bool  # for an order the caller may not read: neither its id nor its number
    reason: str
    note: str
    corrects_id: int | None
    author_name: str
    posted_at: dt.datetime
    lines: list[LineOut]


class DocumentBrief(msgspec.Struct, frozen=True):
    """A document in a list."""

    id: int
    number: str
    kind: str
    kind_label: str
    warehouse_name: str
    to_warehouse_name: str
    supplier: str
    order_number: str
    order_hidden: bool
    reason: str
    author_name: str
    posted_at: dt.datetime
    lines: int


class DocumentList(msgspec.Struct, frozen=True):
    """Documents, newest first; `next` continues the list."""

    items: list[DocumentBrief]
    next: int | None = None


class MoveOut(msgspec.Struct, frozen=True):
    """One change of an item's level: the document, the warehouse, how much, what was left."""

    id: int
    at: dt.datetime
    document_id: int
    document_number: str
    document_kind: str
    document_kind_label: str
    warehouse_id: int
    warehouse_name: str
    item_id: int
    item_name: str
    article: str
    unit: str
    quantity: Decimal
    on_hand_after: Decimal
    unit_cost: Decimal | None
    order_id: int | None
    order_number: str
    order_hidden: bool  # for an order the caller may not read: neither its id nor its number
    serials: list[str] = []  # of a serial-tracked item: the serials moved


class MoveList(msgspec.Struct, frozen=True):
    """Moves (of the ledger, or an item's history), newest first; `next` continues the list."""

    items: list[MoveOut]
    next: int | None = None


class ShortageOut(msgspec.Struct, frozen=True):
    """An item below its minimum, or needed by open orders beyond what is available."""

    item_id: int
    item_name: str
    article: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    min_level: Decimal
    waiting: Decimal  # units open orders need that no warehouse holds for them
    suggested: Decimal  # to order: back to the minimum plus what orders wait for
    orders: list[str]  # numbers of the orders waiting that the caller may read
    hidden_orders: int  # how many other orders wait for it


class ShortageList(msgspec.Struct, frozen=True):
    """The low-stock list with reorder suggestions."""

    items: list[ShortageOut]


class ToIssueOut(msgspec.Struct, frozen=True):
    """A part a master used before the van had it: to be issued to that van."""

    warehouse_id: int
    warehouse_name: str
    item_id: int
    item_name: str
    unit: str
    quantity: Decimal
    order_id: int | None  # None: an order the caller may not read
    order_number: str
    since: dt.datetime


class ToIssueList(msgspec.Struct, frozen=True):
    """Parts to be issued to the vans, per van, oldest first."""

    items: list[ToIssueOut]
