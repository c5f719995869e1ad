"""Expertise of defective parts (экспертиза брака): before the replacement of a part is ordered,
the technical expert asks the field master or the partner for the defective one (its shipment,
if one is made, is tracked in deliveries) and records whether the defect is confirmed. While
that is open the supplier order is not sent; not confirmed takes the line off the draft.
Every step is on the order's history and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.deliveries import api as deliveries
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import N_, gettext
from server.purchasing import listing, suppliers
from server.purchasing.choices import ExpertiseSource, ExpertiseStatus, OrderStatus
from server.purchasing.schemas import (
    ExpertiseIn,
    ExpertisePatch,
    ExpertiseResultIn,
    SupplierOrderOut,
)
from server.purchasing.services import event
from server.purchasing.tables import PartExpertise, SupplierOrder, SupplierOrderLine
from server.staff.permissions import Action, Section
from server.stock import api as stock


async def _shipment(actor: Actor, shipment_id: int | None) -> int | None:
    """The shipment id if the caller sees that shipment; a field error otherwise."""
    if shipment_id is None:
        return None
    if shipment_id not in await deliveries.shipments(actor, {shipment_id}):
        raise InvalidInput("No shipment with id {id}", field="shipment_id", id=shipment_id)
    return shipment_id


async def _draft(actor: Actor, order_id: int) -> dict[str, Any]:
    """The supplier order, locked, if it is still a draft."""
    row = await listing.order_row(actor, order_id, for_update=True)
    if row["status"] != OrderStatus.DRAFT.value:
        raise Conflict(
            "The defective part is examined before the order is sent; this one is «{status}»",
            field="status",
            status=gettext(OrderStatus(row["status"]).label),
        )
    return row


async def request(actor: Actor, order_id: int, line_id: int, data: ExpertiseIn) -> SupplierOrderOut:
    """Ask for a line's defective part for expertise (purchasing:create, the expert)."""
    actor.require(Section.PURCHASING, Action.CREATE)
    if data.source not in ExpertiseSource._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field="source")
    shipment_id = await _shipment(actor, data.shipment_id)
    async with SupplierOrder._meta.db.transaction():
        await _draft(actor, order_id)
        line = await (
            SupplierOrderLine.select()
            .where(SupplierOrderLine.id == line_id, SupplierOrderLine.order == order_id)
            .first()
        )
        if line is None:
            raise NotFound("No line with id {id} in this order", field="line_id", id=line_id)
        if await PartExpertise.exists().where(PartExpertise.line_id == line_id):
            raise Conflict("This line's defective part is already asked for", field="line_id")
        expertise = PartExpertise(
            order=order_id,
            line_id=line_id,
            item_id=line["item_id"],
            repair_order_id=line["repair_order_id"],
            source=data.source,
            status=ExpertiseStatus.REQUESTED.value,
            shipment_id=shipment_id,
            note=suppliers.text(data.note),
            requested_by=actor.employee_id or None,
            requested_at=dt.datetime.now(dt.UTC),
        )
        await expertise.save()
        item = (await stock.item_briefs([line["item_id"]])).get(line["item_id"])
        await event(order_id, actor, "", "", _said("Defective part requested", item, data.note))
        await audit.record(
            actor,
            "supplier_order",
            order_id,
            "expertise",
            {"line": [None, line_id], "expertise": [None, ExpertiseStatus.REQUESTED.value]},
        )
    return await listing.get(actor, order_id)


def _said(what: str, item: Any, note: str) -> str:
    """The history's note: what happened, to which part, and the expert's words."""
    text = f"{gettext(what)}: {item.name if item else ''}"
    return f"{text}. {suppliers.text(note)}" if note.strip() else text


async def _expertise(expertise_id: int) -> dict[str, Any]:
    row = await PartExpertise.select().where(PartExpertise.id == expertise_id).first()
    if row is None:
        raise NotFound("No expertise with id {id}", id=expertise_id)
    return dict(row)


async def order_of(actor: Actor, expertise_id: int) -> int:
    """The supplier order an expertise belongs to (the caller may view purchasing)."""
    actor.require(Section.PURCHASING, Action.VIEW)
    return int((await _expertise(expertise_id))["order"])


async def attach_shipment(
    actor: Actor, expertise_id: int, data: ExpertisePatch
) -> SupplierOrderOut:
    """Name (or clear) the shipment the defective part comes in."""
    actor.require(Section.PURCHASING, Action.CREATE)
    row = await _expertise(expertise_id)
    await listing.order_row(actor, row["order"])
    shipment_id = await _shipment(actor, data.shipment_id)
    await PartExpertise.update({PartExpertise.shipment_id: shipment_id}).where(
        PartExpertise.id == expertise_id
    )
    await audit.record(
        actor,
        "supplier_order",
        row["order"],
        "expertise",
        {"shipment": [row["shipment_id"], shipment_id]},
    )
    return await listing.get(actor, row["order"])


async def decide(actor: Actor, expertise_id: int, data: ExpertiseResultIn) -> SupplierOrderOut:
    """Record the result: confirmed lets the order go; not confirmed takes the line off."""
    actor.require(Section.PURCHASING, Action.CREATE)
    results = (ExpertiseStatus.CONFIRMED.value, ExpertiseStatus.NOT_CONFIRMED.value)
    if data.result not in results:
        raise InvalidInput("Choose one of the offered values", field="result")
    row = await _expertise(expertise_id)
    order_id = row["order"]
    async with SupplierOrder._meta.db.transaction():
        await _draft(actor, order_id)
        fresh = await _expertise(expertise_id)
        if fresh["status"] != ExpertiseStatus.REQUESTED.value:
            raise Conflict("The result is recorded already", field="result")
        await PartExpertise.update(
            {
                PartExpertise.status: data.result,
                PartExpertise.result_note: suppliers.text(data.note),
                PartExpertise.decided_by: actor.employee_id or None,
                PartExpertise.decided_at: dt.datetime.now(dt.UTC),
            }
        ).where(PartExpertise.id == expertise_id)
        item = (await stock.item_briefs([row["item_id"]])).get(row["item_id"])
        confirmed = data.result == ExpertiseStatus.CONFIRMED.value
        if not confirmed and fresh["line_id"] is not None:
            await SupplierOrderLine.delete().where(SupplierOrderLine.id == fresh["line_id"])
            await PartExpertise.update({PartExpertise.line_id: None}).where(
                PartExpertise.id == expertise_id
            )
        said = (
            N_("Defect confirmed")
            if confirmed
            else N_("Defect not confirmed: the line is taken off")
        )
        await event(order_id, actor, "", "", _said(said, item, data.note))
        await audit.record(
            actor,
            "supplier_order",
            order_id,
            "expertise",
            {"line": [fresh["line_id"], None if not confirmed else fresh["line_id"]],
             "expertise": [ExpertiseStatus.REQUESTED.value, data.result]},
        )  # fmt: skip
    return await listing.get(actor, order_id)
