"""Stock lists as XLSX (stock:export): the levels and the moves ledger, with the filters of their
pages and through the same reads, so a warehouse one does not see never appears, costs only for
whoever may see them and orders only to whoever may read them.

The workbook is written off the event loop by the documents domain's export (a temporary file,
removed once sent); the ledger is read page by page as the file is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Iterable
from typing import Any

from litestar.response import File

import printforms
from server import clock
from server.actor import Actor
from server.documents.downloads import export_now
from server.errors import InvalidInput
from server.i18n import N_, gettext
from server.staff.permissions import Action, Section
from server.stock import access, levels, moves
from server.stock.moves import MoveFilters
from server.stock.schemas import LevelOut, MoveOut

MAX_ROWS = 100_000  # an export past this is refused: narrow the filters or the period
PAGE_SIZE = 1000
COSTS = frozenset({"avg_cost", "unit_cost"})
# key, header, kind, width
LEVEL_COLUMNS = (
    ("item_name", N_("Item"), "text", 40.0),
    ("article", N_("Article"), "text", 16.0),
    ("warehouse_name", N_("Warehouse"), "text", 28.0),
    ("unit", N_("Unit"), "text", 8.0),
    ("on_hand", N_("On hand"), "decimal", None),
    ("reserved", N_("Reserved"), "decimal", None),
    ("available", N_("Free"), "decimal", None),
    ("min_level", N_("Minimum"), "decimal", None),
    ("avg_cost", N_("Average cost"), "money", None),
)
MOVE_COLUMNS = (
    ("at", N_("When"), "datetime", None),
    ("document_number", N_("Document"), "text", 14.0),
    ("document_kind_label", N_("Kind"), "text", 26.0),
    ("item_name", N_("Item"), "text", 40.0),
    ("article", N_("Article"), "text", 16.0),
    ("warehouse_name", N_("Warehouse"), "text", 28.0),
    ("quantity", N_("Quantity"), "decimal", None),
    ("unit", N_("Unit"), "text", 8.0),
    ("on_hand_after", N_("Left"), "decimal", None),
    ("unit_cost", N_("Cost"), "money", None),
    ("order_number", N_("Order"), "text", 14.0),
)

Pages = AsyncGenerator[list[list[Any]], None]


def _columns(spec: Iterable[tuple[str, str, str, float | None]], actor: Actor) -> list[Any]:
    """The columns the actor may see (costs only with the purchase price), headers translated."""
    costs = access.sees_costs(actor)
    return [
        printforms.Column(key, gettext(title), kind, width)  # type: ignore[arg-type]
        for key, title, kind, width in spec
        if costs or key not in COSTS
    ]


def _too_many(count: int) -> None:
    if count > MAX_ROWS:
        raise InvalidInput(
            "Too many rows to export ({count}); narrow the filters to {limit} at most",
            count=count,
            limit=MAX_ROWS,
        )


def _stamp() -> str:
    return dt.datetime.now(clock.zone()).strftime("%Y%m%d-%H%M")


def level_cells(level: LevelOut, keys: list[str]) -> list[Any]:
    """One exported level."""
    return [getattr(level, key) for key in keys]


def move_cells(move: MoveOut, keys: list[str]) -> list[Any]:
    """One exported move: its time on the center's clock, an order one may not read as such."""
    cells: list[Any] = []
    for key in keys:
        value = getattr(move, key)
        if key == "at":
            value = clock.local(move.at)
        elif key == "order_number" and move.order_hidden:
            value = gettext("order hidden")
        cells.append(value)
    return cells


async def levels_xlsx(actor: Actor, *, q: str, warehouse_id: int | None, low: bool) -> File:
    """The levels of the list (the same filters) as an XLSX file."""
    actor.require(Section.STOCK, Action.EXPORT)
    found = await levels.list_levels(
        actor, q=q, warehouse_id=warehouse_id, low=low, limit=MAX_ROWS + 1
    )
    _too_many(len(found))
    columns = _columns(LEVEL_COLUMNS, actor)
    keys = [c.key for c in columns]

    async def pages() -> Pages:
        yield [level_cells(level, keys) for level in found]

    title = gettext("Stock levels")
    return await export_now(columns, pages(), title, f"stock-levels-{_stamp()}.xlsx")


async def moves_xlsx(actor: Actor, filters: MoveFilters) -> File:
    """The moves of the ledger (the same filters) as an XLSX file, newest first."""
    actor.require(Section.STOCK, Action.EXPORT)
    _too_many(await moves.count_moves(actor, filters))
    columns = _columns(MOVE_COLUMNS, actor)
    keys = [c.key for c in columns]

    async def pages() -> Pages:
        before = 0
        while True:
            found, after = await moves.list_moves(actor, filters, before=before, limit=PAGE_SIZE)
            yield [move_cells(move, keys) for move in found]
            if after is None:
                return
            before = after

    title = gettext("Stock moves")
    return await export_now(columns, pages(), title, f"stock-moves-{_stamp()}.xlsx")
