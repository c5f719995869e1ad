"""Keeping shipments: creating (fetching a CDEK number's data), changing, moving the status
and refreshing from the carrier. Every change is on the audit log and every status change in
the shipment's history, in the transaction that made it."""

from __future__ import annotations

from typing import Any

import msgspec

from server import clock
from server.actor import Actor
from server.audit import services as audit
from server.deliveries import listing, parties, tracking, validation
from server.deliveries.carriers import has_integration, integration_on
from server.deliveries.carriers.base import CarrierAway, CarrierRefused, Tracked, UnknownToCarrier
from server.deliveries.choices import MOVES, ShipmentStatus, Source
from server.deliveries.numbering import next_number
from server.deliveries.schemas import ShipmentIn, ShipmentOut, ShipmentPatch, StatusIn
from server.deliveries.tables import Shipment, ShipmentEvent
from server.errors import Conflict, InvalidInput
from server.i18n import N_
from server.search import search_text
from server.staff.permissions import Action, Section

OFF = N_("The CDEK integration is off: set SERVIO_CDEK_CLIENT_ID and SERVIO_CDEK_CLIENT_SECRET")


def _search(values: dict[str, Any]) -> str:
    return search_text(
        values.get("number"),
        values.get("tracking_number"),
        values.get("supplier_name"),
        values.get("carrier_name"),
        values.get("from_address"),
        values.get("to_address"),
        values.get("contact"),
    )


async def _event(
    shipment_id: int, actor: Actor, status_from: str, status_to: str, note: str = ""
) -> None:
    await ShipmentEvent(
        shipment=shipment_id,
        at=tracking.now(),
        source=Source.PERSON.value,
        author=actor.employee_id or None,
        status_from=status_from,
        status_to=status_to,
        note=note,
    ).save()


async def _try_fetch(values: dict[str, Any]) -> tuple[Tracked | None, str]:
    """The carrier's data of a new number, or the error to write on the shipment. A number
    the carrier does not know is refused at the field; a carrier away or refusing does not
    stop the shipment from being saved."""
    if not values.get("tracking_number"):
        return None, ""
    try:
        return await tracking.fetch(values["carrier"], values["tracking_number"]), ""
    except (CarrierAway, CarrierRefused) as error:
        return None, tracking.stored_text(error)


async def create(actor: Actor, data: ShipmentIn) -> ShipmentOut:
    """Add a shipment; with a CDEK number and the integration on, the carrier's data fills
    what was left empty (if CDEK does not answer, `carrier_error` says so)."""
    actor.require(Section.DELIVERIES, Action.CREATE)
    raw = msgspec.structs.asdict(data)
    values = validation.clean(raw, raw["carrier"])
    values["order_id"] = await parties.order_of(
        actor, values.pop("order_id"), values.pop("order_number")
    )
    values |= await parties.counterparty(actor, values)
    tracked, error = await _try_fetch(values)
    moment = tracking.now()
    async with Shipment._meta.db.transaction():
        values["number"] = await next_number()
        row = {
            **values,
            "search_text": _search(values),
            "created_by": actor.employee_id or None,
            "carrier_error": error,
            "carrier_checked_at": moment if error else None,
            "created_at": moment,
            "updated_at": moment,
        }
        shipment = Shipment(**row)
        await shipment.save()
        row["id"] = shipment.id
        await _event(shipment.id, actor, "", values["status"])
        await audit.record(actor, "shipment", shipment.id, "create", audit.diff({}, values))
        if tracked is not None:
            locked = await tracking.locked_row(shipment.id)
            assert locked is not None
            await tracking.apply(locked, tracked, actor)
    return await listing.get(actor, int(shipment.id))


def _order_changed(before: dict[str, Any], changes: dict[str, Any]) -> bool:
    return "order_number" in changes or (
        "order_id" in changes and changes["order_id"] != before["order_id"]
    )


async def update(actor: Actor, shipment_id: int, data: ShipmentPatch) -> ShipmentOut:
    """Change a shipment's fields (not its status: see change_status). The order link is
    changed only by one who sees the order it has now and the one it gets."""
    actor.require(Section.DELIVERIES, Action.EDIT)
    before = await listing.shipment_row(actor, shipment_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    carrier = changes.get("carrier", before["carrier"])
    values = validation.clean(changes, carrier)
    if "carrier" in values and "tracking_number" not in values:
        values["tracking_number"] = validation.tracking_number(before["tracking_number"], carrier)
    if _order_changed(before, values):
        if before["order_id"] is not None and not await parties.may_see_order(
            actor, before["order_id"]
        ):
            raise InvalidInput("You cannot change the order of this shipment", field="order_id")
        values["order_id"] = await parties.order_of(
            actor, values.get("order_id"), values.pop("order_number", "")
        )
    values.pop("order_number", None)
    merged = {**before, **values}
    party_keys = ("direction", "client_id", "partner_id", "supplier_name")
    if any(k in values and values[k] != before[k] for k in party_keys):
        if before["client_id"] is not None and not await parties.may_see_client(
            actor, before["client_id"]
        ):
            raise InvalidInput("You cannot change who this shipment is with", field="client_id")
        values |= await parties.counterparty(actor, merged)
    delta = audit.diff({k: before[k] for k in values}, values)
    if not delta:
        return await listing.get(actor, shipment_id)
    moment = tracking.now()
    async with Shipment._meta.db.transaction():
        await Shipment.update(
            {**values, "search_text": _search({**merged, **values}), "updated_at": moment}  # type: ignore[dict-item]
        ).where(Shipment.id == shipment_id)
        await audit.record(actor, "shipment", shipment_id, "update", delta)
    if "tracking_number" in delta and values.get("tracking_number") and integration_on(carrier):
        await _refresh_quietly(actor, shipment_id)
    return await listing.get(actor, shipment_id)


async def _refresh_quietly(actor: Actor, shipment_id: int) -> None:
    """Fetch a changed number's data; a failure is written on the shipment."""
    try:
        await _refresh(actor, shipment_id)
    except (CarrierAway, CarrierRefused, UnknownToCarrier) as error:
        await tracking.record_failure(shipment_id, error)


async def change_status(actor: Actor, shipment_id: int, data: StatusIn) -> ShipmentOut:
    """Move a shipment on by hand, as its status allows; the history says who and when."""
    actor.require(Section.DELIVERIES, Action.EDIT)
    validation.clean({"status": data.status}, "")
    note = validation.text(data.note)
    async with Shipment._meta.db.transaction():
        row = await tracking.locked_row(shipment_id)
        if row is None:
            await listing.shipment_row(actor, shipment_id)  # the 404
            raise AssertionError("unreachable")
        current = ShipmentStatus(row["status"])
        target = ShipmentStatus(data.status)
        if target not in MOVES[current]:
            raise Conflict(
                "A shipment «{current}» cannot become «{target}»",
                field="status",
                current=current.label,
                target=target.label,
            )
        values: dict[str, Any] = {"status": target.value, "updated_at": tracking.now()}
        if target is ShipmentStatus.DELIVERED:
            values["delivered_at"] = tracking.now()
        if target is ShipmentStatus.SENT and row["sent_on"] is None:
            values["sent_on"] = clock.today()
        await Shipment.update(values).where(Shipment.id == shipment_id)  # type: ignore[arg-type]
        await _event(shipment_id, actor, current.value, target.value, note)
        await audit.record(
            actor, "shipment", shipment_id, "status", {"status": [current.value, target.value]}
        )
    return await listing.get(actor, shipment_id)


async def _refresh(actor: Actor, shipment_id: int) -> None:
    row = await listing.shipment_row(actor, shipment_id)
    if not has_integration(row["carrier"]):
        raise InvalidInput("This carrier's shipments are kept by hand", field="carrier")
    if not row["tracking_number"]:
        raise InvalidInput("Enter the CDEK number first", field="tracking_number")
    tracked = await tracking.fetch(row["carrier"], row["tracking_number"])
    if tracked is None:
        raise Conflict(OFF, field="carrier")
    async with Shipment._meta.db.transaction():
        locked = await tracking.locked_row(shipment_id)
        assert locked is not None
        await tracking.apply(locked, tracked, actor)


async def refresh(actor: Actor, shipment_id: int) -> ShipmentOut:
    """Fetch the shipment from its carrier now. CDEK answering an error (502) or not
    answering (503) is written on the shipment and told; nothing else changes."""
    actor.require(Section.DELIVERIES, Action.EDIT)
    try:
        await _refresh(actor, shipment_id)
    except (CarrierAway, CarrierRefused, UnknownToCarrier) as error:
        await tracking.record_failure(shipment_id, error)
        raise
    return await listing.get(actor, shipment_id)
