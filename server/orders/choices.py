"""Choice sets of the orders domain, with labels and colours."""

from enum import StrEnum

from server.i18n import N_


class Priority(StrEnum):
    """How urgent an order is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_LABELS = {
    Priority.LOW: N_("low"),
    Priority.NORMAL: N_("normal"),
    Priority.HIGH: N_("high"),
    Priority.URGENT: N_("urgent"),
}


class StatusGroup(StrEnum):
    """What a status means for the order's life."""

    NEW = "new"
    IN_WORK = "in_work"
    WAITING = "waiting"
    READY = "ready"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class LineKind(StrEnum):
    """What an order line sells."""

    SERVICE = "service"
    GOOD = "good"
    PART = "part"


class TransitionRule(StrEnum):
    """Checks made when an order enters a status."""

    NEEDS_WORK_LINE = "needs_work_line"
    NEEDS_ZERO_DUE = "needs_zero_due"
    NEEDS_TECHNICIAN = "needs_technician"
    CONSUMES_PARTS = "consumes_parts"  # writes the parts reserved for the order off the stock


class EventKind(StrEnum):
    """Kinds of timeline events written by people."""

    COMMENT = "comment"
    CALL = "call"
    TASK = "task"
    ATTACHMENT = "attachment"


class FieldKind(StrEnum):
    """Types of custom fields."""

    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    CHECKBOX = "checkbox"
