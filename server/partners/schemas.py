"""What the partners API takes and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Text300 = Annotated[str, msgspec.Meta(max_length=300)]
Inn = Annotated[str, msgspec.Meta(max_length=12)]
Phone = Annotated[str, msgspec.Meta(max_length=32)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Brands = Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=100)]
Kind = Annotated[str, msgspec.Meta(max_length=20)]


class OrgOut(msgspec.Struct, frozen=True):
    """A partner organization: a dealer or a partner service center."""

    id: int
    kind: str
    kind_label: str
    name: str
    legal_name: str
    inn: str
    phone: str
    email: str
    address: str
    manufacturers: list[str]
    note: str
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class OrgList(msgspec.Struct, frozen=True):
    """Organizations, active ones first by name."""

    items: list[OrgOut]


class OrgIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new organization."""

    kind: Kind
    name: Name
    legal_name: Text300 = ""
    inn: Inn = ""
    phone: Phone = ""
    email: Email = ""
    address: LongText = ""
    manufacturers: Brands = []
    note: LongText = ""
    is_active: bool = True


class OrgPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to an organization; absent fields stay as they are."""

    kind: Kind | msgspec.UnsetType = msgspec.UNSET
    name: Name | msgspec.UnsetType = msgspec.UNSET
    legal_name: Text300 | msgspec.UnsetType = msgspec.UNSET
    inn: Inn | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    address: LongText | msgspec.UnsetType = msgspec.UNSET
    manufacturers: Brands | msgspec.UnsetType = msgspec.UNSET
    note: LongText | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
