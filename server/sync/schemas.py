"""What the sync endpoints take (PROTOCOL.md); each mutation kind's `change` has its own shape."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import msgspec

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
    method: Annotated[str, msgspec.Meta(pattern="^(cash|card|transfer)$")] = "cash"
    comment: Annotated[str, msgspec.Meta(max_length=300)] = ""


class FileKind(StrEnum):
    """What an uploaded file is."""

    PHOTO = "photo"
    SIGNATURE = "signature"
