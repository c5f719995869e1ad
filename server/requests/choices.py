"""Statuses, channels and timeline kinds of requests, each with its label (and colour)."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class RequestStatus(StrEnum):
    """Where a request is in its lifecycle."""

    NEW = "new"
    IN_REVIEW = "in_review"
    RETURNED = "returned"  # back with the requester for rework
    ACCEPTED = "accepted"
    CONVERTED = "converted"  # an order was made of it
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        """The message id of the status name."""
        return STATUS_STYLE[self][0]

    @property
    def color(self) -> str:
        """The badge colour."""
        return STATUS_STYLE[self][1]


STATUS_STYLE: dict[RequestStatus, tuple[str, str]] = {
    RequestStatus.NEW: (N_("New"), "#1f6feb"),
    RequestStatus.IN_REVIEW: (N_("In review"), "#8250df"),
    RequestStatus.RETURNED: (N_("Returned for rework"), "#bf8700"),
    RequestStatus.ACCEPTED: (N_("Accepted"), "#1a7f37"),
    RequestStatus.CONVERTED: (N_("Order made"), "#57606a"),
    RequestStatus.REJECTED: (N_("Rejected"), "#cf222e"),
}

# Statuses still waiting for someone at the center (the workload, the navigation badge).
OPEN = (RequestStatus.NEW, RequestStatus.IN_REVIEW, RequestStatus.ACCEPTED)
# From which status each action may be taken.
TAKE_FROM = (RequestStatus.NEW,)
RETURN_FROM = (RequestStatus.NEW, RequestStatus.IN_REVIEW)
ACCEPT_FROM = (RequestStatus.NEW, RequestStatus.IN_REVIEW)
REJECT_FROM = (RequestStatus.NEW, RequestStatus.IN_REVIEW, RequestStatus.RETURNED)
CONVERT_FROM = (RequestStatus.ACCEPTED,)


class Channel(StrEnum):
    """How a request came in."""

    WEBSITE = "website"
    API = "api"
    PHONE = "phone"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        """The message id of the channel name."""
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.WEBSITE: N_("Website form"),
    Channel.API: N_("API"),
    Channel.PHONE: N_("Phone call"),
    Channel.PARTNER: N_("Partner"),
}


class EventKind(StrEnum):
    """Kinds of steps on a request's timeline."""

    CREATED = "created"
    ASSIGNED = "assigned"
    TAKEN = "taken"
    RETURNED = "returned"
    COMPLETED = "completed"  # the requester completed it after a return
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CONVERTED = "converted"
    PHOTO = "photo"

    @property
    def label(self) -> str:
        """The message id of the step."""
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.CREATED: N_("Request received"),
    EventKind.ASSIGNED: N_("Responsibles assigned"),
    EventKind.TAKEN: N_("Taken into review"),
    EventKind.RETURNED: N_("Returned for rework"),
    EventKind.COMPLETED: N_("Completed by the requester"),
    EventKind.ACCEPTED: N_("Accepted"),
    EventKind.REJECTED: N_("Rejected"),
    EventKind.CONVERTED: N_("Order made"),
    EventKind.PHOTO: N_("Photo added"),
}
