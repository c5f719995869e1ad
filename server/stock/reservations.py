"""Parts of orders: reserved on the warehouse when a part line is added, written off into the
order when it reaches a status that consumes parts (at once from a master's van: the part is
in the master's hands), freed or returned when the line goes.

A master who may (Capability.ISSUE_LATER) uses a part the van lacks: what the van has is written
off, the rest waits on the van as "to be issued", and goes into the order as soon as the store
issues it to the van (posting.issue_to_vans).

The orders domain calls these (through stock.api) inside its own transaction, so a line and
its reservation or write-off exist together or not at all. What a line needs beyond what its
warehouse holds waits, and is held as soon as stock arrives there (posting.hold_waiting).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.errors import Conflict, InvalidInput
from server.staff.permissions import Action, Capability, Section
from server.stock import access, quantities
from server.stock import serials as serial_numbers
from server.stock.choices import DocumentKind, WarehouseKind
from server.stock.posting import Header, Line, lock_levels, post, save_levels
from server.stock.tables import StockDocumentLine, StockItem, StockReservation, Warehouse

ZERO = Decimal("0")
NONE = Decimal("0.000")  # a quantity as stored: numeric(12, 3)


@dataclass(frozen=True)
class OrderRef:
    """The order a part is for."""

    id: int
    number: str


async def item_of_price(price_item_id: int | None, field: str) -> dict[str, Any]:
    """The active stock item a price list item is kept as; InvalidInput naming `field` if none."""
    row = None
    if price_item_id is not None:
        row = await StockItem.select().where(StockItem.price_item_id == price_item_id).first()
    if row is None or not row["is_active"]:
        raise InvalidInput("This price list item is not kept in stock", field=field)
    return row


async def take(
    actor: Actor,
    order: OrderRef,
    order_line_id: int,
    price_item_id: int | None,
    warehouse_id: int,
    quantity: Decimal,
    *,
    consume: bool,
    serials: list[str] | None = None,
) -> None:
    """Reserve a new part line's quantity on the warehouse (what is not there waits), or write
    it off into the order at once when `consume` or the warehouse is a van.

    A serial-tracked part names its serials (one per unit, from those on the warehouse's shelf):
    written off at once, it must; reserved, it may now or later (`choose_serials`), and must
    before the order reaches a status that writes parts off."""
    warehouse = await access.warehouse(actor, warehouse_id, field="warehouse_id")
    if not warehouse["is_active"]:
        raise InvalidInput(
            "The warehouse «{name}» is switched off", field="warehouse_id", name=warehouse["name"]
        )
    item = await item_of_price(price_item_id, "warehouse_id")
    quantities.quantity(quantity, whole=item["whole"], field="quantity")
    chosen = serial_numbers.cleaned(serials or []) if item["serial_tracked"] else []
    van = warehouse["kind"] == WarehouseKind.VAN
    if van and _issues_later(actor):
        await _take_from_van(actor, order, warehouse, item, order_line_id, quantity, chosen)
        return
    if consume or van:
        serial_numbers.require_count(item, chosen, quantity, "serials")
        line = Line(
            item=item, quantity=quantity, field="", serials=chosen, order_line_id=order_line_id
        )
        await _consume(actor, order, warehouse, [line], {})
        return
    place = (warehouse_id, item["id"])
    levels = await lock_levels({place})
    level = levels[place]
    if chosen:
        serial_numbers.require_count(item, chosen, quantity, "serials")
        await serial_numbers.require_on_shelf(
            item, warehouse, chosen, "serials", on_hand=level.on_hand
        )
    held = max(min(quantity, level.on_hand - level.reserved), ZERO)
    level.reserved += held
    await save_levels(levels)
    await _reserve(warehouse_id, item["id"], order, order_line_id, quantity, held, chosen)


def _issues_later(actor: Actor) -> bool:
    return actor.has(Capability.ISSUE_LATER) and not actor.has(Capability.NEGATIVE_STOCK)


async def _take_from_van(
    actor: Actor,
    order: OrderRef,
    warehouse: dict[str, Any],
    item: dict[str, Any],
    order_line_id: int,
    quantity: Decimal,
    chosen: list[str],
) -> None:
    """Write off what the van has of the part; the rest waits on the van, to be issued.

    Of a serial-tracked part the master names every unit's serial: those in the van are
    written off now, the others wait with the rest, to be written off when issued."""
    serial_numbers.require_count(item, chosen, quantity, "serials")
    place = (warehouse["id"], item["id"])
    level = (await lock_levels({place}))[place]
    now = min(quantity, max(level.on_hand - level.reserved, ZERO))
    used: list[str] = []
    if item["serial_tracked"]:
        shelf = await serial_numbers.in_stock(warehouse["id"], item["id"])
        taken = await serial_numbers.chosen(warehouse["id"], item["id"])
        unnamed = max(int(level.on_hand) - len(shelf), 0)  # units the van has no serial for
        known = [s for s in chosen if s in shelf and s not in taken]
        named = [s for s in chosen if s not in shelf and s not in taken][:unnamed]
        used = [s for s in chosen if s in known or s in named][: int(now)]
        now = Decimal(len(used))
    if now > 0:
        line = Line(item=item, quantity=now, field="", serials=used, order_line_id=order_line_id)
        await _consume(actor, order, warehouse, [line], {})
    if quantity > now:
        rest = [s for s in chosen if s not in used]
        await _reserve(
            warehouse["id"], item["id"], order, order_line_id, quantity - now, ZERO, rest
        )


async def _reserve(
    warehouse_id: int,
    item_id: int,
    order: OrderRef,
    order_line_id: int,
    quantity: Decimal,
    held: Decimal,
    serials: list[str],
) -> None:
    await StockReservation(
        warehouse_id=warehouse_id,
        item_id=item_id,
        order_id=order.id,
        order_number=order.number,
        order_line_id=order_line_id,
        quantity=quantity,
        held=held,
        serials=serials,
        created_at=dt.datetime.now(dt.UTC),
    ).save()


async def _consume(
    actor: Actor,
    order: OrderRef,
    warehouse: dict[str, Any],
    lines: list[Line],
    free: dict[tuple[int, int], Decimal],
    serials_field: str = "serials",
) -> None:
    try:
        await post(
            actor,
            Header(
                kind=DocumentKind.CONSUMPTION,
                warehouse=warehouse,
                order_id=order.id,
                order_number=order.number,
            ),
            lines,
            free,
        )
    except Conflict as error:
        named = serials_field if error.field == "serials" else "quantity"
        raise Conflict(error.message, field=named, **error.params) from None


async def consume_order(actor: Actor, order: OrderRef) -> None:
    """Write off every part reserved for the order (one document per warehouse); refused,
    naming the part, while any of them still waits for stock. Parts to be issued to a van
    were used already: they go into the order when issued, and do not hold it up."""
    rows = await StockReservation.raw(
        "SELECT r.* FROM stock_reservation r JOIN stock_warehouse w ON w.id = r.warehouse_id "
        "WHERE r.order_id = {} AND w.kind <> {} ORDER BY r.id",
        order.id,
        WarehouseKind.VAN.value,
    )
    if not rows:
        return
    waiting = [r for r in rows if r["held"] < r["quantity"]]
    if waiting:
        item = (
            await StockItem.select(StockItem.name)
            .where(StockItem.id == waiting[0]["item_id"])
            .first()
        )
        raise Conflict(
            "«{item}» is not in stock yet: the order waits for it",
            field="status",
            item=item["name"] if item else "",
        )
    items = {
        r["id"]: r
        for r in await StockItem.select().where(
            StockItem.id.is_in(sorted({r["item_id"] for r in rows}))
        )
    }
    for r in rows:
        item = items[r["item_id"]]
        if item["serial_tracked"] and len(r["serials"] or []) != r["quantity"]:
            raise Conflict(
                "Choose the serial number of «{item}» on its line: it is written off with it",
                field="status",
                item=item["name"],
            )
    by_warehouse: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_warehouse.setdefault(row["warehouse_id"], []).append(row)
    for warehouse_id, reserved in sorted(by_warehouse.items()):
        warehouse = await _warehouse_row(warehouse_id)
        lines = [
            Line(
                item=items[r["item_id"]],
                quantity=r["quantity"],
                field="",
                serials=list(r["serials"] or []),
                order_line_id=r["order_line_id"],
            )
            for r in reserved
        ]
        free: dict[tuple[int, int], Decimal] = {}
        for r in reserved:
            place = (warehouse_id, r["item_id"])
            free[place] = free.get(place, ZERO) + r["held"]
        await StockReservation.delete().where(
            StockReservation.id.is_in([r["id"] for r in reserved])
        )
        await _consume(actor, order, warehouse, lines, free, serials_field="status")


async def _warehouse_row(warehouse_id: int) -> dict[str, Any]:
    """The warehouse a reservation or write-off of an order was made on: whoever may move the
    order (the orders domain checked that) may settle its parts there, whether or not they see
    that warehouse (a field master finishing an order whose part the office reserved)."""
    row = await Warehouse.select().where(Warehouse.id == warehouse_id).first()
    assert row is not None  # reservations and documents name existing warehouses
    return dict(row)


async def _release(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    levels = await lock_levels({(r["warehouse_id"], r["item_id"]) for r in rows})
    for r in rows:
        levels[(r["warehouse_id"], r["item_id"])].reserved -= r["held"]
    await save_levels(levels)
    await StockReservation.delete().where(StockReservation.id.is_in([r["id"] for r in rows]))


async def consumed_of_line(order_line_id: int) -> list[dict[str, Any]]:
    """(warehouse, item, quantity) written off into the order for a line and not returned."""
    return list(
        await StockDocumentLine.raw(
            "SELECT d.warehouse_id, l.item_id, sum(CASE d.kind WHEN 'consumption' THEN l.quantity "
            "ELSE -l.quantity END) AS quantity FROM stock_document_line l "
            "JOIN stock_document d ON d.id = l.document_id "
            "WHERE l.order_line_id = {} AND d.kind IN ('consumption', 'order_return') "
            "GROUP BY d.warehouse_id, l.item_id HAVING sum(CASE d.kind WHEN 'consumption' "
            "THEN l.quantity ELSE -l.quantity END) > 0",
            order_line_id,
        )
    )


async def serials_of_order(order_id: int) -> dict[tuple[int, int], list[str]]:
    """{(order line, warehouse): the serials written off into the order for it and not
    returned}, in the order they were written off."""
    rows = await StockDocumentLine.raw(
        "SELECT l.order_line_id, d.warehouse_id, s.serial FROM stock_document_line l "
        "JOIN stock_document d ON d.id = l.document_id "
        "CROSS JOIN LATERAL unnest(l.serials) AS s(serial) "
        "WHERE d.order_id = {} AND d.kind IN ('consumption', 'order_return') "
        "AND l.order_line_id IS NOT NULL GROUP BY l.order_line_id, d.warehouse_id, s.serial "
        "HAVING sum(CASE d.kind WHEN 'consumption' THEN 1 ELSE -1 END) > 0 "
        "ORDER BY l.order_line_id, min(l.id), s.serial",
        order_id,
    )
    out: dict[tuple[int, int], list[str]] = {}
    for r in rows:
        out.setdefault((r["order_line_id"], r["warehouse_id"]), []).append(r["serial"])
    return out


async def give_back(actor: Actor, order: OrderRef, order_line_id: int) -> None:
    """The line goes: free its reservation, and return to the warehouse what it took (with
    the serials it took)."""
    await _release(
        await StockReservation.select().where(StockReservation.order_line_id == order_line_id)
    )
    taken = await serials_of_order(order.id)
    for row in await consumed_of_line(order_line_id):
        item = await StockItem.select().where(StockItem.id == row["item_id"]).first()
        warehouse = await _warehouse_row(row["warehouse_id"])
        assert item is not None
        await post(
            actor,
            Header(
                kind=DocumentKind.ORDER_RETURN,
                warehouse=warehouse,
                order_id=order.id,
                order_number=order.number,
                reason="",
            ),
            [
                Line(
                    item=item,
                    quantity=row["quantity"],
                    field="",
                    serials=taken.get((order_line_id, row["warehouse_id"]), []),
                    order_line_id=order_line_id,
                )
            ],
        )


async def choose_serials(actor: Actor, order_line_id: int, given: list[str]) -> list[str]:
    """Choose the serials of a part line reserved on a store (one per unit, on the store's
    shelf, not chosen by another line), or of one to be issued to a van (the master names
    what was used); the serials kept. The orders domain checked the actor may edit the line's
    order, in this transaction."""
    rows = await StockReservation.raw(
        "SELECT * FROM stock_reservation WHERE order_line_id = {} FOR UPDATE", order_line_id
    )
    if not rows:
        raise InvalidInput(
            "This line holds nothing in stock to choose serial numbers of", field="serials"
        )
    reservation = rows[0]
    item = await StockItem.select().where(StockItem.id == reservation["item_id"]).first()
    assert item is not None
    if not item["serial_tracked"]:
        raise InvalidInput("«{item}» has no serial numbers", field="serials", item=item["name"])
    chosen = serial_numbers.cleaned(given)
    serial_numbers.require_count(item, chosen, reservation["quantity"], "serials")
    warehouse = await _warehouse_row(reservation["warehouse_id"])
    if warehouse["kind"] != WarehouseKind.VAN:
        place = (warehouse["id"], item["id"])
        level = (await lock_levels({place}))[place]
        await serial_numbers.require_on_shelf(
            item, warehouse, chosen, "serials", besides=order_line_id, on_hand=level.on_hand
        )
    await StockReservation.update({StockReservation.serials: chosen}).where(
        StockReservation.id == reservation["id"]
    )
    return chosen


async def release_order(order_id: int) -> None:
    """Free every reservation of the order (it was cancelled); what it consumed stays used."""
    await _release(await StockReservation.select().where(StockReservation.order_id == order_id))


@dataclass(frozen=True)
class LineStock:
    """Where an order's part line stands in stock."""

    warehouse_id: int
    warehouse_name: str
    held: Decimal  # reserved for it on the warehouse
    waiting: Decimal  # needed beyond what the warehouse held
    consumed: Decimal  # written off into the order
    cost: Decimal | None  # the cost it was written off at, per unit (None: not shown)
    serials: list[str] = dataclasses.field(default_factory=list)  # chosen or written off
    serial_choices: list[str] | None = None  # a serial-tracked reserved line: what it may take


async def of_order(actor: Actor, order_id: int) -> dict[int, LineStock]:
    """{order line: its stock} for the order's part lines that come from a warehouse."""
    reserved = await StockReservation.select().where(StockReservation.order_id == order_id)
    written = await StockDocumentLine.raw(
        "SELECT l.order_line_id, d.warehouse_id, sum(CASE d.kind WHEN 'consumption' "
        "THEN l.quantity ELSE -l.quantity END) AS quantity, "
        "sum(l.quantity * l.unit_cost) FILTER (WHERE d.kind = 'consumption') "
        "/ nullif(sum(l.quantity) FILTER (WHERE d.kind = 'consumption'), 0) AS cost "
        "FROM stock_document_line l JOIN stock_document d ON d.id = l.document_id "
        "WHERE d.order_id = {} AND d.kind IN ('consumption', 'order_return') "
        "GROUP BY l.order_line_id, d.warehouse_id",
        order_id,
    )
    ids = {r["warehouse_id"] for r in [*reserved, *written]}
    names = await access.names(actor, ids)
    costs = access.sees_costs(actor)
    taken = await serials_of_order(order_id)
    tracked = await _serial_tracked({r["item_id"] for r in reserved})
    out: dict[int, LineStock] = {}
    for r in reserved:
        choices = None
        if r["item_id"] in tracked and not r["serials"] and actor.can(Section.STOCK, Action.VIEW):
            choices = await serial_numbers.free(
                r["warehouse_id"], r["item_id"], besides=r["order_line_id"]
            )
        out[r["order_line_id"]] = LineStock(
            r["warehouse_id"], names.get(r["warehouse_id"], ""), r["held"],
            r["quantity"] - r["held"], ZERO, None, list(r["serials"] or []), choices,
        )  # fmt: skip
    for r in written:
        if r["order_line_id"] is None or r["quantity"] <= 0:
            continue
        waits = out.get(r["order_line_id"])  # the rest of a van part still to be issued
        cost = r["cost"].quantize(Decimal("0.01")) if costs and r["cost"] is not None else None
        used = taken.get((r["order_line_id"], r["warehouse_id"]), [])
        out[r["order_line_id"]] = LineStock(
            r["warehouse_id"], names.get(r["warehouse_id"], ""), waits.held if waits else NONE,
            waits.waiting if waits else NONE, r["quantity"], cost,
            used + (waits.serials if waits else []),
        )  # fmt: skip
    return out


async def _serial_tracked(item_ids: set[int]) -> set[int]:
    if not item_ids:
        return set()
    rows = await StockItem.select(StockItem.id).where(
        StockItem.id.is_in(sorted(item_ids)), StockItem.serial_tracked.eq(True)
    )
    return {r["id"] for r in rows}
