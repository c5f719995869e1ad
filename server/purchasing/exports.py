"""Supplier orders as an XLSX workbook (purchasing:export): a row per line, with the list's
filters, through the list's own keyset pages (scope and prices follow the same gates)."""

from __future__ import annotations

import io
from typing import Any

import anyio.to_thread
import msgspec

import printforms
from server import clock
from server.actor import Actor
from server.i18n import N_, gettext
from server.purchasing import listing
from server.purchasing.schemas import SupplierOrderOut
from server.purchasing.serialize import sees_prices
from server.staff.permissions import Action, Section

PAGE = 200
EXPORT_LIMIT = 20_000
COLUMNS = (
    ("number", N_("Number"), "text", 14),
    ("status", N_("Status"), "text", 18),
    ("supplier", N_("Supplier"), "text", 28),
    ("warehouse", N_("Warehouse"), "text", 22),
    ("expected_on", N_("Expected on"), "date", 12),
    ("created_at", N_("Created"), "datetime", 17),
    ("item", N_("Item"), "text", 36),
    ("article", N_("Article"), "text", 14),
    ("unit", N_("Unit"), "text", 8),
    ("quantity", N_("Quantity"), "decimal", 10),
    ("received", N_("Received"), "decimal", 10),
    ("unit_price", N_("Purchase price"), "money", 14),
    ("total", N_("Sum"), "money", 14),
    ("repair", N_("Repair order"), "text", 14),
)
PRICES = frozenset({"unit_price", "total"})


def _rows(order: SupplierOrderOut) -> list[dict[str, Any]]:
    head = {
        "number": order.number,
        "status": order.status_label,
        "supplier": order.supplier_name,
        "warehouse": order.warehouse_name,
        "expected_on": order.expected_on,
        "created_at": clock.local(order.created_at),
    }
    if not order.lines:
        return [head]
    rows = []
    for line in order.lines:
        repair = line.repair
        number = repair.order_number if repair is not None else None
        rows.append(
            {
                **head,
                "item": line.item_name,
                "article": line.article,
                "unit": line.unit,
                "quantity": line.quantity,
                "received": line.received,
                "unit_price": None if line.unit_price is msgspec.UNSET else line.unit_price,
                "total": None if line.total is msgspec.UNSET else line.total,
                "repair": None if number is msgspec.UNSET else number,
            }
        )
    return rows


async def export_xlsx(actor: Actor, **filters: Any) -> bytes:
    """The supplier orders the filters select, a row per line, as XLSX."""
    actor.require(Section.PURCHASING, Action.EXPORT)
    rows: list[dict[str, Any]] = []
    cursor: str | None = None
    while len(rows) < EXPORT_LIMIT:
        page, cursor = await listing.list_orders(
            actor, cursor=cursor, limit=PAGE, with_lines=True, **filters
        )
        for order in page:
            rows += _rows(order)
        if cursor is None:
            break
    shown = sees_prices(actor)
    columns = [
        printforms.Column(key, gettext(title), kind, width)  # type: ignore[arg-type]
        for key, title, kind, width in COLUMNS
        if shown or key not in PRICES
    ]
    target = io.BytesIO()
    title = gettext("Supplier orders")
    await anyio.to_thread.run_sync(printforms.export_rows, columns, rows, target, title)
    return target.getvalue()
