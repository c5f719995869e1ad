"""A big center's stock for bench_stock: warehouses, items, and documents whose moves add up to
the levels, loaded with COPY (asyncpg) in chunks.

Four stores and vans for the rest; items named as a repair center's parts (part, brand, model),
a third with a minimum; documents as a center posts them over three years: receipts from
suppliers into the stores, transfers to the vans, write-offs into orders (from the vans mostly),
returns from orders, write-offs and stocktakes. A few items are moved far more than the rest,
so an item's history runs from a handful of moves to tens of thousands.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

PARTS = (
    "Насос сливной", "Тэн", "Ремень приводной", "Подшипник", "Сальник", "Амортизатор",
    "Манжета люка", "Модуль управления", "Термостат", "Клапан заливной", "Щётки мотора",
    "Датчик температуры", "Замок люка", "Шланг сливной", "Фильтр", "Уплотнитель двери",
    "Компрессор", "Вентилятор", "Реле пусковое", "Конденсатор",
)  # fmt: skip
BRANDS = ("Bosch", "Indesit", "Samsung", "LG", "Electrolux", "Ariston", "Beko", "Atlant",
          "Haier", "Candy")  # fmt: skip
STORES = 4
CHUNK = 50_000  # moves per COPY
SPAN = dt.timedelta(days=3 * 365)
KINDS = ("receipt", "transfer", "consumption", "order_return", "write_off", "stocktake")
KIND_WEIGHTS = (14, 30, 45, 4, 5, 2)
PREFIX = {"receipt": "ПР", "transfer": "ПМ", "consumption": "РЗ", "order_return": "ВЗ",
          "write_off": "СП", "stocktake": "ИН"}  # fmt: skip
DOCUMENT = ("id", "number", "kind", "warehouse_id", "to_warehouse_id", "supplier",
            "supplier_document", "order_id", "order_number", "reason", "note", "corrects_id",
            "author_id", "posted_at")  # fmt: skip
LINE = ("id", "document_id", "item_id", "quantity", "expected", "counted", "unit_cost",
        "serials", "order_line_id")  # fmt: skip
MOVE = ("id", "document_id", "line_id", "warehouse_id", "item_id", "quantity", "unit_cost",
        "on_hand_after", "at")  # fmt: skip


def warehouses(count: int, master_id: int, now: dt.datetime) -> list[tuple[Any, ...]]:
    """Stores 1..4, then vans; the first van is `master_id`'s."""
    rows = []
    for n in range(1, count + 1):
        store = n <= STORES
        name = f"Склад {n}" if store else f"Фургон {n - STORES}"
        master = None if store else (master_id if n == STORES + 1 else 100_000 + n)
        rows.append((n, "store" if store else "van", name, "", master, [], True, now, now))
    return rows


def items(count: int, now: dt.datetime) -> list[tuple[Any, ...]]:
    """Parts of brands and models, with their search words; a third has a minimum of 3."""
    rows = []
    for n, (part, brand, model) in enumerate(itertools.product(PARTS, BRANDS, range(1, 11)), 1):
        if n > count:
            break
        name = f"{part} {brand} {model:03d}"
        article = f"{brand[:3].upper()}-{n:05d}"
        minimum = Decimal(3) if n % 3 == 0 else Decimal(0)
        text = f"{name} {article}".lower()
        rows.append((n, None, "part", name, article, [], [], "", "шт", True, minimum, False,
                     True, text, now, now))  # fmt: skip
    return rows


class Ledger:
    """Documents, lines and moves as they are made, their levels kept as running totals."""

    def __init__(self, items: int, warehouses: int, moves: int, start: dt.datetime) -> None:
        self.rng = random.Random(16)
        self.items = list(range(1, items + 1))
        rank = list(range(1, items + 1))
        self.rng.shuffle(rank)
        self.weights = [1 / r**0.9 for r in rank]  # a few busy items, a long tail
        self.stores = list(range(1, STORES + 1))
        self.vans = list(range(STORES + 1, warehouses + 1))
        self.cost = {i: Decimal(f"{self.rng.randint(150, 9000)}.{self.rng.randint(0, 99):02d}")
                     for i in self.items}  # fmt: skip
        self.on_hand: dict[tuple[int, int], int] = defaultdict(int)
        self.total = moves
        self.start = start
        self.ids = {"document": 0, "line": 0, "move": 0}
        self.numbers: dict[str, int] = defaultdict(int)
        self.decimals = {n: Decimal(n) for n in range(-100, 2001)}

    def _d(self, n: int) -> Decimal:
        return self.decimals.get(n) or Decimal(n)

    def _next(self, key: str) -> int:
        self.ids[key] += 1
        return self.ids[key]

    def chunks(self) -> Iterator[tuple[list[Any], list[Any], list[Any]]]:
        """(documents, lines, moves) of about CHUNK moves each, until the moves are made."""
        docs: list[Any] = []
        lines: list[Any] = []
        moves: list[Any] = []
        while self.ids["move"] < self.total:
            self._document(docs, lines, moves)
            if len(moves) >= CHUNK:
                yield docs, lines, moves
                docs, lines, moves = [], [], []
        if moves:
            yield docs, lines, moves

    def _document(self, docs: list[Any], lines: list[Any], moves: list[Any]) -> None:
        rng = self.rng
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        source = rng.choice(self.stores)
        target = None
        if kind == "transfer":
            target = rng.choice(self.vans)
        elif kind in ("consumption", "write_off") and rng.random() < 0.7:
            source = rng.choice(self.vans)
        at = self.start + SPAN * (self.ids["move"] / self.total)
        doc_id = self._next("document")
        count = rng.randint(1, 6 if kind == "receipt" else 3)
        chosen = set(rng.choices(self.items, self.weights, k=count))
        made = 0
        for item in sorted(chosen):
            made += self._line(kind, doc_id, item, source, target, at, lines, moves)
        if not made:
            self.ids["document"] -= 1
            return
        self.numbers[kind] += 1
        number = f"{PREFIX[kind]}-{self.numbers[kind]:06d}"
        order = rng.randint(1, 400_000) if kind in ("consumption", "order_return") else None
        docs.append((doc_id, number, kind, source, target,
                     "ООО Запчасть" if kind == "receipt" else "", "", order,
                     f"26-{order:06d}" if order else "", "Брак" if kind == "write_off" else "",
                     "", None, None, at))  # fmt: skip

    def _line(
        self,
        kind: str,
        doc_id: int,
        item: int,
        source: int,
        target: int | None,
        at: dt.datetime,
        lines: list[Any],
        moves: list[Any],
    ) -> int:
        """Add the line and its moves; 0 when the warehouse lacks what it would take."""
        rng = self.rng
        quantity = {"receipt": rng.randint(5, 40), "transfer": rng.randint(1, 5)}.get(kind, 1)
        if kind == "stocktake":
            quantity = rng.choice((-1, 1, 2))
        change = quantity * {"receipt": 1, "order_return": 1, "stocktake": 1}.get(kind, -1)
        have = self.on_hand[(source, item)]
        if change < 0 and have < -change:
            return 0
        line_id = self._next("line")
        cost = self.cost[item]
        expected = counted = None
        if kind == "stocktake":
            expected, counted = self._d(have), self._d(have + quantity)
        lines.append((line_id, doc_id, item, self._d(quantity), expected, counted, cost, [],
                      None))  # fmt: skip
        places = [(source, change)]
        if target is not None:
            places.append((target, quantity))
        for warehouse, change in places:
            self.on_hand[(warehouse, item)] += change
            after = self._d(self.on_hand[(warehouse, item)])
            moves.append((self._next("move"), doc_id, line_id, warehouse, item, self._d(change),
                          cost, after, at))  # fmt: skip
        return 1

    def levels(self, now: dt.datetime) -> list[tuple[Any, ...]]:
        """The levels the moves add up to."""
        return [
            (n, w, i, self._d(q), Decimal(0), self.cost[i], now)
            for n, ((w, i), q) in enumerate(sorted(self.on_hand.items()), 1)
        ]


async def fill(
    url: str, *, items_count: int, warehouses_count: int, moves: int, master: int
) -> int:
    """Load the stock into the (migrated, empty) database; the documents made."""
    import asyncpg

    now = dt.datetime.now(dt.UTC)
    ledger = Ledger(items_count, warehouses_count, moves, now - SPAN)
    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table(
            "stock_warehouse",
            records=warehouses(warehouses_count, master, now),
            columns=("id", "kind", "name", "address", "master_id", "keeper_ids", "is_active",
                     "created_at", "updated_at"),
        )  # fmt: skip
        await conn.copy_records_to_table(
            "stock_item",
            records=items(items_count, now),
            columns=("id", "price_item_id", "kind", "name", "article", "manufacturer_codes",
                     "compatible", "barcode", "unit", "whole", "min_level", "serial_tracked",
                     "is_active", "search_text", "created_at", "updated_at"),
        )  # fmt: skip
        for docs, lines, made in ledger.chunks():
            await conn.copy_records_to_table("stock_document", records=docs, columns=DOCUMENT)
            await conn.copy_records_to_table("stock_document_line", records=lines, columns=LINE)
            await conn.copy_records_to_table("stock_move", records=made, columns=MOVE)
        await conn.copy_records_to_table(
            "stock_level",
            records=ledger.levels(now),
            columns=("id", "warehouse_id", "item_id", "on_hand", "reserved", "avg_cost",
                     "updated_at"),
        )  # fmt: skip
        for table in ("stock_warehouse", "stock_item", "stock_document", "stock_document_line",
                      "stock_move", "stock_level"):  # fmt: skip
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        for kind, last in ledger.numbers.items():
            await conn.execute(
                "INSERT INTO stock_number_counter (prefix, last) VALUES ($1, $2)",
                PREFIX[kind],
                last,
            )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return ledger.ids["document"]
