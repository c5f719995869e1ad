"""Serial numbers of serial-tracked items: which are on a warehouse's shelf, and checking those
a document or an order's part line names.

Serials are not a table of their own: a posted line carries the serials it moved, so what a
warehouse holds is what came in (receipts, returns from orders, transfers in) less what went
out (transfers out, write-offs, returns to suppliers, write-offs into orders), read from the
lines of that item and warehouse. Posting reads it after locking the level, so two postings of
the same serial cannot both pass. An order's part line reserved on a store keeps the serials
chosen for it on its reservation (`StockReservation.serials`): another line cannot choose them.

Units that came in without serials (an item made serial-tracked after it was received) may each
be named once by a serial the ledger does not know yet: so many of the level's units as the
shelf has no serial for.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from server.errors import Conflict, InvalidInput
from server.stock.tables import StockDocumentLine, StockReservation

IN_STOCK = (
    "SELECT s.serial FROM stock_document_line l JOIN stock_document d ON d.id = l.document_id "
    "CROSS JOIN LATERAL unnest(l.serials) AS s(serial) "
    "WHERE l.item_id = {} AND (d.warehouse_id = {} OR d.to_warehouse_id = {}) "
    "AND cardinality(l.serials) > 0 GROUP BY s.serial "
    "HAVING sum(CASE WHEN d.to_warehouse_id = {} THEN 1 "
    "WHEN d.kind IN ('receipt', 'order_return') THEN 1 "
    "WHEN d.kind = 'stocktake' THEN sign(l.quantity) ELSE -1 END) > 0 "
    "ORDER BY max(l.id), s.serial"
)


def cleaned(given: Iterable[str]) -> list[str]:
    """The serials as typed, trimmed, blanks and repeats dropped, in their order."""
    return list(dict.fromkeys(s.strip() for s in given if s.strip()))


async def in_stock(warehouse_id: int, item_id: int) -> list[str]:
    """The item's serials on the warehouse's shelf, those that came last at the end."""
    rows = await StockDocumentLine.raw(IN_STOCK, item_id, warehouse_id, warehouse_id, warehouse_id)
    return [r["serial"] for r in rows]


async def chosen(warehouse_id: int, item_id: int, *, besides: int | None = None) -> set[str]:
    """Serials order lines reserved on the warehouse have chosen (but line `besides`)."""
    rows = await StockReservation.raw(
        "SELECT unnest(serials) AS serial FROM stock_reservation "
        "WHERE warehouse_id = {} AND item_id = {} AND order_line_id <> {}",
        warehouse_id,
        item_id,
        besides or 0,
    )
    return {r["serial"] for r in rows}


async def free(warehouse_id: int, item_id: int, *, besides: int | None = None) -> list[str]:
    """The item's serials on the shelf that no other order line has chosen."""
    taken = await chosen(warehouse_id, item_id, besides=besides)
    return [s for s in await in_stock(warehouse_id, item_id) if s not in taken]


def require_count(item: dict[str, Any], serials: list[str], quantity: Decimal, field: str) -> None:
    """One serial per unit of a serial-tracked item, else InvalidInput naming `field`."""
    if item["serial_tracked"] and len(serials) != quantity:
        raise InvalidInput(
            "Give one serial number per unit ({count})",
            field=field,
            count=f"{quantity.normalize():f}",
        )


async def require_on_shelf(
    item: dict[str, Any],
    warehouse: dict[str, Any],
    serials: list[str],
    field: str,
    *,
    besides: int | None = None,
    chosen_ok: bool = False,
    on_hand: Decimal = Decimal("0"),
) -> None:
    """Every serial is on the warehouse's shelf (and, unless `chosen_ok`, not chosen by another
    order line than `besides`), or names one of the `on_hand` units the shelf has no serial
    for; Conflict naming the first that is neither."""
    if not serials:
        return
    there = set(await in_stock(warehouse["id"], item["id"]))
    taken = set() if chosen_ok else await chosen(warehouse["id"], item["id"], besides=besides)
    unnamed = max(int(on_hand) - len(there), 0)
    for serial in serials:
        if serial not in there and serial not in taken and unnamed > 0:
            unnamed -= 1
            continue
        if serial not in there:
            raise Conflict(
                "Serial number «{serial}» of «{item}» is not in «{warehouse}»",
                field=field,
                serial=serial,
                item=item["name"],
                warehouse=warehouse["name"],
            )
        if serial in taken:
            raise Conflict(
                "Serial number «{serial}» of «{item}» is already chosen for another order",
                field=field,
                serial=serial,
                item=item["name"],
            )
