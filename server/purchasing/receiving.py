"""Receiving goods against a supplier order: one stock receipt of what arrived, posted in the
transaction that writes the lines' received quantities and the order's new status, so nothing
is half-posted. Then the repairs whose parts are now all held move on through the orders
domain (its workflow, audit, timeline and the customer's notifications). That is a consequence
of the goods arriving, not a choice of the one receiving them: a repair the receiver may read
is moved as the receiver (their name on its timeline), any other as the system, and is not
named to the receiver.

The stock posting itself holds what arrived for the reservations that wait for it (oldest
first): a repair's waiting part line becomes held there, not here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.orders import api as orders
from server.purchasing import listing, suppliers
from server.purchasing.choices import OPEN, OrderStatus
from server.purchasing.schemas import ReceivedOut, ReceiveIn
from server.purchasing.services import event
from server.purchasing.tables import SupplierOrder, SupplierOrderLine, SupplierReceipt
from server.staff.permissions import Action, Section
from server.staff.services import system_actor
from server.stock import api as stock


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


async def _receipt_lines(
    data: ReceiveIn, lines: dict[int, dict[str, Any]]
) -> list[tuple[dict[str, Any], stock.ReceiptLine]]:
    """(the supplier order line, what arrived of it) for each given line, checked."""
    items = await stock.item_briefs(ln["item_id"] for ln in lines.values())
    seen: set[int] = set()
    out = []
    for index, given in enumerate(data.lines):
        field = f"lines.{index}"
        line = lines.get(given.line_id)
        if line is None:
            raise InvalidInput(
                "No line with id {id} in this order", field=f"{field}.line_id", id=given.line_id
            )
        if given.line_id in seen:
            raise InvalidInput("This line is already given above", field=f"{field}.line_id")
        seen.add(given.line_id)
        item = items[line["item_id"]]
        quantity = stock.check_quantity(item, given.quantity, f"{field}.quantity")
        remaining = line["quantity"] - line["received"]
        if quantity > remaining:
            raise InvalidInput(
                "Only {remaining} {unit} of «{item}» are still expected",
                field=f"{field}.quantity",
                remaining=_number(remaining),
                unit=item.unit,
                item=item.name,
            )
        arrived = stock.ReceiptLine(
            item.id, quantity, line["unit_price"], field, list(given.serials)
        )
        out.append((line, arrived))
    return out


async def _post(
    actor: Actor, order_id: int, data: ReceiveIn
) -> tuple[stock.PostedReceipt, set[int]]:
    """Post the receipt and write the order's new state, all in one transaction; (the receipt,
    the repair orders its lines are for)."""
    async with SupplierOrder._meta.db.transaction():
        row = await listing.order_row(actor, order_id, for_update=True)
        status = OrderStatus(row["status"])
        if not status.receivable:
            raise Conflict(
                "Goods are received against a sent or confirmed supplier order, not «{status}»",
                field="status",
                status=status.label,
            )
        lines = {ln["id"]: ln for ln in (await listing.lines_of([order_id]))[order_id]}
        arrived = await _receipt_lines(data, lines)
        supplier = (await suppliers.names({row["supplier"]})).get(row["supplier"], "")
        posted = await stock.post_receipt(
            actor,
            row["warehouse_id"],
            supplier,
            row["number"],
            [a for _, a in arrived],
            supplier_document=suppliers.one_line(data.supplier_document),
        )
        for line, got in arrived:
            await SupplierOrderLine.update(
                {SupplierOrderLine.received: line["received"] + got.quantity}
            ).where(SupplierOrderLine.id == line["id"])
            line["received"] += got.quantity
        done = all(ln["received"] >= ln["quantity"] for ln in lines.values())
        target = OrderStatus.RECEIVED if done else OrderStatus.PARTLY_RECEIVED
        now = dt.datetime.now(dt.UTC)
        await SupplierOrder.update(
            {SupplierOrder.status: target.value, SupplierOrder.updated_at: now}
        ).where(SupplierOrder.id == order_id)
        await SupplierReceipt(
            order=order_id,
            document_id=posted.document_id,
            document_number=posted.number,
            supplier_document=suppliers.one_line(data.supplier_document),
            author=actor.employee_id or None,
            at=now,
        ).save()
        if target is not status:
            await event(order_id, actor, status.value, target.value, posted.number)
        changes: dict[str, list[Any]] = {
            "status": [status.value, target.value],
            "receipt": [None, posted.number],
        }
        await audit.record(actor, "supplier_order", order_id, "receive", changes)
    repairs = {ln["repair_order_id"] for ln, _ in arrived if ln["repair_order_id"] is not None}
    return posted, repairs


async def still_waiting(repair_order_ids: set[int]) -> set[int]:
    """Repair order lines on open supplier orders that have not all arrived yet."""
    if not repair_order_ids:
        return set()
    rows = await SupplierOrderLine.select(SupplierOrderLine.repair_line_id).where(
        SupplierOrderLine.repair_order_id.is_in(sorted(repair_order_ids)),
        SupplierOrderLine.order._.status.is_in([s.value for s in OPEN]),
        SupplierOrderLine.received < SupplierOrderLine.quantity,
    )
    return {r["repair_line_id"] for r in rows if r["repair_line_id"] is not None}


async def move_repairs_on(actor: Actor, order_ids: set[int]) -> tuple[list[str], list[str]]:
    """Move on each of the repairs that waited for parts and has them all now, whoever may read
    them; (numbers of those moved, «number: why» of those left) of the repairs the caller may
    read. One out of the caller's scope, or whose next status the caller's role may not set,
    is moved by the system (the one out of scope left unnamed): the parts' arrival moves the
    repair, not the receiver's role."""
    moved: list[str] = []
    left: list[str] = []
    waiting = await still_waiting(order_ids)
    readable = await orders.orders_in_scope(actor, order_ids)
    system = system_actor()
    for order_id in sorted(order_ids):
        mover = actor if order_id in readable else system
        try:
            result = await orders.resume_when_parts_arrived(mover, order_id, waiting)
            if result is not None and not result.moved and mover is not system:
                result = await orders.resume_when_parts_arrived(system, order_id, waiting)
        except NotFound:
            continue
        if result is None or order_id not in readable:
            continue
        if result.moved:
            moved.append(result.order_number)
        else:
            left.append(f"{result.order_number}: {result.reason}")
    return moved, left


async def receive(actor: Actor, order_id: int, data: ReceiveIn) -> ReceivedOut:
    """Receive what arrived against the supplier order (purchasing:edit): one stock receipt at
    the lines' purchase prices, refused whole if any line is wrong; then the repairs it
    completes move on."""
    actor.require(Section.PURCHASING, Action.EDIT)
    posted, repairs = await _post(actor, order_id, data)
    moved, left = await move_repairs_on(actor, posted.covered_orders | repairs)
    return ReceivedOut(
        order=await listing.get(actor, order_id),
        document_id=posted.document_id,
        document_number=posted.number,
        repairs_moved=moved,
        repairs_left=left,
    )
