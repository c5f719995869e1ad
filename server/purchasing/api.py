"""What other domains read of purchasing: the supplier orders of a repair's part lines, and
whether a line can be ordered from the card («Order»), for those who see purchasing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from server.actor import Actor
from server.i18n import gettext
from server.purchasing import from_repairs, suppliers
from server.purchasing.choices import OrderStatus
from server.purchasing.schemas import OrderedForLine, OrderForLineIn, SupplierOut
from server.purchasing.tables import SupplierOrder, SupplierOrderLine
from server.staff.permissions import Action, Section
from server.stock import api as stock

__all__ = [
    "CardPurchases",
    "OrderForLineIn",
    "OrderedForLine",
    "PurchaseRef",
    "audit_names",
    "for_order_card",
    "order_for_line",
]

order_for_line = from_repairs.order_for_line
ZERO = Decimal("0")


class CardLine(Protocol):
    """An order line as the card has it (orders' LineOut)."""

    id: int
    kind: str
    price_item_id: int | None
    warehouse_id: int | None
    quantity: Decimal
    stock: Any


@dataclass(frozen=True)
class PurchaseRef:
    """A supplier order bringing a repair's part."""

    id: int
    number: str
    status: str
    status_label: str
    status_color: str
    expected_on: dt.date | None
    quantity: Decimal
    received: Decimal


@dataclass(frozen=True)
class CardPurchases:
    """What the card shows of purchasing: per part line its supplier orders, the lines that can
    be ordered (with or without a known supplier), and the suppliers to choose from."""

    shown: bool = False
    purchases: dict[int, list[PurchaseRef]] = field(default_factory=dict)
    orderable: dict[int, bool] = field(default_factory=dict)  # line -> its supplier is known
    suppliers: list[SupplierOut] = field(default_factory=list)


def _waits(line: CardLine) -> bool:
    if line.kind != "part" or line.price_item_id is None:
        return False
    if line.warehouse_id is None:
        return True
    return line.stock is not None and line.stock.waiting > 0


async def _purchases(order_id: int) -> dict[int, list[PurchaseRef]]:
    rows = await (
        SupplierOrderLine.select(
            SupplierOrderLine.repair_line_id,
            SupplierOrderLine.quantity,
            SupplierOrderLine.received,
            SupplierOrderLine.order.id.as_alias("order_id"),
            SupplierOrderLine.order._.number.as_alias("number"),
            SupplierOrderLine.order._.status.as_alias("status"),
            SupplierOrderLine.order._.expected_on.as_alias("expected_on"),
        )
        .where(SupplierOrderLine.repair_order_id == order_id)
        .order_by(SupplierOrderLine.id)
    )
    found: dict[int, list[PurchaseRef]] = {}
    for r in rows:
        status = OrderStatus(r["status"])
        found.setdefault(r["repair_line_id"], []).append(
            PurchaseRef(
                id=r["order_id"],
                number=r["number"],
                status=status.value,
                status_label=gettext(status.label),
                status_color=status.color,
                expected_on=r["expected_on"],
                quantity=r["quantity"],
                received=r["received"],
            )
        )
    return found


async def for_order_card(actor: Actor, order_id: int, lines: Sequence[CardLine]) -> CardPurchases:
    """Purchasing on the card of an order the caller has just read through the orders' read
    API (its scope is not checked again); nothing for one who does not see purchasing, and no
    query for an order without part lines."""
    parts = [ln for ln in lines if ln.kind == "part"]
    if not parts or not actor.can(Section.PURCHASING, Action.VIEW):
        return CardPurchases()
    purchases = await _purchases(order_id)
    waiting = [ln for ln in parts if _waits(ln)]
    if not waiting or not actor.can(Section.PURCHASING, Action.CREATE):
        return CardPurchases(shown=True, purchases=purchases)
    brought = await from_repairs.ordered_for_lines([ln.id for ln in waiting])
    kept = await stock.items_of_prices(ln.price_item_id for ln in waiting if ln.price_item_id)
    known = await from_repairs.last_suppliers([i.id for i in kept.values()])
    orderable: dict[int, bool] = {}
    for line in waiting:
        item = kept.get(line.price_item_id or 0)
        waits = line.stock.waiting if line.warehouse_id is not None else None
        need = from_repairs.still_needed(waits, line.quantity, brought.get(line.id, (ZERO, ZERO)))
        if item is None or need <= 0:
            continue
        orderable[line.id] = item.id in known
    choices = []
    if not all(orderable.values()):
        choices = await suppliers.active_suppliers(actor)
    return CardPurchases(shown=True, purchases=purchases, orderable=orderable, suppliers=choices)


async def audit_names(
    actor: Actor, orders: Iterable[int] = (), supplier_ids: Iterable[int] = ()
) -> dict[str, dict[int, str]]:
    """How the audit log names supplier orders (by number) and suppliers (by name), for those
    who see purchasing: {"supplier_order" | "supplier": {id: name}}."""
    out: dict[str, dict[int, str]] = {"supplier_order": {}, "supplier": {}}
    if not actor.can(Section.PURCHASING, Action.VIEW):
        return out
    if wanted := sorted(set(orders)):
        rows = await SupplierOrder.select(SupplierOrder.id, SupplierOrder.number).where(
            SupplierOrder.id.is_in(wanted)
        )
        out["supplier_order"] = {r["id"]: r["number"] for r in rows}
    out["supplier"] = await suppliers.names(set(supplier_ids))
    return out
