"""What the staff API takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

Login = Annotated[str, msgspec.Meta(min_length=2, max_length=64)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Phone = Annotated[str, msgspec.Meta(max_length=32)]
Short = Annotated[str, msgspec.Meta(max_length=100)]
Password = Annotated[str, msgspec.Meta(max_length=256)]
Language = Annotated[str, msgspec.Meta(min_length=2, max_length=5)]
RoleCode = Annotated[str, msgspec.Meta(min_length=2, max_length=50)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Manufacturers = Annotated[list[Short], msgspec.Meta(max_length=200)]
Cidrs = Annotated[list[Annotated[str, msgspec.Meta(max_length=64)]], msgspec.Meta(max_length=100)]
Permissions = dict[str, list[str]]
FieldLevels = Annotated[dict[str, str], msgspec.Meta(max_length=200)]
Overrides = dict[str, dict[str, bool]]


class RoleRef(msgspec.Struct):
    """A role as shown inside an employee."""

    id: int
    code: str
    name: str


class EmployeeOut(msgspec.Struct):
    """An employee as the API shows it (never the password hash)."""

    id: int
    login: str
    email: str | None
    full_name: str
    phone: str
    position: str
    is_active: bool
    language: str
    roles: list[RoleRef]
    manufacturers: list[str]
    ip_allowlist: list[str]
    permission_overrides: Overrides
    permissions: Permissions
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    organization_id: int | None = None  # a partner's employee (none: the center's own)


class EmployeeCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new employee."""

    login: Login
    full_name: Name
    password: Password
    email: Email | None = None
    phone: Phone = ""
    position: Short = ""
    language: Language = "ru"
    role_ids: Annotated[list[Id], msgspec.Meta(max_length=50)] = []
    manufacturers: Manufacturers = []
    ip_allowlist: Cidrs = []
    permission_overrides: Overrides = {}
    organization_id: Id | None = None


class EmployeePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to an employee; absent fields stay as they are."""

    login: Login | msgspec.UnsetType = msgspec.UNSET
    full_name: Name | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType | None = msgspec.UNSET
    phone: Phone | msgspec.UnsetType = msgspec.UNSET
    position: Short | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    is_active: bool | msgspec.UnsetType = msgspec.UNSET
    password: Password | msgspec.UnsetType = msgspec.UNSET
    role_ids: Annotated[list[Id], msgspec.Meta(max_length=50)] | msgspec.UnsetType = msgspec.UNSET
    manufacturers: Manufacturers | msgspec.UnsetType = msgspec.UNSET
    ip_allowlist: Cidrs | msgspec.UnsetType = msgspec.UNSET
    permission_overrides: Overrides | msgspec.UnsetType = msgspec.UNSET
    organization_id: Id | msgspec.UnsetType | None = msgspec.UNSET


class RoleOut(msgspec.Struct):
    """A role with its permissions."""

    id: int
    code: str
    name: str
    description: str
    is_builtin: bool
    permissions: Permissions
    field_permissions: dict[str, str]
    employee_count: int


class RoleCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new custom role."""

    name: Name
    code: RoleCode | None = None
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    permissions: Permissions = {}
    field_permissions: FieldLevels = {}


class RolePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a role."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=2000)] | msgspec.UnsetType = msgspec.UNSET
    permissions: Permissions | msgspec.UnsetType = msgspec.UNSET
    field_permissions: FieldLevels | msgspec.UnsetType = msgspec.UNSET


class Page(msgspec.Struct):
    """A page of a list: items and the cursor of the next page (null at the end)."""

    items: list[EmployeeOut]
    next: int | None


class RoleList(msgspec.Struct):
    """All roles."""

    items: list[RoleOut]
    next: None = None
