"""Why an act request closed, with its label: one place per choice."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class Closed(StrEnum):
    """How an act request ended."""

    ATTACHED = "attached"  # the act was attached to the order
    CANCELLED = "cancelled"  # the order was cancelled, or the visit failed or was cancelled
    NOT_REQUIRED = "not_required"  # the order type no longer asks for the act


CLOSED_LABELS: dict[str, str] = {
    Closed.ATTACHED: N_("Attached"),
    Closed.CANCELLED: N_("Order cancelled"),
    Closed.NOT_REQUIRED: N_("No longer required"),
}

# The kinds every install starts with: (code, name)
DEFAULT_KINDS: tuple[tuple[str, str], ...] = (
    ("work_completion", N_("Work completion act")),
    ("reclamation", N_("Reclamation act")),
)


def notify_key(visit_id: int, kind_id: int, round_: int) -> str:
    """The idempotency key of a request's reminders (a reopened request reminds anew)."""
    return f"{key_prefix(visit_id, kind_id)}{round_}"


def key_prefix(visit_id: int, kind_id: int) -> str:
    """What every key of one visit's act starts with (the trailing colon keeps act:1:2 from
    matching act:1:23)."""
    return f"act:{visit_id}:{kind_id}:"


# The sweep and an attach hold pg_advisory_xact_lock(LOCK_SPACE, order id) of the orders they
# open or close requests of, taken in id order (no deadlock).
LOCK_SPACE = 1_741_002
ORDER_LOCKS = (
    "SELECT count(*) FROM (SELECT pg_advisory_xact_lock({}, o)"
    " FROM unnest({}::int[]) AS o ORDER BY o) AS t"
)
