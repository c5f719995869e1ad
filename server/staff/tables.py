"""Employees and roles as stored in PostgreSQL."""

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    ForeignKey,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Role(Table):
    """A named set of permissions; built-in roles are created at start and cannot be deleted."""

    id = Serial(primary_key=True)
    code = Varchar(length=50, unique=True, help_text="Stable machine name, e.g. 'receiver'.")
    name = Varchar(length=100, help_text="Name shown to people.")
    description = Text(default="")
    is_builtin = Boolean(default=False)
    permissions = JSONB(default={}, help_text="{section: [action, ...]}")
    field_permissions = JSONB(default={}, help_text="{'entity.field': 'hidden' | 'read'}")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Employee(Table):
    """A person who logs in. Never deleted: deactivated instead, so history keeps its names."""

    id = Serial(primary_key=True)
    login = Varchar(length=64, unique=True, help_text="Lower-case login name.")
    email = Varchar(length=254, null=True, unique=True, help_text="Lower-case email, optional.")
    full_name = Varchar(length=200)
    phone = Varchar(length=32, default="")
    position = Varchar(length=100, default="")
    password_hash = Text(secret=True)
    is_active = Boolean(default=True)
    language = Varchar(length=5, default="ru")
    manufacturers = Array(
        base_column=Varchar(length=100),
        default=[],
        help_text="Brands this employee is restricted to (empty: all).",
    )
    ip_allowlist = Array(
        base_column=Varchar(length=64),
        default=[],
        help_text="CIDR networks allowed to use this account (empty: any).",
    )
    permission_overrides = JSONB(
        default={}, help_text="{section: {action: true|false}} applied on top of the roles."
    )
    created_at = Timestamptz()
    updated_at = Timestamptz()
    password_changed_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)


class EmployeeRole(Table):
    """Which roles an employee has."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    role = ForeignKey(references=Role, null=False)
