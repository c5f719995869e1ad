"""Supplier orders as the caller may see them. A line's repair order shows only for an order in
the caller's scope (its number is hidden otherwise); prices only for those who see purchase
prices (the field permission on an order line's purchase price, as stock's costs). Names are
read for a whole page at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server import fieldaccess
from server.actor import Actor
from server.i18n import gettext
from server.orders import api as orders
from server.purchasing import suppliers
from server.purchasing.choices import MOVES, OrderStatus
from server.purchasing.schemas import (
    ExpertiseOut,
    HistoryOut,
    LineOut,
    ReceiptOut,
    RepairLink,
    SupplierOrderOut,
)
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.stock import api as stock

ZERO = Decimal("0")


def sees_prices(actor: Actor) -> bool:
    """True when the actor may read purchase prices."""
    return fieldaccess.level(actor, "order_line", "purchase_price") != fieldaccess.HIDDEN


@dataclass(frozen=True)
class Names:
    """What a page of supplier orders shows of other domains, as the caller may see it."""

    suppliers: dict[int, str]
    warehouses: dict[int, str]
    people: dict[int, str]
    items: dict[int, stock.ItemBrief]
    repairs: dict[int, str]  # repair order id -> number, only orders in scope
    expertise: dict[int, ExpertiseOut] = field(default_factory=dict)  # by line id


async def names_for(
    actor: Actor, rows: list[dict[str, Any]], lines: list[dict[str, Any]], people: set[int]
) -> Names:
    """The names a page of supplier orders (and the lines shown) needs, a few queries in all."""
    repair_ids = [ln["repair_order_id"] for ln in lines if ln["repair_order_id"] is not None]
    refs = {}
    if repair_ids and actor.can(Section.ORDERS, Action.VIEW):
        refs = await orders.order_refs(actor, repair_ids)
    authors = people | {r["created_by"] for r in rows if r["created_by"] is not None}
    return Names(
        suppliers=await suppliers.names({r["supplier"] for r in rows}),
        warehouses=await stock.warehouse_names(actor, {r["warehouse_id"] for r in rows}),
        people=await staff.names(authors) if authors else {},
        items=await stock.item_briefs(ln["item_id"] for ln in lines),
        repairs={i: ref.number for i, ref in refs.items()},
    )


def _repair(line: dict[str, Any], names: Names) -> RepairLink | None:
    order_id = line["repair_order_id"]
    if order_id is None:
        return None
    if order_id not in names.repairs:
        return RepairLink(hidden=True)
    return RepairLink(
        order_id=order_id, order_number=names.repairs[order_id], line_id=line["repair_line_id"]
    )


def line_out(actor: Actor, line: dict[str, Any], names: Names) -> LineOut:
    """One line of a supplier order as the caller may see it."""
    item = names.items.get(line["item_id"])
    prices: dict[str, Any] = {}
    if sees_prices(actor):
        prices = {
            "unit_price": line["unit_price"],
            "total": (line["quantity"] * line["unit_price"]).quantize(Decimal("0.01")),
        }
    return LineOut(
        id=line["id"],
        item_id=line["item_id"],
        item_name=item.name if item else "",
        article=item.article if item else "",
        unit=item.unit if item else "",
        whole=item.whole if item else True,
        serial_tracked=item.serial_tracked if item else False,
        quantity=line["quantity"],
        received=line["received"],
        remaining=line["quantity"] - line["received"],
        repair=_repair(line, names),
        expertise=names.expertise.get(line["id"]),
        **prices,
    )


def order_out(
    actor: Actor,
    row: dict[str, Any],
    names: Names,
    lines: list[dict[str, Any]],
    history: list[HistoryOut] | None = None,
    receipts: list[ReceiptOut] | None = None,
    *,
    with_lines: bool = True,
) -> SupplierOrderOut:
    """A supplier order row as the caller may see it."""
    status = OrderStatus(row["status"])
    may_edit = actor.can(Section.PURCHASING, Action.EDIT)
    extra: dict[str, Any] = {}
    if sees_prices(actor):
        total = sum((ln["quantity"] * ln["unit_price"] for ln in lines), ZERO)
        extra["total"] = total.quantize(Decimal("0.01"))
    return SupplierOrderOut(
        id=row["id"],
        number=row["number"],
        supplier_id=row["supplier"],
        supplier_name=names.suppliers.get(row["supplier"], ""),
        warehouse_id=row["warehouse_id"],
        warehouse_name=names.warehouses.get(row["warehouse_id"], ""),
        status=status.value,
        status_label=gettext(status.label),
        status_color=status.color,
        next_statuses=[s.value for s in MOVES[status]] if may_edit else [],
        receivable=may_edit and status.receivable,
        editable=may_edit and status is OrderStatus.DRAFT,
        expected_on=row["expected_on"],
        note=row["note"],
        lines_count=len(lines),
        created_by_name=names.people.get(row["created_by"] or 0, ""),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        lines=[line_out(actor, ln, names) for ln in lines] if with_lines else [],
        history=history or [],
        receipts=receipts or [],
        **extra,
    )


def history_out(row: dict[str, Any], names: Names) -> HistoryOut:
    """One entry of a supplier order's history."""
    to = row["status_to"]
    return HistoryOut(
        at=row["at"],
        author_name=names.people.get(row["author"] or 0, ""),
        status_from=row["status_from"],
        status_to=to,
        status_label=gettext(OrderStatus(to).label) if to else "",
        note=row["note"],
    )


def receipt_out(row: dict[str, Any], names: Names) -> ReceiptOut:
    """A receipt posted for the supplier order."""
    return ReceiptOut(
        document_id=row["document_id"],
        document_number=row["document_number"],
        supplier_document=row["supplier_document"],
        author_name=names.people.get(row["author"] or 0, ""),
        at=row["at"],
    )
