"""Reading supplier orders: one with its lines, history and receipts, and the list with filters
and a keyset cursor.

The purchasing section shows every supplier order to those who may view it; the repair orders
its lines are for follow the orders' scope (see serialize). Searching by a repair order's
number finds only orders in the caller's scope, so a search cannot tell what exists there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.columns.combination import WhereRaw

from server import cursor as cursor_codec
from server.actor import Actor
from server.errors import InvalidInput, NotFound
from server.orders import api as orders
from server.purchasing import expertise_view
from server.purchasing.schemas import SupplierOrderOut
from server.purchasing.serialize import (
    history_out,
    names_for,
    order_out,
    receipt_out,
)
from server.purchasing.tables import (
    SupplierOrder,
    SupplierOrderEvent,
    SupplierOrderLine,
    SupplierReceipt,
)
from server.search import prefix_query
from server.staff.permissions import Action, Section

LIST_PURPOSE = "supplier_orders"
COLUMNS = SupplierOrder.all_columns(exclude=[SupplierOrder.search_text])


async def order_row(actor: Actor, order_id: int, *, for_update: bool = False) -> dict[str, Any]:
    """The supplier order's row for one who may view the section, or 404; `for_update` locks
    it until the surrounding transaction ends."""
    actor.require(Section.PURCHASING, Action.VIEW)
    query = SupplierOrder.select(*COLUMNS).where(SupplierOrder.id == order_id)
    row: dict[str, Any] | None = await query.first()
    if row is None:
        raise NotFound("No supplier order with id {id}", id=order_id)
    if for_update:
        await SupplierOrder.raw(
            "SELECT id FROM purchasing_order WHERE id = {} FOR UPDATE", order_id
        )
        row = await query.first()
        assert row is not None
    return row


async def lines_of(order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{supplier order: its lines in the order they were added} (one query)."""
    if not order_ids:
        return {}
    rows = (
        await SupplierOrderLine.select()
        .where(SupplierOrderLine.order.is_in(sorted(set(order_ids))))
        .order_by(SupplierOrderLine.id)
    )
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in order_ids}
    for row in rows:
        found[row["order"]].append(row)
    return found


async def get(actor: Actor, order_id: int) -> SupplierOrderOut:
    """One supplier order with its lines, history (oldest first) and receipts."""
    row = await order_row(actor, order_id)
    lines = (await lines_of([order_id]))[order_id]
    events = await (
        SupplierOrderEvent.select()
        .where(SupplierOrderEvent.order == order_id)
        .order_by(SupplierOrderEvent.at)
        .order_by(SupplierOrderEvent.id)
    )
    receipts = await (
        SupplierReceipt.select()
        .where(SupplierReceipt.order == order_id)
        .order_by(SupplierReceipt.id)
    )
    people = {e["author"] for e in events if e["author"]}
    people |= {r["author"] for r in receipts if r["author"]}
    names = await names_for(actor, [row], lines, people)
    names.expertise.update(await expertise_view.of_lines(actor, [ln["id"] for ln in lines]))
    return order_out(
        actor,
        row,
        names,
        lines,
        [history_out(e, names) for e in events],
        [receipt_out(r, names) for r in receipts],
    )


def _after(cursor: str) -> WhereRaw:
    at, last_id = cursor_codec.decode(LIST_PURPOSE, cursor, 2)
    try:
        moment = dt.datetime.fromisoformat(str(at))
    except ValueError:
        raise InvalidInput(
            "The page cursor is damaged; open the list again", field="cursor"
        ) from None
    return WhereRaw("(created_at, id) < ({}, {})", moment, int(last_id))


async def _repair_matches(actor: Actor, q: str) -> list[int]:
    """Supplier orders with a line for the repair order of that number, if the caller sees it."""
    word = q.strip()
    if not word or " " in word or not actor.can(Section.ORDERS, Action.VIEW):
        return []
    try:
        repair_id = await orders.order_id_by_number(actor, word)
    except NotFound:
        return []
    rows = await SupplierOrderLine.select(SupplierOrderLine.order).where(
        SupplierOrderLine.repair_order_id == repair_id
    )
    return sorted({r["order"] for r in rows})


def _filtered(query: Any, filters: dict[str, Any]) -> Any:
    for column, key in (
        (SupplierOrder.status, "status"),
        (SupplierOrder.supplier, "supplier_id"),
        (SupplierOrder.warehouse_id, "warehouse_id"),
    ):
        if filters.get(key) is not None:
            query = query.where(column == filters[key])
    return query


async def list_orders(
    actor: Actor,
    *,
    status: str | None = None,
    supplier_id: int | None = None,
    warehouse_id: int | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
    with_lines: bool = False,
) -> tuple[list[SupplierOrderOut], str | None]:
    """Supplier orders, newest first, keyset-paged (the cursor is signed); `q` finds by number,
    supplier, note, or the number of a repair order the caller sees. `with_lines` (exports)
    gives each its lines too, in the same few queries."""
    actor.require(Section.PURCHASING, Action.VIEW)
    filters = {"status": status, "supplier_id": supplier_id, "warehouse_id": warehouse_id}
    query = _filtered(SupplierOrder.select(*COLUMNS), filters)
    typed = prefix_query(q)
    if typed:
        text = WhereRaw("to_tsvector('simple', search_text) @@ to_tsquery('simple', {})", typed)
        repairs = await _repair_matches(actor, q)
        query = query.where(text | SupplierOrder.id.is_in(repairs) if repairs else text)
    if cursor:
        query = query.where(_after(cursor))
    rows = await (
        query.order_by(SupplierOrder.created_at, ascending=False)
        .order_by(SupplierOrder.id, ascending=False)
        .limit(limit + 1)
    )
    page = rows[:limit]
    following = None
    if len(rows) > limit:
        last = page[-1]
        following = cursor_codec.encode(LIST_PURPOSE, [last["created_at"].isoformat(), last["id"]])
    lines = await lines_of([r["id"] for r in page])
    shown = [ln for r in page for ln in lines[r["id"]]] if with_lines else []
    names = await names_for(actor, page, shown, set())
    items = [order_out(actor, r, names, lines[r["id"]], with_lines=with_lines) for r in page]
    return items, following
