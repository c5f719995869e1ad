"""Directions, carriers, statuses and history sources of shipments, each with its label
(and a status its colour), in one place per choice."""

from __future__ import annotations

from enum import StrEnum

from server.i18n import N_


class Direction(StrEnum):
    """Where a shipment goes: to or from a client, a partner or a supplier."""

    TO_CLIENT = "to_client"
    FROM_CLIENT = "from_client"
    TO_PARTNER = "to_partner"
    FROM_PARTNER = "from_partner"
    TO_SUPPLIER = "to_supplier"
    FROM_SUPPLIER = "from_supplier"

    @property
    def label(self) -> str:
        """The message id of the direction's name."""
        return DIRECTION_LABELS[self]

    @property
    def counterparty(self) -> str:
        """Who is at the other end: client, partner or supplier."""
        return self.value.split("_", 1)[1]


DIRECTION_LABELS = {
    Direction.TO_CLIENT: N_("To a client"),
    Direction.FROM_CLIENT: N_("From a client"),
    Direction.TO_PARTNER: N_("To a partner"),
    Direction.FROM_PARTNER: N_("From a partner"),
    Direction.TO_SUPPLIER: N_("To a supplier"),
    Direction.FROM_SUPPLIER: N_("From a supplier"),
}


class Carrier(StrEnum):
    """Who carries it."""

    CDEK = "cdek"
    OWN_COURIER = "own_courier"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The message id of the carrier's name."""
        return CARRIER_LABELS[self]


CARRIER_LABELS = {
    Carrier.CDEK: N_("CDEK"),
    Carrier.OWN_COURIER: N_("Own courier"),
    Carrier.OTHER: N_("Other carrier"),
}


class ShipmentStatus(StrEnum):
    """Where a shipment is: draft → sent → in transit → delivered / returned / lost."""

    DRAFT = "draft"
    SENT = "sent"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    RETURNED = "returned"
    LOST = "lost"

    @property
    def label(self) -> str:
        """The message id of the status name."""
        return STATUS_STYLE[self][0]

    @property
    def color(self) -> str:
        """The badge colour."""
        return STATUS_STYLE[self][1]

    @property
    def is_open(self) -> bool:
        """Still on its way (the carrier refresh looks at it)."""
        return self in OPEN


STATUS_STYLE: dict[ShipmentStatus, tuple[str, str]] = {
    ShipmentStatus.DRAFT: (N_("Draft"), "#57606a"),
    ShipmentStatus.SENT: (N_("Shipped"), "#1f6feb"),
    ShipmentStatus.IN_TRANSIT: (N_("In transit"), "#8250df"),
    ShipmentStatus.DELIVERED: (N_("Delivered"), "#1a7f37"),
    ShipmentStatus.RETURNED: (N_("Returned"), "#bf8700"),
    ShipmentStatus.LOST: (N_("Lost"), "#cf222e"),
}

OPEN = (ShipmentStatus.DRAFT, ShipmentStatus.SENT, ShipmentStatus.IN_TRANSIT)
FINAL = (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED, ShipmentStatus.LOST)

# Where a person may move a shipment from each status. A lost one may turn up; a delivered or
# returned one is done (a mistake is put right by a new shipment, the history keeps both).
MOVES: dict[ShipmentStatus, tuple[ShipmentStatus, ...]] = {
    ShipmentStatus.DRAFT: (ShipmentStatus.SENT, ShipmentStatus.IN_TRANSIT),
    ShipmentStatus.SENT: (ShipmentStatus.IN_TRANSIT, *FINAL),
    ShipmentStatus.IN_TRANSIT: FINAL,
    ShipmentStatus.DELIVERED: (),
    ShipmentStatus.RETURNED: (),
    ShipmentStatus.LOST: (ShipmentStatus.IN_TRANSIT, ShipmentStatus.DELIVERED),
}


class Source(StrEnum):
    """Who made a change in a shipment's history."""

    PERSON = "person"
    CARRIER = "carrier"  # the carrier's refresh (by hand or the periodic job)


SOURCE_LABELS = {Source.PERSON: N_("Employee"), Source.CARRIER: N_("Carrier refresh")}
