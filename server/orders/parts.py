"""An order's part lines as purchasing reads them, and the moves of an order when its parts
are ordered (to «Waiting for parts») or have all arrived (on to what its workflow allows next).

Moves go through workflow.change_status, so the role, the entry rules, the audit log, the
timeline and the customer's notifications are those of any other status change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.errors import DomainError, NotFound
from server.i18n import gettext
from server.notify import api as notify
from server.notify import events
from server.orders import access, workflow
from server.orders.choices import LineKind, StatusGroup
from server.orders.serialize import line_stock, lines_of
from server.staff.permissions import Action, Section

WAITING_PARTS = "waiting_parts"
ZERO = Decimal("0")


@dataclass(frozen=True)
class PartLine:
    """A part line of an order in the caller's scope, with what it still waits for in stock
    (`waiting` None: the line is not taken from a warehouse)."""

    order_id: int
    order_number: str
    line_id: int
    name: str
    price_item_id: int | None
    quantity: Decimal
    warehouse_id: int | None
    waiting: Decimal | None


@dataclass(frozen=True)
class StatusMove:
    """What came of moving an order: moved or not, its status now, and why not."""

    order_number: str
    moved: bool
    status_name: str
    target_name: str = ""
    reason: str = ""


async def part_line(actor: Actor, order_id: int, line_id: int) -> PartLine:
    """The part line of the order, or 404 (the order out of scope, no such part line)."""
    actor.require(Section.ORDERS, Action.VIEW)
    row = await access.order_row(actor, order_id)
    lines = await lines_of(order_id)
    line = next((ln for ln in lines if ln["id"] == line_id), None)
    if line is None or line["kind"] != LineKind.PART.value:
        raise NotFound("No part line with id {id}", field="line_id", id=line_id)
    stock = await line_stock(actor, order_id, [line])
    held = stock.get(line_id)
    waiting = None
    if line["warehouse_id"] is not None:
        waiting = held.waiting if held is not None else ZERO
    return PartLine(
        order_id=order_id,
        order_number=row["number"],
        line_id=line_id,
        name=line["name"],
        price_item_id=line["price_item"],
        quantity=line["quantity"],
        warehouse_id=line["warehouse_id"],
        waiting=waiting,
    )


async def _move(actor: Actor, row: dict[str, Any], target: dict[str, Any]) -> StatusMove:
    number, name = row["number"], gettext(target["name"])
    try:
        await workflow.change_status(actor, row["id"], target["code"])
    except DomainError as error:
        return StatusMove(number, False, gettext(row["status_name"]), name, error.text())
    return StatusMove(number, True, name, name)


async def move_to_waiting_parts(actor: Actor, order_id: int) -> StatusMove:
    """Move the order to «Waiting for parts» when its workflow allows that from where it is
    for the actor; otherwise it stays, and the answer says why."""
    row = await access.order_row(actor, order_id)
    current = gettext(row["status_name"])
    if row["status_code"] == WAITING_PARTS:
        return StatusMove(row["number"], False, current, current)
    moves = await workflow.next_statuses(actor, row)
    target = next((s for s in moves if s["code"] == WAITING_PARTS), None)
    if target is None:
        reason = gettext("its workflow does not go there now")
        return StatusMove(row["number"], False, current, reason=reason)
    return await _move(actor, row, target)


async def resume_when_parts_arrived(
    actor: Actor, order_id: int, waiting_elsewhere: set[int]
) -> StatusMove | None:
    """Move an order that waits for parts on to the next status of its workflow (the first
    one in work: «In repair» on the bench, «Visit scheduled» in the field) once every part
    line is held; `waiting_elsewhere` names lines that still wait for a supplier (those not
    taken from a warehouse count). None when the order does not wait for parts or still waits
    for some."""
    row = await access.order_row(actor, order_id)
    if row["status_code"] != WAITING_PARTS:
        return None
    lines = await lines_of(order_id)
    parts = [ln for ln in lines if ln["kind"] == LineKind.PART.value]
    if any(ln["id"] in waiting_elsewhere and ln["warehouse_id"] is None for ln in parts):
        return None
    stock = await line_stock(actor, order_id, parts)
    if any(s.waiting > 0 for s in stock.values()):
        return None
    current = gettext(row["status_name"])
    moves = [
        s for s in await workflow.next_statuses(actor, row) if s["group"] == StatusGroup.IN_WORK
    ]
    if not moves:
        reason = gettext("its workflow does not go on from here")
        return StatusMove(row["number"], False, current, reason=reason)
    moved = await _move(actor, row, moves[0])
    if moved.moved:  # the client hears that the parts came (the shipped rule mails them)
        await notify.emit(
            events.PARTS_ARRIVED,
            key=f"order:{order_id}:parts_arrived:{row['version'] + 1}",
            order_id=order_id,
        )
    return moved
