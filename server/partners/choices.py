"""Kinds of partner organizations, with their labels."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class OrgKind(StrEnum):
    """What a partner is to the center."""

    DEALER = "dealer"  # sells and files requests for its customers
    SERVICE_CENTER = "service_center"  # repairs what the center assigns to it

    @property
    def label(self) -> str:
        """The message id of the kind's name."""
        return KIND_LABELS[self]


KIND_LABELS = {
    OrgKind.DEALER: N_("Dealer"),
    OrgKind.SERVICE_CENTER: N_("Partner service center"),
}
