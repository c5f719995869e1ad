"""Keeping supplier orders: creating a draft, changing it (its supplier, warehouse and lines
only while a draft), and moving the status by hand. Every change is on the audit log and every
status change in the order's history, in the transaction that made it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import N_
from server.orders import api as orders
from server.purchasing import expertise_view, listing, suppliers
from server.purchasing.choices import MOVES, OrderStatus
from server.purchasing.numbering import next_number
from server.purchasing.schemas import (
    LineIn,
    StatusIn,
    SupplierOrderIn,
    SupplierOrderOut,
    SupplierOrderPatch,
)
from server.purchasing.tables import SupplierOrder, SupplierOrderEvent, SupplierOrderLine
from server.search import search_text
from server.staff.permissions import Action, Section
from server.stock import api as stock

ZERO = Decimal("0")


async def _orders_item(item_id: int) -> bool:
    """Whether any supplier order has a line of the stock item."""
    return bool(await SupplierOrderLine.exists().where(SupplierOrderLine.item_id == item_id))


async def _receives_into(warehouse_id: int) -> bool:
    """Whether any supplier order is received into the warehouse."""
    return bool(await SupplierOrder.exists().where(SupplierOrder.warehouse_id == warehouse_id))


stock.item_kept_by(N_("Supplier orders name «{name}»: switch it off instead"), _orders_item)
stock.warehouse_kept_by(
    N_("Supplier orders are received into «{name}»: switch it off instead"), _receives_into
)


def search_of(number: str, supplier_name: str, note: str) -> str:
    """What the list's search looks in."""
    return search_text(number, supplier_name, note)


async def event(
    order_id: int, actor: Actor, status_from: str, status_to: str, note: str = ""
) -> None:
    """Write one change of the status into the order's history."""
    await SupplierOrderEvent(
        order=order_id,
        at=dt.datetime.now(dt.UTC),
        author=actor.employee_id or None,
        status_from=status_from,
        status_to=status_to,
        note=note,
    ).save()


async def active_supplier(actor: Actor, supplier_id: int) -> dict[str, Any]:
    """The supplier's row if it may be ordered from; a field error otherwise."""
    row = await suppliers.supplier_row(actor, supplier_id, field="supplier_id")
    if not row["is_active"]:
        raise InvalidInput(
            "The supplier «{name}» is switched off", field="supplier_id", name=row["name"]
        )
    return row


async def _repair_link(actor: Actor, field: str, given: LineIn, item: stock.ItemBrief) -> None:
    """The repair order part line a line is for: one the caller sees, needing this item."""
    if given.repair_line_id is None and given.repair_order_id is None:
        return
    if given.repair_line_id is None or given.repair_order_id is None:
        raise InvalidInput(
            "Give both the repair order and its line", field=f"{field}.repair_line_id"
        )
    try:
        part = await orders.part_line(actor, given.repair_order_id, given.repair_line_id)
    except NotFound:  # of the order or of the line: one answer for both
        raise InvalidInput(
            "No part line with id {id}", field=f"{field}.repair_line_id", id=given.repair_line_id
        ) from None
    if part.price_item_id is None or part.price_item_id != item.price_item_id:
        raise InvalidInput("The repair's line is for another part", field=f"{field}.repair_line_id")


async def checked_lines(actor: Actor, given: list[LineIn]) -> list[dict[str, Any]]:
    """The lines' values, checked one by one; the first wrong field is named."""
    found = await stock.item_briefs(line.item_id for line in given)
    out = []
    for index, line in enumerate(given):
        field = f"lines.{index}"
        item = found.get(line.item_id)
        if item is None:
            raise InvalidInput(
                "No stock item with id {id}", field=f"{field}.item_id", id=line.item_id
            )
        if not item.is_active:
            raise InvalidInput(
                "The item «{name}» is switched off", field=f"{field}.item_id", name=item.name
            )
        quantity = stock.check_quantity(item, line.quantity, f"{field}.quantity")
        price = stock.check_price(line.unit_price, f"{field}.unit_price")
        await _repair_link(actor, field, line, item)
        out.append(
            {
                "item_id": item.id,
                "quantity": quantity,
                "unit_price": price,
                "repair_order_id": line.repair_order_id,
                "repair_line_id": line.repair_line_id,
            }
        )
    return out


def _expected(value: dt.date | None) -> dt.date | None:
    if value is not None and not dt.date(2000, 1, 1) <= value <= dt.date(2100, 1, 1):
        raise InvalidInput("Enter a date between 2000 and 2100", field="expected_on")
    return value


async def insert_lines(order_id: int, lines: list[dict[str, Any]]) -> None:
    """Add the checked lines to the order."""
    if not lines:
        return
    now = dt.datetime.now(dt.UTC)
    await SupplierOrderLine.insert(
        *[SupplierOrderLine(order=order_id, created_at=now, **values) for values in lines]
    )


async def new_draft(
    actor: Actor,
    supplier: dict[str, Any],
    warehouse_id: int,
    expected_on: dt.date | None = None,
    note: str = "",
) -> int:
    """A new draft supplier order, in the caller's transaction; its id."""
    now = dt.datetime.now(dt.UTC)
    number = await next_number()
    row = SupplierOrder(
        number=number,
        supplier=supplier["id"],
        warehouse_id=warehouse_id,
        status=OrderStatus.DRAFT.value,
        expected_on=expected_on,
        note=note,
        search_text=search_of(number, supplier["name"], note),
        created_by=actor.employee_id or None,
        created_at=now,
        updated_at=now,
    )
    await row.save()
    await event(int(row.id), actor, "", OrderStatus.DRAFT.value)
    values = {"number": number, "supplier_id": supplier["id"], "warehouse_id": warehouse_id}
    await audit.record(actor, "supplier_order", row.id, "create", audit.diff({}, values))
    return int(row.id)


async def create(actor: Actor, data: SupplierOrderIn) -> SupplierOrderOut:
    """Add a draft supplier order with its lines (purchasing:create)."""
    actor.require(Section.PURCHASING, Action.CREATE)
    supplier = await active_supplier(actor, data.supplier_id)
    await stock.receiving_warehouse(actor, data.warehouse_id, "warehouse_id")
    expected = _expected(data.expected_on)
    lines = await checked_lines(actor, data.lines)
    note = suppliers.text(data.note)
    async with SupplierOrder._meta.db.transaction():
        order_id = await new_draft(actor, supplier, data.warehouse_id, expected, note)
        await insert_lines(order_id, lines)
    return await listing.get(actor, order_id)


async def _draft_changes(
    actor: Actor, before: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "supplier_id" in changes and changes["supplier_id"] != before["supplier"]:
        await active_supplier(actor, changes["supplier_id"])
        values["supplier"] = changes["supplier_id"]
    if "warehouse_id" in changes and changes["warehouse_id"] != before["warehouse_id"]:
        await stock.receiving_warehouse(actor, changes["warehouse_id"], "warehouse_id")
        values["warehouse_id"] = changes["warehouse_id"]
    return values


async def update(actor: Actor, order_id: int, data: SupplierOrderPatch) -> SupplierOrderOut:
    """Change a supplier order: its expected date and note while it is open; its supplier,
    warehouse and lines only while it is a draft."""
    actor.require(Section.PURCHASING, Action.EDIT)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    async with SupplierOrder._meta.db.transaction():
        before = await listing.order_row(actor, order_id, for_update=True)
        status = OrderStatus(before["status"])
        draft_only = {"supplier_id", "warehouse_id", "lines"} & set(changes)
        if draft_only and status is not OrderStatus.DRAFT:
            raise Conflict(
                "Only a draft's supplier, warehouse and lines can be changed",
                field=sorted(draft_only)[0],
            )
        if status in (OrderStatus.RECEIVED, OrderStatus.CANCELLED):
            raise Conflict("A closed supplier order cannot be changed", field="status")
        values = await _draft_changes(actor, before, changes)
        if "expected_on" in changes:
            values["expected_on"] = _expected(changes["expected_on"])
        if "note" in changes:
            values["note"] = suppliers.text(changes["note"])
        delta = audit.diff({k: before[k] for k in values}, values)
        lines = None
        if "lines" in changes:
            lines = await checked_lines(actor, data.lines)  # type: ignore[arg-type]
            delta["lines"] = [None, len(lines)]
        if not delta:
            return await listing.get(actor, order_id)
        merged = {**before, **values}
        supplier_name = (await suppliers.names({merged["supplier"]})).get(merged["supplier"], "")
        values["search_text"] = search_of(merged["number"], supplier_name, merged["note"])
        values["updated_at"] = dt.datetime.now(dt.UTC)
        await SupplierOrder.update(values).where(SupplierOrder.id == order_id)  # type: ignore[arg-type]
        if lines is not None:
            await SupplierOrderLine.delete().where(SupplierOrderLine.order == order_id)
            await insert_lines(order_id, lines)
        await audit.record(actor, "supplier_order", order_id, "update", delta)
    return await listing.get(actor, order_id)


async def _check_move(order_id: int, current: OrderStatus, target: OrderStatus) -> None:
    if target not in MOVES[current]:
        raise Conflict(
            "A supplier order «{current}» cannot become «{target}»",
            field="status",
            current=current.label,
            target=target.label,
        )
    lines = (await listing.lines_of([order_id]))[order_id]
    if target is OrderStatus.SENT and not lines:
        raise Conflict("Add at least one line before sending", field="status")
    if target is OrderStatus.SENT and (waiting := await expertise_view.pending_items(order_id)):
        item = (await stock.item_briefs(waiting[:1])).get(waiting[0])
        raise Conflict(
            "«{item}» waits for the expertise of its defective part: record the result first",
            field="status",
            item=item.name if item else "",
        )
    if target is OrderStatus.CANCELLED and any(ln["received"] > 0 for ln in lines):
        raise Conflict("Something has arrived already: it cannot be cancelled", field="status")


async def change_status(actor: Actor, order_id: int, data: StatusIn) -> SupplierOrderOut:
    """Move a supplier order on by hand, as its status allows; the history says who and when."""
    actor.require(Section.PURCHASING, Action.EDIT)
    if data.status not in OrderStatus._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field="status")
    target = OrderStatus(data.status)
    note = suppliers.text(data.note)
    async with SupplierOrder._meta.db.transaction():
        row = await listing.order_row(actor, order_id, for_update=True)
        current = OrderStatus(row["status"])
        await _check_move(order_id, current, target)
        await SupplierOrder.update(
            {SupplierOrder.status: target.value, SupplierOrder.updated_at: dt.datetime.now(dt.UTC)}
        ).where(SupplierOrder.id == order_id)
        await event(order_id, actor, current.value, target.value, note)
        await audit.record(
            actor, "supplier_order", order_id, "status", {"status": [current.value, target.value]}
        )
    return await listing.get(actor, order_id)
