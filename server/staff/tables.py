"""Employees and roles as stored in PostgreSQL."""

import datetime as dt

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.partners.tables import Organization


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
    organization = ForeignKey(
        references=Organization,
        null=True,
        index=True,
        help_text="The partner organization this employee works for (none: the center's own).",
    )


class EmployeeRole(Table):
    """Which roles an employee has."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    role = ForeignKey(references=Role, null=False)


class MasterProfile(Table):
    """How a field master works, as the scheduler reads it (one per employee; none: defaults)."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False, unique=True)
    shift_start = Time(default=dt.time(9, 0), help_text="Default start of the working day.")
    shift_end = Time(default=dt.time(18, 0), help_text="Default end of the working day.")
    lunch_start = Time(null=True, default=None, help_text="Window lunch is taken in (None: none).")
    lunch_end = Time(null=True, default=None)
    lunch_minutes = Integer(default=0, help_text="Length of lunch, inside its window.")
    start_address = Text(default="", help_text="Where the day starts: home or a depot.")
    start_lat = DoublePrecision(null=True, default=None)
    start_lon = DoublePrecision(null=True, default=None)
    end_same_as_start = Boolean(default=True, help_text="The day ends where it starts.")
    end_address = Text(default="")
    end_lat = DoublePrecision(null=True, default=None)
    end_lon = DoublePrecision(null=True, default=None)
    device_type_ids = Array(
        base_column=Integer(), default=[], help_text="Device types serviced (empty: any)."
    )
    brand_ids = Array(base_column=Integer(), default=[], help_text="Brands serviced (empty: any).")
    max_visits = Integer(null=True, default=None, help_text="Visits per day at most (None: any).")
    updated_at = Timestamptz()


class MasterWeekday(Table):
    """The weekly pattern: whether a master works on a weekday, and the hours if not default."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    weekday = SmallInt(help_text="0 Monday ... 6 Sunday.")
    works = Boolean(default=True)
    shift_start = Time(null=True, default=None, help_text="None: the profile's default.")
    shift_end = Time(null=True, default=None)


class CalendarException(Table):
    """A one-off change of a master's calendar over a range of days."""

    id = Serial(primary_key=True)
    employee = ForeignKey(references=Employee, null=False)
    first_day = Date()
    last_day = Date()
    kind = Varchar(length=20, help_text="day_off | vacation | sick | changed_hours")
    shift_start = Time(null=True, default=None, help_text="Hours of changed_hours days.")
    shift_end = Time(null=True, default=None)
    comment = Text(default="")
    created_at = Timestamptz()
