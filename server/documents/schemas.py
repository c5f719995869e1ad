"""What the documents API takes and gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Name = Annotated[str, msgspec.Meta(max_length=200)]
Source = Annotated[str, msgspec.Meta(max_length=200_000)]
Codes = Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=50)]
Line = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=5000)]


class TemplateCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new print template; without `source` it starts as a copy of the built-in one."""

    kind: Annotated[str, msgspec.Meta(max_length=30)]
    name: Name
    source: Source | None = None
    order_types: Codes = []
    manufacturers: Codes = []
    is_default: bool = False


class TemplatePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a print template."""

    name: Name | UnsetType = UNSET
    source: Source | UnsetType = UNSET
    order_types: Codes | UnsetType = UNSET
    manufacturers: Codes | UnsetType = UNSET
    is_default: bool | UnsetType = UNSET


class TemplateOut(msgspec.Struct):
    """A stored print template."""

    id: int
    kind: str
    name: str
    source: str
    order_types: list[str]
    manufacturers: list[str]
    is_default: bool
    updated_at: dt.datetime


class PreviewIn(msgspec.Struct, forbid_unknown_fields=True):
    """A template source to fill in with a real order."""

    kind: Annotated[str, msgspec.Meta(max_length=30)]
    source: Source
    order_id: Id


class CenterIn(msgspec.Struct, forbid_unknown_fields=True):
    """The service center's printed details."""

    name: Line
    legal_name: Line = ""
    inn: Annotated[str, msgspec.Meta(pattern=r"^(\d{10}|\d{12})?$")] = ""
    kpp: Annotated[str, msgspec.Meta(pattern=r"^(\d{4}[\dA-Z]{2}\d{3})?$")] = ""
    ogrn: Annotated[str, msgspec.Meta(pattern=r"^(\d{13}|\d{15})?$")] = ""
    address: Line = ""
    phone: Annotated[str, msgspec.Meta(max_length=50)] = ""
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    website: Line = ""
    hours: Line = ""
    bank_name: Line = ""
    bik: Annotated[str, msgspec.Meta(pattern=r"^(\d{9})?$")] = ""
    account: Annotated[str, msgspec.Meta(pattern=r"^(\d{20})?$")] = ""
    corr_account: Annotated[str, msgspec.Meta(pattern=r"^(\d{20})?$")] = ""
    director: Name = ""
    accountant: Name = ""
    vat_rate: Decimal | None = None  # 0..99, checked by the service
    terms: LongText = ""
    warranty_terms: LongText = ""


class DownloadOut(msgspec.Struct):
    """A file prepared for the employee."""

    id: int
    file_name: str
    status: str
    error: str
    rows: int
    size: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    url: str | None
