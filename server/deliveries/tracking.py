"""Fetching shipments from their carrier and writing what it says: the carrier's statuses
into the history (each once), our status where the carrier's means another, and the data a
person left empty (cost, weight, places, addresses, recipient). A failed fetch is written on
the shipment, in its own transaction, so the error stays whatever the caller does next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.config import get_settings
from server.deliveries.carriers import tracker
from server.deliveries.carriers.base import Tracked
from server.deliveries.choices import ShipmentStatus, Source
from server.deliveries.tables import Shipment, ShipmentEvent
from server.errors import DomainError
from server.i18n import gettext

FILLED = ("from_address", "to_address", "contact")


def now() -> dt.datetime:
    """The current moment in UTC."""
    return dt.datetime.now(dt.UTC)


async def fetch(carrier: str, number: str) -> Tracked | None:
    """What the carrier says of the number, or None when its integration is off."""
    found = tracker(carrier)
    return None if found is None else await found.track(number)


def stored_text(error: DomainError) -> str:
    """An error as written on the shipment: in the center's language (no request has one)."""
    language = get_settings().default_language
    return gettext(error.message, language=language, **error.params)[:2000]


async def record_failure(shipment_id: int, error: DomainError) -> str:
    """Write why the refresh failed on the shipment (committed at once); the text written."""
    message = stored_text(error)
    await Shipment.update(
        {Shipment.carrier_error: message, Shipment.carrier_checked_at: now()}
    ).where(Shipment.id == shipment_id)
    return message


def filled(row: dict[str, Any], tracked: Tracked) -> dict[str, Any]:
    """The carrier's data for the fields a person left empty."""
    values: dict[str, Any] = {}
    for key in FILLED:
        if not row.get(key) and getattr(tracked, key):
            values[key] = getattr(tracked, key)
    if row.get("cost") is None and tracked.cost is not None:
        values["cost"] = tracked.cost
    if row.get("weight_kg") is None and tracked.weight_kg is not None:
        values["weight_kg"] = tracked.weight_kg
    if row.get("places", 1) == 1 and tracked.places and tracked.places > 1:
        values["places"] = tracked.places
    return values


async def _recorded(shipment_id: int) -> set[tuple[str, Any]]:
    rows = await ShipmentEvent.select(
        ShipmentEvent.carrier_status_code, ShipmentEvent.carrier_at
    ).where(ShipmentEvent.shipment == shipment_id, ShipmentEvent.source == Source.CARRIER.value)
    return {(r["carrier_status_code"], r["carrier_at"]) for r in rows}


async def apply(row: dict[str, Any], tracked: Tracked, actor: Actor | None) -> dict[str, Any]:
    """Write what the carrier said on the shipment row (locked by the caller, in its
    transaction); the changed values. `actor`: who asked (None: the periodic refresh)."""
    moment = now()
    values: dict[str, Any] = filled(row, tracked)
    latest = tracked.latest
    status = row["status"]
    target = tracked.status.value if tracked.status is not None else status
    if latest is not None:
        values |= {
            "carrier_status": latest.name,
            "carrier_status_code": latest.code,
            "carrier_status_at": latest.at,
        }
    if tracked.uuid and tracked.uuid != row["carrier_uuid"]:
        values["carrier_uuid"] = tracked.uuid
    if target != status:
        values["status"] = target
        if target == ShipmentStatus.DELIVERED.value:
            values["delivered_at"] = tracked.delivered_at or moment
    known = await _recorded(row["id"])
    new = [s for s in tracked.statuses if (s.code, s.at) not in known]
    for index, seen in enumerate(new):
        last = index == len(new) - 1
        await ShipmentEvent(
            shipment=row["id"],
            at=moment,
            source=Source.CARRIER.value,
            author=actor.employee_id if actor is not None and actor.employee_id else None,
            status_from=status if last and target != status else "",
            status_to=target if last and target != status else "",
            carrier_status=seen.name,
            carrier_status_code=seen.code,
            carrier_at=seen.at,
            city=seen.city,
        ).save()
    if target != status and not new:  # our status moved though no new carrier status came
        await ShipmentEvent(
            shipment=row["id"],
            at=moment,
            source=Source.CARRIER.value,
            status_from=status,
            status_to=target,
            carrier_status=latest.name if latest else "",
        ).save()
    changes = audit.diff({k: row.get(k) for k in values}, values)
    await Shipment.update(
        {**values, "carrier_error": "", "carrier_checked_at": moment, "updated_at": moment}  # type: ignore[dict-item]
    ).where(Shipment.id == row["id"])
    if changes:
        await audit.record(actor, "shipment", row["id"], "carrier_refresh", changes)
    return values


async def locked_row(shipment_id: int) -> dict[str, Any] | None:
    """The shipment's row under a row lock (in the caller's transaction)."""
    await Shipment.raw("SELECT id FROM delivery_shipment WHERE id = {} FOR UPDATE", shipment_id)
    row: dict[str, Any] | None = await Shipment.select().where(Shipment.id == shipment_id).first()
    return row
