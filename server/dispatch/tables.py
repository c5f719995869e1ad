"""Visits: a field master's trip to a client's address for an order."""

from piccolo.columns import (
    JSONB,
    Array,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.orders.tables import Order
from server.staff.tables import Employee


class Visit(Table):
    """One trip to the client (выезд); the master's day is their visits ordered by `sequence`."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, index=True)
    master = ForeignKey(references=Employee, null=True, index=True)
    day = Date(index=True)
    window_start = Time(null=True, default=None, help_text="Time window agreed with the client.")
    window_end = Time(null=True, default=None)
    planned_start = Timestamptz(null=True, default=None)
    duration_min = Integer(default=60)
    sequence = Integer(default=0, help_text="Place in the master's day.")
    pinned_master = Boolean(default=False, help_text="The planner keeps this master.")
    pinned_time = Boolean(default=False, help_text="The planner keeps the planned start.")
    address = Text(default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    status = Varchar(length=20, default="planned")
    fail_reason = Text(default="")
    comment = Text(default="", help_text="The dispatcher's note for the master.")
    status_at = Timestamptz(null=True, default=None)
    status_latitude = DoublePrecision(null=True, default=None)
    status_longitude = DoublePrecision(null=True, default=None)
    version = Integer(default=1)
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class DispatchPlan(Table):
    """A proposal of the scheduler for one day: who goes where and when, nothing saved yet.

    `proposal` holds the assignments, unassigned visits with reasons and the figures per
    master before and after; `basis` the versions of the visits it was made from, so an
    accept refuses a day that changed meanwhile.
    """

    id = Serial(primary_key=True)
    day = Date(index=True)
    master_ids = Array(base_column=Integer(), default=[], help_text="Empty: every master.")
    max_moved = Integer(null=True, default=None)
    status = Varchar(length=10, default="queued", help_text="queued|running|ready|failed|accepted")
    error = Text(default="")
    proposal = JSONB(default={})
    basis = JSONB(default={}, help_text="{visit id: version} of the visits planned over.")
    accepted_master_ids = Array(base_column=Integer(), default=[])
    created_by = ForeignKey(references=Employee, null=True)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    time_limit_s = DoublePrecision(default=10.0)
    accepted_by = ForeignKey(references=Employee, null=True)
    accepted_at = Timestamptz(null=True, default=None)


class MasterProposal(Table):
    """The master proposed for a new field order on intake (order types with auto-assign),
    shown to the dispatcher on the board until the order gets a visit."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, unique=True)
    day = Date(null=True, default=None)
    master = ForeignKey(references=Employee, null=True)
    planned_start = Timestamptz(null=True, default=None)
    window_start = Time(null=True, default=None)
    window_end = Time(null=True, default=None)
    extra_km = DoublePrecision(default=0.0)
    reason = Text(default="", help_text="Why no master could be proposed.")
    created_at = Timestamptz()
