"""What the cash desk API takes and answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec

# Money is a Decimal; its range is checked by the services (msgspec cannot bound a Decimal),
# so a wrong amount is named by its field.
Money = Decimal
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Reason = Annotated[str, msgspec.Meta(max_length=300)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
MethodCode = Annotated[str, msgspec.Meta(pattern="^(cash|card|sbp|transfer)$")]


class PartIn(msgspec.Struct, forbid_unknown_fields=True):
    """The amount paid by one method."""

    method: MethodCode
    amount: Money


class DeskIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new counter desk."""

    name: Name


class DeskPatch(msgspec.Struct, forbid_unknown_fields=True):
    """A desk renamed, or switched off or on."""

    name: Name | None = None
    is_active: bool | None = None


class ShiftOpen(msgspec.Struct, forbid_unknown_fields=True):
    """Opening a shift with the cash found in the drawer."""

    opening_balance: Money = Decimal("0")


class ShiftClose(msgspec.Struct, forbid_unknown_fields=True):
    """Closing a shift with the cash counted in the drawer."""

    counted: Money
    comment: Reason = ""


class CashMoveIn(msgspec.Struct, forbid_unknown_fields=True):
    """Cash put into or taken out of the drawer, and why."""

    kind: Annotated[str, msgspec.Meta(pattern="^(cash_in|cash_out)$")]
    amount: Money
    reason: Reason


class HandoverIn(msgspec.Struct, forbid_unknown_fields=True):
    """Cash a field master hands in: from the master's own cash (its desk) to the drawer."""

    desk_id: Id
    amount: Money


class PartOut(msgspec.Struct, frozen=True):
    """One method's share of a document."""

    method: str
    method_label: str
    amount: Decimal


class FiscalOut(msgspec.Struct, frozen=True):
    """A document's fiscal receipt: where it stands and what the register gave."""

    state: str  # pending | sent | done | failed
    document_number: int | None  # the fiscal document's number (ФД)
    document_sign: str  # its fiscal sign (ФП)
    receipt_number: int | None
    storage_number: str  # the fiscal storage (ФН)
    shift_number: int | None
    at: str  # as the register stamped it
    error: str


class DocumentOut(msgspec.Struct, frozen=True):
    """A posted money document."""

    id: int
    number: str
    kind: str
    kind_label: str
    desk_id: int
    shift_id: int | None
    order_id: int | None
    order_number: str
    prepayment: bool
    refund_of: int | None
    amount: Decimal
    parts: list[PartOut]
    reason: str
    author_id: int | None
    author_name: str
    at: dt.datetime
    fiscal: FiscalOut | None = None


class MethodTotals(msgspec.Struct, frozen=True):
    """Money in and out of a shift by one method."""

    method: str
    method_label: str
    received: Decimal
    refunded: Decimal
    net: Decimal


class ShiftReport(msgspec.Struct, frozen=True):
    """The X report of an open shift, or the Z report of a closed one."""

    id: int
    desk_id: int
    desk_name: str
    number: int
    report: str  # "X" while open, "Z" once closed
    opened_by: str
    opened_at: dt.datetime
    closed_by: str
    closed_at: dt.datetime | None
    opening_balance: Decimal
    methods: list[MethodTotals]
    payments_count: int
    refunds_count: int
    received: Decimal
    refunded: Decimal
    revenue: Decimal
    prepayments: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expected_cash: Decimal
    counted: Decimal | None
    difference: Decimal | None
    close_comment: str
    documents: list[DocumentOut]


class ShiftBrief(msgspec.Struct, frozen=True):
    """A shift in a desk's list."""

    id: int
    number: int
    opened_by: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    opening_balance: Decimal
    expected: Decimal | None
    counted: Decimal | None
    difference: Decimal | None


class DeskOut(msgspec.Struct, frozen=True):
    """A desk and its open shift, if any."""

    id: int
    kind: str
    kind_label: str
    name: str
    master_id: int | None
    is_active: bool
    open_shift: ShiftBrief | None
    cash: Decimal  # in the drawer now (expected), or on the master


class DeskChoice(msgspec.Struct, frozen=True):
    """A desk money can be taken at now."""

    id: int
    name: str


class DeskList(msgspec.Struct, frozen=True):
    """The desks an actor sees."""

    items: list[DeskOut]


class ShiftList(msgspec.Struct, frozen=True):
    """A desk's shifts, newest first."""

    items: list[ShiftBrief]
