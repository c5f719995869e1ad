"""The moves ledger: every change of a level in the warehouses the actor sees, newest first,
narrowed by warehouse, item (or words of its name, article, codes), document kind and period.
An item's history is the ledger of that one item. Orders are named only to whoever may read
them (stock.order_scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server import clock
from server.actor import Actor
from server.errors import InvalidInput, NotFound
from server.i18n import gettext
from server.search import like_escaped
from server.staff.permissions import Action, Section
from server.stock import access, items, order_scope
from server.stock.choices import DocumentKind
from server.stock.schemas import MoveOut
from server.stock.tables import StockMove

PAGE = 50
SELECT = (
    "SELECT m.id, m.at, m.document_id, d.number, d.kind, m.warehouse_id, w.name AS warehouse, "
    "m.item_id, i.name AS item_name, i.article, i.unit, m.quantity, m.on_hand_after, "
    "m.unit_cost, d.order_id, d.order_number, "
    "(SELECT ln.serials FROM stock_document_line ln WHERE ln.id = m.line_id) AS serials "
    "FROM stock_move m JOIN stock_document d ON d.id = m.document_id "
    "JOIN stock_warehouse w ON w.id = m.warehouse_id JOIN stock_item i ON i.id = m.item_id "
)


class MoveFilters(msgspec.Struct, frozen=True):
    """What the ledger is narrowed to; the period is of the center's days, both included."""

    q: str = ""
    warehouse_id: int | None = None
    item_id: int | None = None
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


async def _conditions(actor: Actor, filters: MoveFilters) -> tuple[list[str], list[Any]]:
    """The WHERE terms and their parameters; the warehouse, kind and period are checked."""
    visible = await access.visible_ids(actor)
    if filters.warehouse_id is not None:
        await access.warehouse(actor, filters.warehouse_id, field="warehouse_id")
        visible = [filters.warehouse_id]
    if filters.kind and filters.kind not in DocumentKind._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field="kind")
    start, end = filters.date_from, filters.date_to
    if start is not None and end is not None and end < start:
        raise InvalidInput("The period ends before it starts", field="date_to")
    where: list[str] = []
    params: list[Any] = []
    if visible is not None:
        where.append("m.warehouse_id = ANY({})")
        params.append(visible)
    if filters.item_id is not None:
        where.append("m.item_id = {}")
        params.append(filters.item_id)
    words = filters.q.lower().split()[:8]
    if words:
        matching = " AND ".join(["search_text ILIKE {}"] * len(words))
        where.append(f"m.item_id = ANY(ARRAY(SELECT id FROM stock_item WHERE {matching}))")
        params += [f"%{like_escaped(w)}%" for w in words]
    if filters.kind:
        where.append("d.kind = {}")
        params.append(filters.kind)
    if start is not None:
        where.append("m.at >= {}")
        params.append(clock.day_start(start))
    if end is not None:
        where.append("m.at < {}")
        params.append(clock.day_start(end + dt.timedelta(days=1)))
    return where, params


def _move(row: dict[str, Any], costs: bool, shown: set[int]) -> MoveOut:
    order = row["order_id"]
    return MoveOut(
        id=row["id"],
        at=row["at"],
        document_id=row["document_id"],
        document_number=row["number"],
        document_kind=row["kind"],
        document_kind_label=gettext(DocumentKind(row["kind"]).label),
        warehouse_id=row["warehouse_id"],
        warehouse_name=row["warehouse"],
        item_id=row["item_id"],
        item_name=row["item_name"],
        article=row["article"],
        unit=row["unit"],
        quantity=row["quantity"],
        on_hand_after=row["on_hand_after"],
        unit_cost=row["unit_cost"] if costs else None,
        order_id=order if order in shown else None,
        order_number=row["order_number"] if order in shown else "",
        order_hidden=order is not None and order not in shown,
        serials=list(row["serials"] or []),
    )


async def list_moves(
    actor: Actor, filters: MoveFilters, *, before: int = 0, limit: int = PAGE
) -> tuple[list[MoveOut], int | None]:
    """Moves the actor sees, newest first; keyset-paged (`before`: the id of the last one).

    Newest is by id, or by time (then id) when a period is asked: moves are numbered as they
    are posted, but the planner does not know that ids follow time, and walks the ids down from
    the newest move to the period's end (every move since, for a month two years back). By
    time the (at, id) index starts at the period's end.
    """
    where, params = await _conditions(actor, filters)
    dated = filters.date_from is not None or filters.date_to is not None
    if before:
        if dated:
            where.append("(m.at, m.id) < (SELECT at, id FROM stock_move WHERE id = {})")
        else:
            where.append("m.id < {}")
        params.append(before)
    condition = " AND ".join(where) or "TRUE"
    order = "m.at DESC, m.id DESC" if dated else "m.id DESC"
    rows = await StockMove.raw(
        f"{SELECT}WHERE {condition} ORDER BY {order} LIMIT {int(limit) + 1}", *params
    )
    more = len(rows) > limit
    rows = rows[:limit]
    shown = await order_scope.readable(actor, [r["order_id"] for r in rows])
    costs = access.sees_costs(actor)
    return [_move(r, costs, shown) for r in rows], (rows[-1]["id"] if more else None)


async def count_moves(actor: Actor, filters: MoveFilters) -> int:
    """How many moves the filters select for the actor."""
    where, params = await _conditions(actor, filters)
    joined = "JOIN stock_document d ON d.id = m.document_id " if filters.kind else ""
    rows = await StockMove.raw(
        f"SELECT count(*) AS n FROM stock_move m {joined}WHERE {' AND '.join(where) or 'TRUE'}",
        *params,
    )
    return int(rows[0]["n"])


async def history(
    actor: Actor,
    item_id: int,
    *,
    warehouse_id: int | None = None,
    before: int = 0,
    limit: int = PAGE,
) -> tuple[list[MoveOut], int | None]:
    """An item's moves in the warehouses the actor sees, newest first."""
    actor.require(Section.STOCK, Action.VIEW)
    if not await items.rows_of([item_id]):
        raise NotFound("No stock item with id {id}", id=item_id)
    filters = MoveFilters(item_id=item_id, warehouse_id=warehouse_id)
    return await list_moves(actor, filters, before=before, limit=limit)
