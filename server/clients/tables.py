"""Clients, contacts, addresses, devices and their directories, reminders, loyalty rules."""

from decimal import Decimal

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.staff.tables import Employee

ZERO = Decimal("0")


class Client(Table):
    """A person or a company that brings devices or orders visits."""

    id = Serial(primary_key=True)
    kind = Varchar(length=10, default="person", help_text="person | company")
    name = Varchar(length=300, help_text="Full name of a person, short name of a company.")
    legal_name = Varchar(length=500, default="")
    inn = Varchar(length=12, default="")
    kpp = Varchar(length=9, default="")
    ogrn = Varchar(length=15, default="")
    legal_address = Text(default="")
    bank_name = Varchar(length=300, default="")
    bik = Varchar(length=9, default="")
    bank_account = Varchar(length=20, default="")
    corr_account = Varchar(length=20, default="")
    tags = Array(base_column=Varchar(length=50), default=[])
    source = Varchar(length=100, default="", help_text="How the client heard of us.")
    comment = Text(default="")
    discount_percent = Numeric(digits=(5, 2), default=ZERO, help_text="Personal discount.")
    custom = JSONB(default={}, help_text="Values of custom fields: {code: value}.")
    search_text = Text(default="", help_text="Words the search looks in, kept by the service.")
    is_archived = Boolean(default=False)
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ClientPhone(Table):
    """A phone number of a client, in E.164 form."""

    id = Serial(primary_key=True)
    client = ForeignKey(references=Client, null=False)
    number = Varchar(length=20, index=True)
    contact_name = Varchar(length=200, default="", help_text="Whom this number reaches.")
    is_primary = Boolean(default=False)


class ClientEmail(Table):
    """An email address of a client, lower-cased."""

    id = Serial(primary_key=True)
    client = ForeignKey(references=Client, null=False)
    email = Varchar(length=254, index=True)
    contact_name = Varchar(length=200, default="")
    is_primary = Boolean(default=False)


class ClientAddress(Table):
    """An address of a client; coordinates are used by dispatch."""

    id = Serial(primary_key=True)
    client = ForeignKey(references=Client, null=False)
    address = Text()
    lat = DoublePrecision(null=True, default=None)
    lon = DoublePrecision(null=True, default=None)
    comment = Text(default="", help_text="Entrance, floor, intercom code...")
    is_primary = Boolean(default=False)
    geo_status = Varchar(
        length=12,
        default="pending",
        help_text="pending | found | not_found | failed | manual (choices.GeoStatus)",
    )
    geocoded_at = Timestamptz(
        null=True, default=None, help_text="When the geocoder last answered for this text."
    )
    geo_note = Text(default="", help_text="Why the geocoder found nothing, or how it failed.")


class DeviceType(Table):
    """Directory: washing machine, smartphone, laptop..."""

    id = Serial(primary_key=True)
    name = Varchar(length=100, unique=True)
    is_active = Boolean(default=True)


class Brand(Table):
    """Directory: manufacturers."""

    id = Serial(primary_key=True)
    name = Varchar(length=100, unique=True)
    is_active = Boolean(default=True)


class DeviceModel(Table):
    """Directory: a brand's model of a device type."""

    id = Serial(primary_key=True)
    brand = ForeignKey(references=Brand, null=False)
    device_type = ForeignKey(references=DeviceType, null=True)
    name = Varchar(length=150)
    is_active = Boolean(default=True)


class Device(Table):
    """A client's device (изделие)."""

    id = Serial(primary_key=True)
    client = ForeignKey(references=Client, null=False)
    device_type = ForeignKey(references=DeviceType, null=True)
    brand = ForeignKey(references=Brand, null=True)
    model = ForeignKey(references=DeviceModel, null=True)
    model_name = Varchar(
        length=150, default="", help_text="Model as written when not in the directory."
    )
    serial = Varchar(length=100, default="", index=True, help_text="Serial number or IMEI.")
    purchase_date = Date(null=True, default=None)
    warranty_until = Date(null=True, default=None)
    notes = Text(default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Reminder(Table):
    """A task about a client with a due date, shown to its assignee."""

    id = Serial(primary_key=True)
    client = ForeignKey(references=Client, null=False)
    order_id = Integer(null=True, default=None, help_text="Order it is about, if any.")
    assignee = ForeignKey(references=Employee, null=False)
    author = ForeignKey(references=Employee, null=True)
    due_at = Timestamptz()
    text = Text()
    done_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class LoyaltyRule(Table):
    """Settings: an automatic discount after N completed orders or a total spend."""

    id = Serial(primary_key=True)
    name = Varchar(length=100)
    min_completed_orders = Integer(null=True, default=None)
    min_total_spend = Numeric(digits=(12, 2), null=True, default=None)
    percent = Numeric(digits=(5, 2))
    is_active = Boolean(default=True)
