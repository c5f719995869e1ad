"""Posting a document: its lines move stock all at once, or nothing moves.

Every level a document touches is locked (`SELECT … FOR UPDATE`, in id order, so two postings
never wait for each other in a circle) before anything is checked, so of two people taking the
last part at once the second sees it gone and is refused. Levels keep a moving-average cost per
warehouse: a receipt mixes its purchase price in, a transfer carries the source's average to the
target, and everything that takes stock out takes it at the average.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from server import counters
from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict
from server.i18n import N_
from server.staff.permissions import Capability
from server.stock import serials as serial_numbers
from server.stock.choices import DocumentKind
from server.stock.tables import (
    StockCounter,
    StockDocument,
    StockDocumentLine,
    StockItem,
    StockLevel,
    StockReservation,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
Place = tuple[int, int]  # (warehouse id, item id)


@dataclass
class Line:
    """A checked line: the item's row, what moves (a stocktake: what was counted), its cost."""

    item: dict[str, Any]
    quantity: Decimal
    field: str
    unit_cost: Decimal | None = None
    serials: list[str] = dataclasses.field(default_factory=list)
    order_line_id: int | None = None


@dataclass
class Header:
    """A checked document header."""

    kind: DocumentKind
    warehouse: dict[str, Any]
    to_warehouse: dict[str, Any] | None = None
    supplier: str = ""
    supplier_document: str = ""
    order_id: int | None = None
    order_number: str = ""
    reason: str = ""
    note: str = ""
    corrects_id: int | None = None


@dataclass
class Level:
    """A locked level as posting changes it."""

    id: int
    on_hand: Decimal
    reserved: Decimal
    avg_cost: Decimal


async def next_number(kind: DocumentKind) -> str:
    """The next number of a kind (ПР-000001), counted per kind in the caller's transaction, so
    concurrent postings never share one. (No year in it: ПР-26-000001 would read as an order
    number inside it.)"""
    prefix = kind.prefix
    last = await counters.bump(StockCounter, prefix)
    return f"{prefix}-{last:06d}"


async def lock_levels(places: set[Place]) -> dict[Place, Level]:
    """The levels of the places, made if missing and locked until the transaction ends; their
    items and warehouses are held from being deleted meanwhile (`hold_records`)."""
    ordered = sorted(places)
    warehouses = [w for w, _ in ordered]
    items = [i for _, i in ordered]
    await hold_records(set(warehouses), set(items))
    await StockLevel.raw(
        "INSERT INTO stock_level (warehouse_id, item_id, on_hand, reserved, avg_cost, updated_at) "
        "SELECT w, i, 0, 0, 0, now() FROM unnest({}::int[], {}::int[]) AS p(w, i) "
        "ON CONFLICT (warehouse_id, item_id) DO NOTHING",
        warehouses,
        items,
    )
    rows = await StockLevel.raw(
        "SELECT l.id, l.warehouse_id, l.item_id, l.on_hand, l.reserved, l.avg_cost "
        "FROM stock_level l JOIN unnest({}::int[], {}::int[]) AS p(w, i) "
        "ON l.warehouse_id = p.w AND l.item_id = p.i ORDER BY l.id FOR UPDATE OF l",
        warehouses,
        items,
    )
    return {
        (r["warehouse_id"], r["item_id"]): Level(
            r["id"], r["on_hand"], r["reserved"], r["avg_cost"]
        )
        for r in rows
    }


async def hold_records(warehouse_ids: set[int], item_ids: set[int]) -> None:
    """Keep the warehouses and items a posting moves from being deleted until its transaction
    ends (FOR KEY SHARE: a delete takes them FOR UPDATE, waits, then finds the moves); one
    deleted before is refused at once."""
    for table, ids, message in (
        ("stock_warehouse", warehouse_ids, N_("A warehouse of the document was deleted meanwhile")),
        ("stock_item", item_ids, N_("A part of the document was deleted meanwhile: {ids}")),
    ):
        rows = await StockLevel.raw(
            f"SELECT id FROM {table} WHERE id = ANY({{}}::int[]) ORDER BY id FOR KEY SHARE",
            sorted(ids),
        )
        missing = ids - {r["id"] for r in rows}
        if missing:
            raise Conflict(message, ids=", ".join(str(i) for i in sorted(missing)))


async def save_levels(levels: Mapping[Place, Level]) -> None:
    """Write the changed levels back in one statement."""
    if not levels:
        return
    rows = list(levels.values())
    await StockLevel.raw(
        "UPDATE stock_level l SET on_hand = v.on_hand, reserved = v.reserved, "
        "avg_cost = v.avg_cost, updated_at = now() "
        "FROM unnest({}::int[], {}::numeric[], {}::numeric[], {}::numeric[]) "
        "AS v(id, on_hand, reserved, avg_cost) WHERE l.id = v.id",
        [r.id for r in rows],
        [r.on_hand for r in rows],
        [r.reserved for r in rows],
        [r.avg_cost for r in rows],
    )


async def hold_waiting(levels: Mapping[Place, Level], places: set[Place]) -> None:
    """Hold what arrived for the reservations of those places that wait for it, oldest first
    (the locked levels are changed; the caller saves them)."""
    if not places:
        return
    ordered = sorted(places)
    rows = await StockReservation.raw(
        "SELECT r.id, r.warehouse_id, r.item_id, r.quantity, r.held FROM stock_reservation r "
        "JOIN unnest({}::int[], {}::int[]) AS p(w, i) ON r.warehouse_id = p.w AND r.item_id = p.i "
        "WHERE r.held < r.quantity ORDER BY r.id FOR UPDATE OF r",
        [w for w, _ in ordered],
        [i for _, i in ordered],
    )
    changed: list[tuple[int, Decimal]] = []
    for row in rows:
        level = levels[(row["warehouse_id"], row["item_id"])]
        add = min(level.on_hand - level.reserved, row["quantity"] - row["held"])
        if add > 0:
            level.reserved += add
            changed.append((row["id"], row["held"] + add))
    if changed:
        await StockReservation.raw(
            "UPDATE stock_reservation r SET held = v.held FROM unnest({}::int[], {}::numeric[]) "
            "AS v(id, held) WHERE r.id = v.id",
            [c[0] for c in changed],
            [c[1] for c in changed],
        )


async def issue_to_vans(
    actor: Actor | None, vans: Mapping[int, dict[str, Any]], places: set[Place]
) -> None:
    """Parts a master used before the van had them (to be issued) go into their orders as soon
    as the van holds them: one consumption per order, in the arriving document's transaction."""
    if not places:
        return
    ordered = sorted(places)
    rows = await StockReservation.raw(
        "SELECT r.id, r.warehouse_id, r.item_id, r.order_id, r.order_number, r.order_line_id, "
        "r.quantity, r.held, r.serials FROM stock_reservation r "
        "JOIN unnest({}::int[], {}::int[]) AS p(w, i) ON r.warehouse_id = p.w AND r.item_id = p.i "
        "WHERE r.held > 0 ORDER BY r.order_id, r.id FOR UPDATE OF r",
        [w for w, _ in ordered],
        [i for _, i in ordered],
    )
    if not rows:
        return
    items = {
        r["id"]: dict(r)
        for r in await StockItem.select().where(
            StockItem.id.is_in(sorted({r["item_id"] for r in rows}))
        )
    }
    await _serials_of_issued(rows, items)
    groups: dict[tuple[int, str, int], list[dict[str, Any]]] = {}
    for row in rows:
        key = (row["order_id"], row["order_number"], row["warehouse_id"])
        groups.setdefault(key, []).append(row)
    for (order_id, order_number, warehouse_id), held in groups.items():
        free: dict[Place, Decimal] = {}
        for r in held:
            free[(warehouse_id, r["item_id"])] = (
                free.get((warehouse_id, r["item_id"]), ZERO) + r["held"]
            )
        await _settle_issued(held)
        await post(
            actor,
            Header(
                kind=DocumentKind.CONSUMPTION,
                warehouse=dict(vans[warehouse_id]),
                order_id=order_id,
                order_number=order_number,
            ),
            [
                Line(
                    item=items[r["item_id"]],
                    quantity=r["held"],
                    field="",
                    serials=r["used"],
                    order_line_id=r["order_line_id"],
                )
                for r in held
            ],
            free,
        )


async def _serials_of_issued(rows: list[dict[str, Any]], items: Mapping[int, Any]) -> None:
    """Which serials each issued reservation writes off (`used`): of a serial-tracked part, the
    serials the master named that are now in the van, then any other the van holds that no
    line has chosen (the part was in the master's hands: the ledger takes what was issued)."""
    taken: set[str] = set()
    for row in rows:
        row["used"] = []
        if not items[row["item_id"]]["serial_tracked"]:
            continue
        there = [
            s
            for s in await serial_numbers.free(
                row["warehouse_id"], row["item_id"], besides=row["order_line_id"]
            )
            if s not in taken
        ]
        named = [s for s in row["serials"] or [] if s in there]
        others = [s for s in there if s not in named and s not in set(row["serials"] or [])]
        row["used"] = (named + others)[: int(row["held"])]
        taken.update(row["used"])


async def _settle_issued(rows: list[dict[str, Any]]) -> None:
    """What was held of reservations to be issued is written off: the rest waits on."""
    done = [r["id"] for r in rows if r["held"] >= r["quantity"]]
    if done:
        await StockReservation.delete().where(StockReservation.id.is_in(done))
    for r in rows:
        if r["held"] < r["quantity"]:
            await StockReservation.update(
                {
                    StockReservation.quantity: r["quantity"] - r["held"],
                    StockReservation.held: ZERO,
                    StockReservation.serials: [s for s in r["serials"] or [] if s not in r["used"]],
                }
            ).where(StockReservation.id == r["id"])


def _mixed_cost(level: Level, quantity: Decimal, cost: Decimal) -> Decimal:
    """The average after `quantity` arrives at `cost`."""
    if level.on_hand <= 0:
        return cost
    total = level.on_hand * level.avg_cost + quantity * cost
    return (total / (level.on_hand + quantity)).quantize(CENT, rounding=ROUND_HALF_UP)


class _Posting:
    """The moves of one document over its locked levels."""

    def __init__(
        self, actor: Actor | None, levels: dict[Place, Level], free: Mapping[Place, Decimal]
    ):
        self.levels = levels
        self.free = dict(free)  # reserved units this document may take (and frees)
        self.negative = actor is not None and actor.has(Capability.NEGATIVE_STOCK)
        self.moves: list[tuple[int, int, Decimal, Decimal, Decimal]] = []  # line index: w, i, q…
        self.move_lines: list[int] = []

    def take(self, index: int, line: Line, warehouse: dict[str, Any]) -> Decimal:
        """Take the line's quantity out of the warehouse; the cost it leaves at."""
        place = (warehouse["id"], line.item["id"])
        level = self.levels[place]
        releasing = min(self.free.get(place, ZERO), line.quantity, level.reserved)
        available = level.on_hand - level.reserved + releasing
        if line.quantity > available and not self.negative:
            raise Conflict(
                "Only {available} {unit} of «{item}» are free in «{warehouse}»",
                field=f"{line.field}.quantity",
                available=f"{max(available, ZERO).normalize():f}",
                unit=line.item["unit"],
                item=line.item["name"],
                warehouse=warehouse["name"],
            )
        level.reserved -= releasing
        self.free[place] = self.free.get(place, ZERO) - releasing
        level.on_hand -= line.quantity
        self._move(index, place, -line.quantity, level.avg_cost)
        return level.avg_cost

    def bring(self, index: int, line: Line, warehouse: dict[str, Any], cost: Decimal) -> None:
        """Bring the line's quantity into the warehouse at `cost`."""
        place = (warehouse["id"], line.item["id"])
        level = self.levels[place]
        level.avg_cost = _mixed_cost(level, line.quantity, cost)
        level.on_hand += line.quantity
        self._move(index, place, line.quantity, cost)

    def correct(self, index: int, line: Line, warehouse: dict[str, Any]) -> tuple[Decimal, Decimal]:
        """Set the level to what was counted; (expected, difference)."""
        place = (warehouse["id"], line.item["id"])
        level = self.levels[place]
        expected, difference = level.on_hand, line.quantity - level.on_hand
        if difference:
            level.on_hand = line.quantity
            self._move(index, place, difference, level.avg_cost)
        return expected, difference

    def _move(self, index: int, place: Place, quantity: Decimal, cost: Decimal) -> None:
        level = self.levels[place]
        self.moves.append((place[0], place[1], quantity, cost, level.on_hand))
        self.move_lines.append(index)


async def post(
    actor: Actor | None,
    header: Header,
    lines: list[Line],
    free: Mapping[Place, Decimal] | None = None,
) -> int:
    """Post a checked document in the caller's transaction (or its own); its id.

    `free` names reserved units the document may take and thereby frees (an order's
    consumption of what was reserved for it).
    """
    kind = header.kind
    places = {(header.warehouse["id"], ln.item["id"]) for ln in lines}
    if header.to_warehouse is not None:
        places |= {(header.to_warehouse["id"], ln.item["id"]) for ln in lines}
    async with StockDocument._meta.db.transaction():
        now = dt.datetime.now(dt.UTC)
        levels = await lock_levels(places)
        if kind.sign < 0:
            await _check_serials(header, lines, levels)
        posting = _Posting(actor, levels, free or {})
        stored: list[dict[str, Any]] = []
        for index, line in enumerate(lines):
            expected = counted = None
            quantity, cost = line.quantity, line.unit_cost or ZERO
            if kind is DocumentKind.STOCKTAKE:
                counted = line.quantity
                expected, quantity = posting.correct(index, line, header.warehouse)
                cost = levels[(header.warehouse["id"], line.item["id"])].avg_cost
            elif kind.sign > 0:
                if line.unit_cost is None:
                    cost = levels[(header.warehouse["id"], line.item["id"])].avg_cost
                posting.bring(index, line, header.warehouse, cost)
            else:
                cost = posting.take(index, line, header.warehouse)
                if header.to_warehouse is not None:
                    posting.bring(index, line, header.to_warehouse, cost)
            stored.append(
                {
                    "item_id": line.item["id"],
                    "quantity": quantity,
                    "expected": expected,
                    "counted": counted,
                    "unit_cost": cost,
                    "serials": line.serials,
                    "order_line_id": line.order_line_id,
                }
            )
        number = await next_number(kind)
        document = StockDocument(
            number=number,
            kind=kind.value,
            warehouse_id=header.warehouse["id"],
            to_warehouse_id=header.to_warehouse["id"] if header.to_warehouse else None,
            supplier=header.supplier,
            supplier_document=header.supplier_document,
            order_id=header.order_id,
            order_number=header.order_number,
            reason=header.reason,
            note=header.note,
            corrects_id=header.corrects_id,
            author_id=(actor.employee_id or None) if actor else None,
            posted_at=now,
        )
        await document.save()
        line_ids = await _insert_lines(int(document.id), stored)
        await _insert_moves(int(document.id), line_ids, posting, now)
        arrived = {(m[0], m[1]) for m in posting.moves if m[2] > 0}
        await hold_waiting(levels, arrived)
        await save_levels(levels)
        vans = {
            w["id"]: w
            for w in (header.warehouse, header.to_warehouse)
            if w is not None and w["kind"] == "van"
        }
        await issue_to_vans(actor, vans, {p for p in arrived if p[0] in vans})
        await audit.record(
            actor,
            "stock_document",
            int(document.id),
            "post",
            {"number": [None, number], "kind": [None, kind.value], "lines": [None, len(lines)]},
        )
    return int(document.id)


async def _check_serials(header: Header, lines: list[Line], levels: dict[Place, Level]) -> None:
    """The serials a document takes out are on its warehouse's shelf, not chosen by another
    order's line (read under the levels' locks: two takings of one serial cannot both pass)."""
    for line in lines:
        if line.item["serial_tracked"] and line.serials:
            await serial_numbers.require_on_shelf(
                line.item,
                header.warehouse,
                line.serials,
                f"{line.field}.serials" if line.field else "serials",
                besides=line.order_line_id,
                on_hand=levels[(header.warehouse["id"], line.item["id"])].on_hand,
            )


async def _insert_lines(document_id: int, stored: list[dict[str, Any]]) -> list[int]:
    rows = await StockDocumentLine.insert(
        *[StockDocumentLine(document_id=document_id, **values) for values in stored]
    ).returning(StockDocumentLine.id)
    return [r["id"] for r in rows]


async def _insert_moves(
    document_id: int, line_ids: list[int], posting: _Posting, at: dt.datetime
) -> None:
    if not posting.moves:
        return
    await StockLevel.raw(
        "INSERT INTO stock_move (document_id, line_id, warehouse_id, item_id, quantity, "
        "unit_cost, on_hand_after, at) "
        "SELECT {}, l, w, i, q, c, a, {} FROM unnest({}::int[], {}::int[], {}::int[], "
        "{}::numeric[], {}::numeric[], {}::numeric[]) AS m(l, w, i, q, c, a)",
        document_id,
        at,
        [line_ids[i] for i in posting.move_lines],
        [m[0] for m in posting.moves],
        [m[1] for m in posting.moves],
        [m[2] for m in posting.moves],
        [m[3] for m in posting.moves],
        [m[4] for m in posting.moves],
    )
