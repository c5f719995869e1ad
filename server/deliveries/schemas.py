"""What the deliveries API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec

Code = Annotated[str, msgspec.Meta(max_length=20)]
Tracking = Annotated[str, msgspec.Meta(max_length=50)]
Name = Annotated[str, msgspec.Meta(max_length=200)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Contact = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Places = Annotated[int, msgspec.Meta(ge=1, le=10000)]
OrderNumber = Annotated[str, msgspec.Meta(max_length=30)]


class ShipmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new shipment. The counterparty is a client, a partner or a supplier's name, as the
    direction says; the order (by id or number) is one the caller may see. With a CDEK number
    and the integration on, the carrier's data fills what is left empty."""

    direction: Code
    carrier: Code
    client_id: Id | None = None
    partner_id: Id | None = None
    supplier_name: Name = ""
    order_id: Id | None = None
    order_number: OrderNumber = ""
    carrier_name: Short = ""
    tracking_number: Tracking = ""
    status: Code = "draft"
    from_address: LongText = ""
    to_address: LongText = ""
    contact: Contact = ""
    weight_kg: Decimal | None = None
    places: Places = 1
    cost: Decimal | None = None
    sent_on: dt.date | None = None
    expected_on: dt.date | None = None
    note: LongText = ""


class ShipmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a shipment; absent fields stay as they are (the status has its own call)."""

    direction: Code | msgspec.UnsetType = msgspec.UNSET
    carrier: Code | msgspec.UnsetType = msgspec.UNSET
    client_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    partner_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    supplier_name: Name | msgspec.UnsetType = msgspec.UNSET
    order_id: Id | msgspec.UnsetType | None = msgspec.UNSET
    order_number: OrderNumber | msgspec.UnsetType = msgspec.UNSET
    carrier_name: Short | msgspec.UnsetType = msgspec.UNSET
    tracking_number: Tracking | msgspec.UnsetType = msgspec.UNSET
    from_address: LongText | msgspec.UnsetType = msgspec.UNSET
    to_address: LongText | msgspec.UnsetType = msgspec.UNSET
    contact: Contact | msgspec.UnsetType = msgspec.UNSET
    weight_kg: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    places: Places | msgspec.UnsetType = msgspec.UNSET
    cost: Decimal | msgspec.UnsetType | None = msgspec.UNSET
    sent_on: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    expected_on: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    note: LongText | msgspec.UnsetType = msgspec.UNSET


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    """A status a person moves the shipment to, with an optional note."""

    status: Code
    note: LongText = ""


class HistoryOut(msgspec.Struct, frozen=True):
    """One change of the status: ours and the carrier's, when, from whom."""

    at: dt.datetime
    source: str
    source_label: str
    author_name: str
    status_from: str
    status_to: str
    status_label: str
    carrier_status: str
    carrier_at: dt.datetime | None
    city: str
    note: str


class ShipmentOut(msgspec.Struct, frozen=True):
    """A shipment as the caller may see it: the order and a client counterparty are left out
    (UNSET, `order_hidden`/`client_hidden` true) where the caller's scope does not reach."""

    id: int
    number: str
    direction: str
    direction_label: str
    counterparty: str  # who is at the other end: client, partner or supplier
    counterparty_name: str
    carrier: str
    carrier_label: str
    carrier_name: str
    tracking_number: str
    status: str
    status_label: str
    status_color: str
    next_statuses: list[str]
    from_address: str
    to_address: str
    contact: str
    places: int
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    supplier_name: str = ""
    client_id: int | msgspec.UnsetType = msgspec.UNSET
    partner_id: int | None = None
    order_id: int | msgspec.UnsetType = msgspec.UNSET
    order_number: str | msgspec.UnsetType = msgspec.UNSET
    client_hidden: bool = False
    order_hidden: bool = False
    weight_kg: Decimal | None = None
    cost: Decimal | None = None
    sent_on: dt.date | None = None
    expected_on: dt.date | None = None
    delivered_at: dt.datetime | None = None
    carrier_status: str = ""
    carrier_status_at: dt.datetime | None = None
    carrier_checked_at: dt.datetime | None = None
    carrier_error: str = ""
    tracked: bool = False  # the carrier's integration is on and the number is set
    created_by_name: str = ""
    history: list[HistoryOut] = []


class ShipmentList(msgspec.Struct, frozen=True):
    """A page of shipments, newest first; `next` is the cursor of the following page."""

    items: list[ShipmentOut]
    next: str | None = None


class ShipmentCost(msgspec.Struct, frozen=True):
    """A shipment of an order with what its delivery costs."""

    id: int
    number: str
    direction: str
    direction_label: str
    carrier_label: str
    status: str
    status_label: str
    cost: Decimal | None


class OrderDeliveryCosts(msgspec.Struct, frozen=True):
    """The shipments of an order and the sum of their costs (the order's delivery expense)."""

    order_id: int
    total: Decimal
    shipments: list[ShipmentCost]


class CarrierInfo(msgspec.Struct, frozen=True):
    """A carrier and whether its shipments are fetched from it."""

    code: str
    label: str
    integrated: bool  # the product can fetch its shipments
    on: bool  # and the keys are set


class CarrierList(msgspec.Struct, frozen=True):
    """The carriers one may choose."""

    items: list[CarrierInfo]
