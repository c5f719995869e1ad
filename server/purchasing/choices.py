"""Statuses of supplier orders, each with its label and colour, and the moves a person makes."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class OrderStatus(StrEnum):
    """Where a supplier order is: draft → sent → confirmed → partly received → received, or
    cancelled before anything arrived."""

    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The message id of the status name."""
        return STATUS_STYLE[self][0]

    @property
    def color(self) -> str:
        """The badge colour."""
        return STATUS_STYLE[self][1]

    @property
    def receivable(self) -> bool:
        """Goods may arrive against it."""
        return self in RECEIVABLE


STATUS_STYLE: dict[OrderStatus, tuple[str, str]] = {
    OrderStatus.DRAFT: (N_("Draft"), "#57606a"),
    OrderStatus.SENT: (N_("Sent to the supplier"), "#1f6feb"),
    OrderStatus.CONFIRMED: (N_("Confirmed"), "#8250df"),
    OrderStatus.PARTLY_RECEIVED: (N_("Partly received"), "#bf8700"),
    OrderStatus.RECEIVED: (N_("Received"), "#1a7f37"),
    OrderStatus.CANCELLED: (N_("Cancelled"), "#9e9e9e"),
}

# The steps shown on the card, in order (cancelled is a way out, not a step).
STEPS = (
    OrderStatus.DRAFT,
    OrderStatus.SENT,
    OrderStatus.CONFIRMED,
    OrderStatus.PARTLY_RECEIVED,
    OrderStatus.RECEIVED,
)
RECEIVABLE = (OrderStatus.SENT, OrderStatus.CONFIRMED, OrderStatus.PARTLY_RECEIVED)
OPEN = (OrderStatus.DRAFT, *RECEIVABLE)

# Where a person may move a supplier order by hand; partly received and received come from
# receiving only, and cancelling is refused once anything has arrived.
MOVES: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.DRAFT: (OrderStatus.SENT, OrderStatus.CANCELLED),
    OrderStatus.SENT: (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
    OrderStatus.CONFIRMED: (OrderStatus.CANCELLED,),
    OrderStatus.PARTLY_RECEIVED: (),
    OrderStatus.RECEIVED: (),
    OrderStatus.CANCELLED: (),
}


class ExpertiseSource(StrEnum):
    """Who sends the defective part for expertise."""

    FIELD = "field"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        """The message id of its name."""
        return {
            ExpertiseSource.FIELD: N_("From the field master"),
            ExpertiseSource.PARTNER: N_("From the partner"),
        }[self]


class ExpertiseStatus(StrEnum):
    """Where an expertise stands: requested, then confirmed or not confirmed."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"

    @property
    def label(self) -> str:
        """The message id of its name."""
        return {
            ExpertiseStatus.REQUESTED: N_("Defective part requested"),
            ExpertiseStatus.CONFIRMED: N_("Defect confirmed"),
            ExpertiseStatus.NOT_CONFIRMED: N_("Defect not confirmed"),
        }[self]
