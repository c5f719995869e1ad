"""What the requests API takes and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

Name = Annotated[str, msgspec.Meta(max_length=200)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Line = Annotated[str, msgspec.Meta(max_length=300)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
Reason = Annotated[str, msgspec.Meta(max_length=2000)]
Clock = Annotated[str, msgspec.Meta(max_length=5)]
Custom = Annotated[dict[str, Any], msgspec.Meta(max_length=50)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class RequestFields(msgspec.Struct, forbid_unknown_fields=True):
    """The requester's part of a request: who, what, where, when."""

    name: Name = ""
    phone: Phone = ""
    email: Email = ""
    device: Line = ""
    problem: Text = ""
    address: Text = ""
    device_type: Short = ""
    brand: Short = ""
    model: Annotated[str, msgspec.Meta(max_length=150)] = ""
    serial: Short = ""
    problem_class_id: Id | None = None
    preferred_day: dt.date | None = None
    preferred_from: Clock | None = None
    preferred_to: Clock | None = None
    custom: Custom = {}


class PublicRequestIn(RequestFields, forbid_unknown_fields=True):
    """A request sent without login (the website's own form or an outside site's script)."""


class RequestIn(RequestFields, forbid_unknown_fields=True):
    """A request filed by staff: an operator's phone call, or a partner's employee."""

    channel: Annotated[str, msgspec.Meta(max_length=20)] | None = None


class RequestCreated(msgspec.Struct, frozen=True):
    """The answer to a public request: its number and the private link to follow it."""

    number: str
    link: str


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a request is returned or rejected."""

    reason: Reason


class ConvertIn(msgspec.Struct, forbid_unknown_fields=True):
    """Make an order: the client to use (one of the duplicates shown), or None to match or
    create one; the order type (None: the default)."""

    client_id: Id | None = None
    order_type_id: Id | None = None
    create_client: bool = False  # a new client even though duplicates exist


class EventOut(msgspec.Struct, frozen=True):
    """A step on a request's timeline."""

    id: int
    kind: str
    label: str
    text: str
    author: str
    by_requester: bool
    public: bool
    at: dt.datetime
    data: dict[str, Any] = {}


class PhotoOut(msgspec.Struct, frozen=True):
    """A photo of a request."""

    id: str
    name: str
    url: str


class PersonRef(msgspec.Struct, frozen=True):
    """An employee or an organization named on a request."""

    id: int
    name: str


class RequestOut(msgspec.Struct, frozen=True):
    """A request as staff see it."""

    id: int
    number: str
    status: str
    status_label: str
    status_color: str
    channel: str
    channel_label: str
    name: str
    phone: str
    email: str
    device: str
    device_type: str
    brand: str
    model: str
    serial: str
    problem: str
    problem_class_id: int | None
    address: str
    preferred_day: dt.date | None
    preferred_from: str | None
    preferred_to: str | None
    custom: dict[str, Any]
    source_org: PersonRef | None
    manager: PersonRef | None
    expert: PersonRef | None
    technician: PersonRef | None
    service_center: PersonRef | None
    queue: str
    assignment: dict[str, Any]
    reason: str
    order_id: int | None
    order_number: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int
    photos: list[PhotoOut] = []
    timeline: list[EventOut] = []


class RequestList(msgspec.Struct, frozen=True):
    """A page of requests and the cursor of the next one."""

    items: list[RequestOut]
    next: str | None = None


class DuplicateClient(msgspec.Struct, frozen=True):
    """A client that already has the request's phone or email."""

    id: int
    name: str


class ConvertPreview(msgspec.Struct, frozen=True):
    """What converting would do: the clients found by phone/email, the device by serial."""

    duplicates: list[DuplicateClient]
    device_id: int | None = None


class Converted(msgspec.Struct, frozen=True):
    """The order made of a request."""

    request: RequestOut
    order_id: int
    order_number: str
    client_id: int
    client_created: bool
    device_id: int | None
    device_created: bool


class ContactRequestOut(msgspec.Struct, frozen=True):
    """A customer's request, as the customer's cabinet lists it."""

    number: str
    status: str
    status_label: str
    device: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PublicView(msgspec.Struct, frozen=True):
    """What the requester's private link shows."""

    number: str
    status: str
    status_label: str
    reason: str
    can_complete: bool
    fields: dict[str, Any]
    photos: list[PhotoOut]
    timeline: list[EventOut]


class CountOut(msgspec.Struct, frozen=True):
    """How many requests wait (new ones)."""

    new: int
