"""Assignment rules, the problem classification and address zones as stored in PostgreSQL."""

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class ProblemClass(Table, tablename="problem_class"):
    """A node of the problem classification (a tree); switched off, never deleted."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    parent: ForeignKey[Table] = ForeignKey(
        references="self", null=True, on_delete=OnDelete.restrict, help_text="None: a root."
    )
    sort = SmallInt(default=0, help_text="Order among its siblings.")
    is_active = Boolean(default=True)


class Zone(Table, tablename="assignment_zone"):
    """A named address zone: a polygon of coordinates and/or cities and districts by name."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    polygon = JSONB(default=[], help_text="[[lat, lon], ...] (empty: no polygon).")
    places = Array(
        base_column=Varchar(length=200),
        default=[],
        help_text="Cities or districts found in the address text (empty: none).",
    )
    is_active = Boolean(default=True)
    updated_at = Timestamptz()


class AssignmentRule(Table, tablename="assignment_rule"):
    """When its conditions all hold, who may become each responsible of a request or order."""

    id = Serial(primary_key=True)
    name = Varchar(length=200)
    is_active = Boolean(default=True)
    sort = Integer(default=0, help_text="Precedence: lower first.")
    applies_to = Varchar(length=10, default="both", help_text="request | order | both")
    conditions = JSONB(
        default={},
        help_text="{brands, device_types, problem_class_ids, zone_ids, channels, "
        "source_org_ids: [...], fields: {name: value}}; empty: any.",
    )
    targets = JSONB(default={}, help_text="{role: [candidate id, ...]} per responsible role.")
    queue = Varchar(length=50, default="", help_text="A special queue ('director'), or ''.")
    stop = Boolean(default=False, help_text="No later rule is looked at once this one matches.")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class LastAssigned(Table, tablename="assignment_last"):
    """When a candidate was last chosen for a role (the tie-break among equal workloads)."""

    id = Serial(primary_key=True)
    key = Varchar(length=40, unique=True, help_text="'<role>:<employee or organization id>'.")
    at = Timestamptz()
