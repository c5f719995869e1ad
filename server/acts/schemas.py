"""Inputs and outputs of the acts API (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ActKindOut(msgspec.Struct):
    """A kind of act (the name translated when it is a shipped one)."""

    id: int
    code: str
    name: str
    is_active: bool


class ActKindIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new kind of act."""

    code: Code
    name: Name


class ActKindPatch(msgspec.Struct, forbid_unknown_fields=True):
    """A change of a kind: its name, or switched off (kinds are never deleted)."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET


class ActKindList(msgspec.Struct):
    """Every kind, active ones first."""

    items: list[ActKindOut]


class RequiredActs(msgspec.Struct):
    """The act kinds every visit of an order type must end with."""

    order_type_id: int
    act_kind_ids: list[int]


class RequiredActsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Set the act kinds an order type's visits must end with."""

    act_kind_ids: Annotated[list[Id], msgspec.Meta(max_length=50)]


class ActState(msgspec.Struct):
    """One act one visit needs: attached (with the file) or missing (maybe requested)."""

    act_kind_id: int
    name: str
    attached: bool
    file_id: str | None = None
    file_name: str | None = None
    requested_since: dt.datetime | None = None


class VisitActs(msgspec.Struct):
    """The acts of one visit of an order."""

    visit_id: int
    day: dt.date
    master_id: int | None
    status: str
    acts: list[ActState]
    missing: int


class OrderActs(msgspec.Struct):
    """The acts an order's visits must end with, per visit."""

    order_id: int
    required: list[ActKindOut]
    visits: list[VisitActs]
    missing: int


class ActRequestOut(msgspec.Struct):
    """An open request for an act: whose, for which visit of which order, since when."""

    id: int
    order_id: int
    order_number: str
    visit_id: int
    visit_day: dt.date
    act_kind_id: int
    act_name: str
    employee_id: int | None
    employee_name: str
    opened_at: dt.datetime
    days_open: int


class EmployeeCount(msgspec.Struct):
    """How many acts an employee owes."""

    employee_id: int | None
    employee_name: str
    open: int


class ActRequestList(msgspec.Struct):
    """Open act requests (of the orders the caller may read), and their counts per employee."""

    items: list[ActRequestOut]
    employees: list[EmployeeCount]
    total: int
