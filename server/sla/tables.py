"""The working calendar, SLA policies, and the marks of transitions already recorded."""

from piccolo.columns import (
    JSONB,
    Array,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    SmallInt,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from server.orders.tables import Order, OrderType


class WorkWeek(Table, tablename="sla_work_week"):
    """Weekly working hours of the center: one row (the time zone is the center's)."""

    id = Serial(primary_key=True)
    hours = JSONB(
        default=[],
        help_text="Seven lists (Monday first) of [start, end] minutes from local midnight.",
    )
    updated_at = Timestamptz()


class CalendarDay(Table, tablename="sla_calendar_day"):
    """A date that differs from its weekday: a holiday, a shortened eve, a transferred workday."""

    id = Serial(primary_key=True)
    day = Date(unique=True)
    kind = Varchar(length=10, help_text="holiday | short | workday | hours")
    hours = JSONB(default=[], help_text="[start, end] minutes, for kind 'hours'.")
    note = Varchar(length=200, default="")


class SlaPolicy(Table, tablename="sla_policy"):
    """Deadlines for orders of a type and priority, in business minutes (None: no clock)."""

    id = Serial(primary_key=True)
    name = Varchar(length=100)
    order_type = ForeignKey(references=OrderType, null=True, help_text="Empty: every type.")
    priority = Varchar(length=10, default="", help_text="Empty: every priority.")
    accept_minutes = Integer(null=True, default=None, help_text="Until the order leaves «new».")
    first_visit_minutes = Integer(
        null=True, default=None, help_text="Until a master is on site (field types)."
    )
    resolution_minutes = Integer(null=True, default=None, help_text="Until ready or closed.")
    warn_percent = SmallInt(default=80, help_text="Share of the time when it turns at risk.")
    escalate_percent = SmallInt(
        null=True, default=None, help_text="Share of the time when the manager is told."
    )
    pause_statuses = Array(
        base_column=Varchar(length=50), default=[], help_text="Status codes that stop the clocks."
    )
    is_active = Boolean(default=True)
    updated_at = Timestamptz()


class SlaMark(Table, tablename="sla_mark"):
    """A transition of a clock already put on the order's timeline and emitted (once each)."""

    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)
    order = ForeignKey(references=Order, null=False, index=True)
    clock = Varchar(length=20)
    transition = Varchar(length=20, help_text="warning | breach | escalation")
    at = Timestamptz()
    settled_at = Timestamptz(
        null=True, default=None, help_text="When the clock stopped and its events were settled."
    )


class SlaOrderState(Table, tablename="sla_order_state"):
    """The worst state of an order's clocks as the last sweep found it, for list filters and
    the late-orders page to pick candidates (what they show is computed afresh), and when the
    sweep must read the order again though nothing happened to it."""

    id = Serial(primary_key=True)
    order = ForeignKey(references=Order, null=False, unique=True)
    state = Varchar(length=10, index=True)
    due_at = Timestamptz(null=True, default=None, help_text="The nearest deadline still ahead.")
    next_at = Timestamptz(
        null=True,
        default=None,
        index=True,
        help_text="The next warning, breach or escalation due (None: only an event can change"
        " the clocks, e.g. while paused).",
    )
    checked_at = Timestamptz(help_text="When a sweep last read the order (the server's clock).")


class SlaSweep(Table, tablename="sla_sweep"):
    """Where the sweep stands: one row. The states above were read on the calendar, policies
    and statuses of `basis`, with the audit log read up to `audit_id`."""

    id = Serial(primary_key=True)
    audit_id = BigInt(default=0, help_text="The highest audit entry the last sweep read.")
    basis = Varchar(length=64, default="", help_text="Digest of what every reading depends on.")
    full_at = Timestamptz(null=True, default=None, help_text="When every open order was last read.")
