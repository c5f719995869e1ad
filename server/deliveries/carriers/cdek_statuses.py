"""CDEK's status codes and the shipment status each means here.

Registered but not handed over (CREATED, ACCEPTED) and refused orders (INVALID, REMOVED)
leave our status as it is: only the carrier's text changes. A code this list does not know
also leaves it, so a new code of CDEK never moves a shipment somewhere wrong.
"""

from __future__ import annotations

from server.deliveries.choices import ShipmentStatus

IN_TRANSIT = frozenset(
    {
        "RECEIVED_AT_SHIPMENT_WAREHOUSE",
        "READY_TO_SHIP_AT_SENDING_OFFICE",
        "READY_FOR_SHIPMENT_IN_SENDER_CITY",
        "RETURNED_TO_SENDER_CITY_WAREHOUSE",
        "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY",
        "SENT_TO_TRANSIT_CITY",
        "ACCEPTED_IN_TRANSIT_CITY",
        "ACCEPTED_AT_TRANSIT_WAREHOUSE",
        "RETURNED_TO_TRANSIT_WAREHOUSE",
        "READY_TO_SHIP_IN_TRANSIT_OFFICE",
        "READY_FOR_SHIPMENT_IN_TRANSIT_CITY",
        "TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY",
        "SENT_TO_SENDER_CITY",
        "SENT_TO_RECIPIENT_CITY",
        "ACCEPTED_IN_SENDER_CITY",
        "ACCEPTED_IN_RECIPIENT_CITY",
        "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE",
        "ACCEPTED_AT_PICK_UP_POINT",
        "TAKEN_BY_COURIER",
        "RETURNED_TO_RECIPIENT_CITY_WAREHOUSE",
        "POSTOMAT_POSTED",
        "POSTOMAT_SEIZED",
        "IN_CUSTOMS_INTERNATIONAL",
        "SHIPPED_TO_DESTINATION",
        "PASSED_TO_TRANSIT_CARRIER",
        "IN_CUSTOMS_LOCAL",
        "CUSTOMS_COMPLETE",
    }
)
DELIVERED = frozenset({"DELIVERED", "POSTOMAT_RECEIVED"})
RETURNED = frozenset({"NOT_DELIVERED"})  # «Не вручен»: CDEK takes it back to the sender


def status_of(code: str) -> ShipmentStatus | None:
    """Our status for a CDEK status code, or None to leave ours as it is."""
    if code in DELIVERED:
        return ShipmentStatus.DELIVERED
    if code in RETURNED:
        return ShipmentStatus.RETURNED
    if code in IN_TRANSIT:
        return ShipmentStatus.IN_TRANSIT
    return None
