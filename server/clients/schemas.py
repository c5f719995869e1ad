"""What the clients and devices API takes and gives; fields hidden from the caller are UNSET."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from server.clients.choices import ClientKind
from server.orders.schemas import OrderBrief

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Line = Annotated[str, msgspec.Meta(max_length=300)]
Long = Annotated[str, msgspec.Meta(max_length=5000)]
Code = Annotated[str, msgspec.Meta(max_length=32)]
Tags = Annotated[list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=30)]
Custom = Annotated[dict[str, Any], msgspec.Meta(max_length=100)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class PhoneIn(msgspec.Struct, forbid_unknown_fields=True):
    """A phone with the name of whom it reaches."""

    number: Annotated[str, msgspec.Meta(max_length=32)]
    contact_name: Annotated[str, msgspec.Meta(max_length=200)] = ""


class EmailIn(msgspec.Struct, forbid_unknown_fields=True):
    """An email with the name of whom it reaches."""

    email: Annotated[str, msgspec.Meta(max_length=254)]
    contact_name: Annotated[str, msgspec.Meta(max_length=200)] = ""


class AddressIn(msgspec.Struct, forbid_unknown_fields=True):
    """An address, optionally with coordinates (both or none; typed ones are kept as manual).

    `id` names the stored address this one replaces; without it an address with the same text
    is taken as the same. Either way its geocoding state goes on unless the text or the
    coordinates changed.
    """

    address: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    lat: float | None = None
    lon: float | None = None
    comment: Line = ""
    id: Id | None = None


Phones = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=32)] | PhoneIn], msgspec.Meta(max_length=20)
]
Emails = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=254)] | EmailIn], msgspec.Meta(max_length=20)
]
Addresses = Annotated[list[AddressIn], msgspec.Meta(max_length=20)]


class ClientCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new client: a person or a company."""

    name: Name
    kind: ClientKind = ClientKind.PERSON
    phones: Phones = []
    emails: Emails = []
    addresses: Addresses = []
    legal_name: Annotated[str, msgspec.Meta(max_length=500)] = ""
    inn: Code = ""
    kpp: Code = ""
    ogrn: Code = ""
    legal_address: Long = ""
    bank_name: Line = ""
    bik: Code = ""
    bank_account: Code = ""
    corr_account: Code = ""
    tags: Tags = []
    source: Short = ""
    comment: Long = ""
    discount_percent: Decimal = Decimal("0")
    custom: Custom = {}


class ClientPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a client; lists (phones, emails, addresses) are replaced as a whole."""

    name: Name | Unset = UNSET
    kind: ClientKind | Unset = UNSET
    phones: Phones | Unset = UNSET
    emails: Emails | Unset = UNSET
    addresses: Addresses | Unset = UNSET
    legal_name: Annotated[str, msgspec.Meta(max_length=500)] | Unset = UNSET
    inn: Code | Unset = UNSET
    kpp: Code | Unset = UNSET
    ogrn: Code | Unset = UNSET
    legal_address: Long | Unset = UNSET
    bank_name: Line | Unset = UNSET
    bik: Code | Unset = UNSET
    bank_account: Code | Unset = UNSET
    corr_account: Code | Unset = UNSET
    tags: Tags | Unset = UNSET
    source: Short | Unset = UNSET
    comment: Long | Unset = UNSET
    discount_percent: Decimal | Unset = UNSET
    custom: Custom | Unset = UNSET
    is_archived: bool | Unset = UNSET


class DeviceCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A client's device: directory ids, or a brand name to find or create."""

    device_type_id: Id | None = None
    brand_id: Id | None = None
    brand_name: Short = ""
    model_id: Id | None = None
    model_name: Annotated[str, msgspec.Meta(max_length=150)] = ""
    serial: Short = ""
    purchase_date: dt.date | None = None
    warranty_until: dt.date | None = None
    notes: Long = ""


class DevicePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a device."""

    device_type_id: Id | Unset | None = UNSET
    brand_id: Id | Unset | None = UNSET
    brand_name: Short | Unset = UNSET
    model_id: Id | Unset | None = UNSET
    model_name: Annotated[str, msgspec.Meta(max_length=150)] | Unset = UNSET
    serial: Short | Unset = UNSET
    purchase_date: dt.date | Unset | None = UNSET
    warranty_until: dt.date | Unset | None = UNSET
    notes: Long | Unset = UNSET


class DirectoryCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A device type or a brand."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ModelCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A model of a brand (and optionally of a device type)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=150)]
    brand_id: Id
    device_type_id: Id | None = None


class DirectoryPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename or (de)activate a directory entry."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=150)] | Unset = UNSET
    is_active: bool | Unset = UNSET
    brand_id: Id | Unset = UNSET
    device_type_id: Id | Unset | None = UNSET


class ReminderCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A task about a client for an employee (the author by default)."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    due_at: dt.datetime
    assignee_id: Id | None = None
    order_id: Id | None = None


class ReminderPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Mark a reminder done (or not), change its text or due time."""

    done: bool | Unset = UNSET
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | Unset = UNSET
    due_at: dt.datetime | Unset = UNSET
    assignee_id: Id | Unset = UNSET


class LoyaltyRuleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """An automatic discount once a client has enough completed orders or spend."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    percent: Decimal
    min_completed_orders: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] | None = None
    min_total_spend: Decimal | None = None
    is_active: bool = True


class LoyaltyRulePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a loyalty rule."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | Unset = UNSET
    percent: Decimal | Unset = UNSET
    min_completed_orders: Annotated[int, msgspec.Meta(ge=0, le=1000000)] | Unset | None = UNSET
    min_total_spend: Decimal | Unset | None = UNSET
    is_active: bool | Unset = UNSET


# ---- what the API gives; a field hidden from the caller is absent (UNSET)


class ClientRef(msgspec.Struct):
    """A client by id and name."""

    id: int
    name: str


class ClientOut(msgspec.Struct, omit_defaults=True):
    """A client with its contacts, as the caller may see it."""

    id: int
    kind: str
    name: str
    is_archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    phones: list[dict[str, Any]]
    emails: list[dict[str, Any]]
    legal_name: str | Unset = UNSET
    inn: str | Unset = UNSET
    kpp: str | Unset = UNSET
    ogrn: str | Unset = UNSET
    legal_address: str | Unset = UNSET
    bank_name: str | Unset = UNSET
    bik: str | Unset = UNSET
    bank_account: str | Unset = UNSET
    corr_account: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    source: str | Unset = UNSET
    comment: str | Unset = UNSET
    discount_percent: Decimal | Unset = UNSET
    custom: dict[str, Any] | Unset = UNSET
    addresses: list[dict[str, Any]] | Unset = UNSET


class DeviceOut(msgspec.Struct):
    """A device of a client."""

    id: int
    client_id: int
    title: str
    serial: str
    device_type_id: int | None = None
    type_name: str | None = None
    brand_id: int | None = None
    brand_name: str | None = None
    model_id: int | None = None
    model_name: str | None = None
    purchase_date: dt.date | None = None
    warranty_until: dt.date | None = None
    notes: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class ReminderOut(msgspec.Struct):
    """A reminder about a client."""

    id: int
    client_id: int
    client_name: str
    order_id: int | None
    assignee_id: int | None
    assignee_name: str | None
    author_id: int | None
    text: str
    due_at: dt.datetime
    done: bool
    done_at: dt.datetime | None
    overdue: bool
    created_at: dt.datetime


class ClientTotals(msgspec.Struct, omit_defaults=True):
    """The client's completed orders the caller may see, and their total unless hidden."""

    completed_orders: int
    total_spend: Decimal | Unset = UNSET
    orders: int | Unset = UNSET


class Discount(msgspec.Struct):
    """The client's discount and why."""

    percent: Decimal
    reason: str


class ClientCard(ClientOut, omit_defaults=True):
    """The client card: contacts, devices, open reminders, totals, discount."""

    devices: list[DeviceOut] | Unset = UNSET
    reminders: list[ReminderOut] | Unset = UNSET
    totals: ClientTotals | Unset = UNSET
    discount: Discount | Unset = UNSET
    duplicates: list[ClientRef] | Unset = UNSET


class ClientPage(msgspec.Struct):
    """A page of clients."""

    items: list[ClientOut]
    next: str | None


class ClientRefs(msgspec.Struct):
    """Clients found by a phone or an email."""

    items: list[ClientRef]


class ClientHistory(msgspec.Struct):
    """Every order and device of a client the caller may see, newest first."""

    orders: list[OrderBrief]
    devices: list[DeviceOut]
    totals: ClientTotals


class DeviceList(msgspec.Struct):
    """Devices, with the id to continue after when there are more."""

    items: list[DeviceOut]
    next: int | None = None


class DeviceHistory(msgspec.Struct):
    """A device and its orders the caller may see, newest first."""

    device: DeviceOut
    orders: list[OrderBrief]


class ReminderList(msgspec.Struct):
    """Reminders."""

    items: list[ReminderOut]
