"""Requests, their timeline and photos, the numbering and the public form's tries."""

from piccolo.columns import (
    JSONB,
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.orders.tables import Order
from server.partners.tables import Organization
from server.staff.tables import Employee


class ServiceRequest(Table, tablename="service_request"):
    """An incoming ask (заявка): who, what device, what is wrong, where; it may become an order."""

    id = Serial(primary_key=True)
    number = Varchar(length=30, unique=True)
    status = Varchar(
        length=20,
        index=True,
        help_text="new | in_review | returned | accepted | converted | rejected",
    )
    channel = Varchar(length=20, help_text="website | api | phone | partner")
    name = Varchar(length=200)
    phone = Varchar(length=32, default="", help_text="E.164 when it could be read, else as typed.")
    email = Varchar(length=254, default="")
    device = Varchar(length=300, default="", help_text="The device as the requester wrote it.")
    device_type = Varchar(length=100, default="")
    brand = Varchar(length=100, default="")
    model = Varchar(length=150, default="")
    serial = Varchar(length=100, default="")
    problem = Text(default="")
    problem_class = Integer(null=True, default=None, help_text="A class of the problems tree.")
    address = Text(default="")
    preferred_day = Date(null=True, default=None)
    preferred_from = Time(null=True, default=None)
    preferred_to = Time(null=True, default=None)
    custom = JSONB(default={})
    source_org = ForeignKey(
        references=Organization, null=True, index=True, help_text="The partner who filed it."
    )
    manager = ForeignKey(references=Employee, null=True, index=True)
    expert = ForeignKey(references=Employee, null=True, index=True)
    technician = ForeignKey(references=Employee, null=True, index=True)
    service_center = ForeignKey(references=Organization, null=True, index=True)
    queue = Varchar(length=50, default="", help_text="A special queue named by a rule.")
    assignment = JSONB(default={}, help_text="{role: {rule_id, rule_name} | {by, at}}.")
    reason = Text(default="", help_text="Why it was last returned or rejected.")
    order = ForeignKey(references=Order, null=True, index=True, help_text="The order made of it.")
    search_text = Text(default="")
    ip = Varchar(length=64, default="", help_text="The address it was sent from (public ones).")
    version = Integer(default=1)
    created_by = ForeignKey(references=Employee, null=True, index=True)
    created_at = Timestamptz(index=True)
    updated_at = Timestamptz()


class RequestEvent(Table):
    """A step on a request's timeline: who, when, what, why; `public` ones the requester sees."""

    id = Serial(primary_key=True)
    request = ForeignKey(references=ServiceRequest, null=False, index=True)
    kind = Varchar(length=20)
    text = Text(default="")
    data = JSONB(default={})
    author = ForeignKey(references=Employee, null=True)
    by_requester = Boolean(default=False)
    public = Boolean(default=True)
    at = Timestamptz()


class RequestLink(Table):
    """A private link of the requester (each message may carry a new one; all keep working)."""

    id = Serial(primary_key=True)
    request = ForeignKey(references=ServiceRequest, null=False, index=True)
    token_hash = Varchar(length=64, unique=True, help_text="SHA-256 of the link's token.")
    created_at = Timestamptz()


class RequestPhoto(Table):
    """A photo of a request, kept in the file store (`file` is its stored file's id)."""

    id = Serial(primary_key=True)
    request = ForeignKey(references=ServiceRequest, null=False, index=True)
    file = UUID(unique=True)
    name = Varchar(length=200)
    by_requester = Boolean(default=True)
    at = Timestamptz()


class RequestNumberCounter(Table):
    """The last request number given per prefix."""

    id = Serial(primary_key=True)
    prefix = Varchar(length=20, unique=True)
    last = Integer(default=0)


class RequestAttempt(Table):
    """A request sent without login, counted per address for throttling."""

    id = Serial(primary_key=True)
    at = Timestamptz(index=True)
    ip = Varchar(length=64, index=True)
