"""«Order» from a repair's card: the part a repair line waits for goes onto the open draft
supplier order of its supplier and warehouse (a new draft when there is none), linked to the
line, and the repair moves to «Waiting for parts» where its workflow allows that.

The supplier is the one the item was last ordered from, unless the person chooses another;
the price is the last one paid for the item (to that supplier first), to be checked in the
draft before it is sent.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput
from server.i18n import gettext
from server.orders import api as orders
from server.purchasing import listing
from server.purchasing.choices import OPEN, OrderStatus
from server.purchasing.schemas import OrderedForLine, OrderForLineIn
from server.purchasing.services import active_supplier, insert_lines, new_draft
from server.purchasing.tables import Supplier, SupplierOrder, SupplierOrderLine
from server.staff.permissions import Action, Section
from server.stock import api as stock

ZERO = Decimal("0")
QUANTUM = Decimal("0.001")


async def ordered_for_lines(repair_line_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """{repair order line: (what open supplier orders still bring for it, what was ordered for
    it in all but cancelled ones)} (one query)."""
    if not repair_line_ids:
        return {}
    rows = await SupplierOrderLine.select(
        SupplierOrderLine.repair_line_id,
        SupplierOrderLine.quantity,
        SupplierOrderLine.received,
        SupplierOrderLine.order._.status.as_alias("status"),
    ).where(
        SupplierOrderLine.repair_line_id.is_in(sorted(set(repair_line_ids))),
        SupplierOrderLine.order._.status != OrderStatus.CANCELLED.value,
    )
    found: dict[int, tuple[Decimal, Decimal]] = {}
    for r in rows:
        coming, ordered = found.get(r["repair_line_id"], (ZERO, ZERO))
        if r["status"] in OPEN:
            coming += r["quantity"] - r["received"]
        found[r["repair_line_id"]] = (coming, ordered + r["quantity"])
    return found


def still_needed(
    waiting: Decimal | None, quantity: Decimal, brought: tuple[Decimal, Decimal]
) -> Decimal:
    """What a repair's part line still needs ordered: what it waits for in stock beyond what
    open supplier orders bring, or (a line not from stock) its quantity beyond all ordered."""
    coming, ordered = brought
    if waiting is not None:
        return waiting - coming
    return quantity - ordered


async def last_suppliers(item_ids: list[int]) -> dict[int, int]:
    """{stock item: the active supplier it was last ordered from} (one query)."""
    if not item_ids:
        return {}
    rows = await SupplierOrderLine.raw(
        "SELECT DISTINCT ON (l.item_id) l.item_id, o.supplier FROM purchasing_order_line l "
        'JOIN purchasing_order o ON o.id = l."order" '
        "JOIN purchasing_supplier s ON s.id = o.supplier AND s.is_active "
        "WHERE l.item_id = ANY({}) AND o.status <> 'cancelled' "
        "ORDER BY l.item_id, l.id DESC",
        sorted(set(item_ids)),
    )
    return {r["item_id"]: r["supplier"] for r in rows}


async def _last_price(item_id: int, supplier_id: int) -> Decimal:
    rows = await SupplierOrderLine.raw(
        "SELECT l.unit_price FROM purchasing_order_line l "
        'JOIN purchasing_order o ON o.id = l."order" '
        "WHERE l.item_id = {} AND o.status <> 'cancelled' "
        "ORDER BY (o.supplier = {}) DESC, l.id DESC LIMIT 1",
        item_id,
        supplier_id,
    )
    return rows[0]["unit_price"] if rows else ZERO


async def _needed(part: orders.PartLine) -> Decimal:
    if part.waiting is not None and part.waiting <= 0:
        raise Conflict("This part is not waiting for stock", field="line_id")
    brought = (await ordered_for_lines([part.line_id])).get(part.line_id, (ZERO, ZERO))
    needed = still_needed(part.waiting, part.quantity, brought)
    if needed <= 0:
        raise Conflict("This part is already ordered from a supplier", field="line_id")
    return needed


async def _open_draft(supplier_id: int, warehouse_id: int) -> int | None:
    """The newest draft of the supplier for the warehouse, locked; None when there is none."""
    await Supplier.raw("SELECT id FROM purchasing_supplier WHERE id = {} FOR UPDATE", supplier_id)
    rows = await SupplierOrder.raw(
        "SELECT id FROM purchasing_order WHERE supplier = {} AND warehouse_id = {} "
        "AND status = {} ORDER BY id DESC LIMIT 1 FOR UPDATE",
        supplier_id,
        warehouse_id,
        OrderStatus.DRAFT.value,
    )
    return int(rows[0]["id"]) if rows else None


async def _supplier(actor: Actor, chosen: int | None, item: stock.ItemBrief) -> dict[str, Any]:
    if chosen is None:
        chosen = (await last_suppliers([item.id])).get(item.id)
    if chosen is None:
        raise InvalidInput("Choose the supplier", field="supplier_id")
    return await active_supplier(actor, chosen)


async def order_for_line(actor: Actor, data: OrderForLineIn) -> OrderedForLine:
    """Put what the repair's part line still needs onto a draft supplier order
    (purchasing:create), then move the repair to «Waiting for parts» if its workflow allows."""
    actor.require(Section.PURCHASING, Action.CREATE)
    part = await orders.part_line(actor, data.order_id, data.line_id)
    needed = await _needed(part)
    item = (await stock.items_of_prices([part.price_item_id or 0])).get(part.price_item_id or 0)
    if item is None:
        raise InvalidInput(
            "This part is not kept in stock: add it as a stock item", field="line_id"
        )
    if item.whole:
        needed = needed.to_integral_value(rounding=ROUND_CEILING).quantize(QUANTUM)
    warehouse_id = part.warehouse_id or data.warehouse_id
    if warehouse_id is None:
        raise InvalidInput("Choose the warehouse to receive into", field="warehouse_id")
    await stock.receiving_warehouse(actor, warehouse_id, "warehouse_id")
    supplier = await _supplier(actor, data.supplier_id, item)
    price = await _last_price(item.id, supplier["id"])
    async with SupplierOrder._meta.db.transaction():
        draft = await _open_draft(supplier["id"], warehouse_id)
        fresh = draft is None
        if draft is None:
            draft = await new_draft(actor, supplier, warehouse_id)
        line = {
            "item_id": item.id,
            "quantity": needed,
            "unit_price": price,
            "repair_order_id": part.order_id,
            "repair_line_id": part.line_id,
        }
        await insert_lines(draft, [line])
        await SupplierOrder.update({SupplierOrder.updated_at: dt.datetime.now(dt.UTC)}).where(
            SupplierOrder.id == draft
        )
        changes: dict[str, list[Any]] = {"item_id": [None, item.id], "quantity": [None, needed]}
        await audit.record(actor, "supplier_order", draft, "add_line", changes)
    row = await listing.order_row(actor, draft)
    move = await orders.move_to_waiting_parts(actor, part.order_id)
    return OrderedForLine(
        supplier_order_id=draft,
        supplier_order_number=row["number"],
        new_draft=fresh,
        quantity=needed,
        repair_moved=move.moved,
        repair_status=move.status_name,
        message=_message(row["number"], move),
    )


def _message(number: str, move: orders.StatusMove) -> str:
    if move.moved:
        return gettext(
            "Ordered in {number}; the repair is now «{status}»", number=number,
            status=move.status_name,
        )  # fmt: skip
    if not move.reason:
        return gettext("Ordered in {number}", number=number)
    return gettext(
        "Ordered in {number}; the repair stays «{status}»: {reason}", number=number,
        status=move.status_name, reason=move.reason,
    )  # fmt: skip
