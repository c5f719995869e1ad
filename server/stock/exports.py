"""Stock lists as XLSX (stock:export): the levels and the moves ledger, with the filters of their
pages and through the same reads, so a warehouse one does not see never appears, costs only for
whoever may see them and orders only to whoever may read them.

The workbook is written off the event loop by the documents domain's export (a temporary file,
removed once sent); the ledger is read page by page as the file is written. Past the export
threshold (SERVIO_EXPORT_BACKGROUND_ROWS, as the orders' exports) the answer is 202 and the file
is written by the documents domain's export job, as the employee who asked and with their
permissions then, into their downloads (/downloads): the lists are registered with it here
(`register_list`), and server.stock.jobs imports this module into the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Iterable
from typing import Any

import msgspec
from litestar import MediaType
from litestar.response import File, Response

import printforms
from server import clock
from server.actor import Actor
from server.documents.downloads import export_now
from server.documents.exports import ExportSpec, Prepared, background_threshold, register_list
from server.documents.jobs import start_background
from server.documents.schemas import DownloadOut
from server.errors import InvalidInput
from server.i18n import N_, current_language, gettext
from server.staff.permissions import Action, Section
from server.stock import access, levels, moves
from server.stock.moves import MoveFilters
from server.stock.schemas import LevelOut, MoveOut

MAX_ROWS = 1_000_000  # an export past this is refused (a sheet holds 1,048,576 rows)
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


class LevelFilters(msgspec.Struct, frozen=True):
    """The levels list's filters, as an export keeps them."""

    q: str = ""
    warehouse_id: int | None = None
    low: bool = False


async def prepare_levels(actor: Actor, spec: ExportSpec) -> Prepared:
    """The levels of the list (the same filters), checked and ready to write."""
    actor.require(Section.STOCK, Action.EXPORT)
    filters = msgspec.convert(spec.filters, LevelFilters)
    found = await levels.list_levels(
        actor, q=filters.q, warehouse_id=filters.warehouse_id, low=filters.low,
        limit=MAX_ROWS + 1,
    )  # fmt: skip
    _too_many(len(found))
    columns = _columns(LEVEL_COLUMNS, actor)
    keys = [c.key for c in columns]

    async def pages() -> Pages:
        yield [level_cells(level, keys) for level in found]

    async def count() -> int:
        return len(found)

    return Prepared(
        columns, pages(), gettext("Stock levels"), f"stock-levels-{_stamp()}.xlsx", count
    )


async def prepare_moves(actor: Actor, spec: ExportSpec) -> Prepared:
    """The moves of the ledger (the same filters, newest first), checked and ready to write:
    read page by page as the file is written."""
    actor.require(Section.STOCK, Action.EXPORT)
    filters = msgspec.convert(spec.filters, MoveFilters)
    total = await moves.count_moves(actor, filters)
    _too_many(total)
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

    async def count() -> int:
        return total

    return Prepared(columns, pages(), gettext("Stock moves"), f"stock-moves-{_stamp()}.xlsx", count)


register_list("stock_levels", prepare_levels)
register_list("stock_moves", prepare_moves)


async def _run(actor: Actor, spec: ExportSpec) -> File | Response[DownloadOut]:
    """The file now, or past the threshold a download written in the background (202)."""
    prepared = await (prepare_levels if spec.list_name == "stock_levels" else prepare_moves)(
        actor, spec
    )
    if await prepared.count() > background_threshold():
        await prepared.rows.aclose()
        download = await start_background(actor, spec, prepared.file_name)
        return Response(
            download,
            status_code=202,
            headers={"Location": "/api/v1/downloads"},
            media_type=MediaType.JSON,  # the routes' own type is XLSX
        )
    return await export_now(prepared.columns, prepared.rows, prepared.title, prepared.file_name)


def _spec(list_name: str, filters: msgspec.Struct) -> ExportSpec:
    return ExportSpec(
        list_name=list_name,
        filters=msgspec.to_builtins(filters),
        sort="",
        columns=[],
        language=current_language.get(),
    )


async def levels_xlsx(
    actor: Actor, *, q: str, warehouse_id: int | None, low: bool
) -> File | Response[DownloadOut]:
    """The levels of the list (the same filters) as an XLSX file (202: in the background)."""
    filters = LevelFilters(q=q, warehouse_id=warehouse_id, low=low)
    return await _run(actor, _spec("stock_levels", filters))


async def moves_xlsx(actor: Actor, filters: MoveFilters) -> File | Response[DownloadOut]:
    """The moves of the ledger (the same filters) as an XLSX file, newest first (202: in the
    background)."""
    return await _run(actor, _spec("stock_moves", filters))
