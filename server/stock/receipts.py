"""What purchasing asks of stock: the items it orders, the warehouses it receives into, and a
receipt posted for a supplier order in the caller's transaction.

Stock never reads purchasing's data: purchasing passes what it knows (the supplier's name, the
supplier order's number, the lines with their purchase prices). A receipt is a document like
one typed in by hand: it mixes its prices into the levels' moving averages and holds what
arrived for the reservations that wait for it (posting.hold_waiting), oldest first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.errors import InvalidInput
from server.staff.permissions import Action, Section
from server.stock import access, items, quantities
from server.stock.choices import DocumentKind
from server.stock.posting import Header, Line, post
from server.stock.tables import StockDocument, StockItem, StockReservation


@dataclass(frozen=True)
class ItemBrief:
    """A stock item as purchasing orders it."""

    id: int
    name: str
    article: str
    unit: str
    whole: bool
    serial_tracked: bool
    is_active: bool
    price_item_id: int | None


def _brief(row: dict[str, Any]) -> ItemBrief:
    return ItemBrief(
        row["id"], row["name"], row["article"], row["unit"], row["whole"],
        row["serial_tracked"], row["is_active"], row["price_item_id"],
    )  # fmt: skip


async def item_briefs(item_ids: Iterable[int]) -> dict[int, ItemBrief]:
    """{id: item} of the given stock items (one query)."""
    return {i: _brief(r) for i, r in (await items.rows_of(item_ids)).items()}


async def items_of_prices(price_item_ids: Iterable[int]) -> dict[int, ItemBrief]:
    """{price list item: the active stock item it is kept as} (one query)."""
    ids = sorted(set(price_item_ids))
    if not ids:
        return {}
    rows = await StockItem.select().where(
        StockItem.price_item_id.is_in(ids), StockItem.is_active.eq(True)
    )
    return {r["price_item_id"]: _brief(r) for r in rows}


async def receiving_warehouse(actor: Actor, warehouse_id: int, field: str) -> dict[str, Any]:
    """The active warehouse the actor sees, to receive into; a field error otherwise."""
    row = await access.warehouse(actor, warehouse_id, field=field)
    if not row["is_active"]:
        raise InvalidInput("The warehouse «{name}» is switched off", field=field, name=row["name"])
    return {"id": row["id"], "name": row["name"], "kind": row["kind"]}


async def warehouse_names(actor: Actor, warehouse_ids: Iterable[int | None]) -> dict[int, str]:
    """{id: name} of warehouses, "another warehouse" for one the actor does not see."""
    if not actor.can(Section.STOCK, Action.VIEW):
        return {}
    return await access.names(actor, warehouse_ids)


def check_quantity(item: ItemBrief, value: Decimal | None, field: str) -> Decimal:
    """A quantity of the item as people type it: whole units where its unit says so."""
    return quantities.quantity(value, whole=item.whole, field=field)


def check_price(value: Decimal | None, field: str) -> Decimal:
    """A purchase price in roubles: not negative, kopecks at most."""
    return quantities.money(value, field=field)


@dataclass(frozen=True)
class ReceiptLine:
    """What arrived of an item at its purchase price; `field` names it in errors."""

    item_id: int
    quantity: Decimal
    unit_cost: Decimal
    field: str
    serials: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class PostedReceipt:
    """The receipt document, and the orders whose waiting parts it covered whole."""

    document_id: int
    number: str
    covered_orders: set[int]


def _serials(given: ReceiptLine, item: ItemBrief) -> list[str]:
    serials = list(dict.fromkeys(s.strip() for s in given.serials if s.strip()))
    if item.serial_tracked and len(serials) != given.quantity:
        raise InvalidInput(
            "Give one serial number per unit ({count})",
            field=f"{given.field}.serials",
            count=f"{given.quantity.normalize():f}",
        )
    return serials


async def _waiting(places: set[tuple[int, int]]) -> dict[int, int]:
    """{reservation id: its order} of the places' reservations that wait for stock."""
    ordered = sorted(places)
    rows = await StockReservation.raw(
        "SELECT r.id, r.order_id FROM stock_reservation r "
        "JOIN unnest({}::int[], {}::int[]) AS p(w, i) ON r.warehouse_id = p.w AND r.item_id = p.i "
        "WHERE r.held < r.quantity",
        [w for w, _ in ordered],
        [i for _, i in ordered],
    )
    return {r["id"]: r["order_id"] for r in rows}


async def post_receipt(
    actor: Actor,
    warehouse_id: int,
    supplier: str,
    reference: str,
    lines: list[ReceiptLine],
    supplier_document: str = "",
) -> PostedReceipt:
    """Post one receipt of the lines into the warehouse, in the caller's transaction (or its
    own): `reference` (the supplier order's number) is the document's basis. The orders whose
    every waiting reservation there is now held are told back."""
    warehouse = await receiving_warehouse(actor, warehouse_id, "warehouse_id")
    found = await items.rows_of(line.item_id for line in lines)
    checked = []
    for given in lines:
        row = found.get(given.item_id)
        if row is None:
            raise InvalidInput(
                "No stock item with id {id}", field=f"{given.field}.item_id", id=given.item_id
            )
        quantity = quantities.quantity(
            given.quantity, whole=row["whole"], field=f"{given.field}.quantity"
        )
        cost = quantities.money(given.unit_cost, field=f"{given.field}.unit_cost")
        serials = _serials(given, _brief(row))
        checked.append(
            Line(item=row, quantity=quantity, field=given.field, unit_cost=cost, serials=serials)
        )
    places = {(warehouse["id"], line.item["id"]) for line in checked}
    async with StockItem._meta.db.transaction():
        before = await _waiting(places)
        document_id = await post(
            actor,
            Header(
                kind=DocumentKind.RECEIPT,
                warehouse=warehouse,
                supplier=supplier[:200],
                supplier_document=supplier_document[:100],
                reason=reference[:300],
            ),
            checked,
        )
        after = await _waiting(places)
        number = await _number(document_id)
    still = set(after.values())
    covered = {order for rid, order in before.items() if rid not in after and order not in still}
    return PostedReceipt(document_id, number, covered)


async def _number(document_id: int) -> str:
    row = (
        await StockDocument.select(StockDocument.number)
        .where(StockDocument.id == document_id)
        .first()
    )
    assert row is not None
    return str(row["number"])
