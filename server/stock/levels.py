"""Reading stock: levels per warehouse and what is short (orders named only to whoever may
read them). An item's history is in stock.moves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from server.actor import Actor
from server.search import like_escaped
from server.stock import access, items, order_scope
from server.stock.schemas import LevelOut, ShortageOut
from server.stock.tables import StockLevel, StockReservation

ZERO = Decimal("0")
MAX_LEVELS = 2000  # the list's rows (an export asks for more)


async def list_levels(
    actor: Actor,
    *,
    q: str = "",
    warehouse_id: int | None = None,
    item_id: int | None = None,
    low: bool = False,
    limit: int = MAX_LEVELS,
) -> list[LevelOut]:
    """Levels the actor sees, by item name then warehouse: those holding or reserving something
    or with a minimum (all of one item's), or (low) those at or under the item's minimum."""
    visible = await access.visible_ids(actor)
    if warehouse_id is not None:
        await access.warehouse(actor, warehouse_id, field="warehouse_id")
        visible = [warehouse_id]
    where = ["TRUE" if item_id else "(l.on_hand <> 0 OR l.reserved <> 0 OR i.min_level > 0)"]
    params: list[Any] = []
    if visible is not None:
        where.append("l.warehouse_id = ANY({})")
        params.append(visible)
    if item_id is not None:
        where.append("l.item_id = {}")
        params.append(item_id)
    for word in q.lower().split()[:8]:
        where.append("i.search_text ILIKE {}")
        params.append(f"%{like_escaped(word)}%")
    if low:
        where.append("i.min_level > 0 AND l.on_hand - l.reserved <= i.min_level")
    rows = await StockLevel.raw(
        "SELECT l.warehouse_id, w.name AS warehouse_name, l.item_id, i.name AS item_name, "
        "i.article, i.unit, l.on_hand, l.reserved, i.min_level, l.avg_cost "
        "FROM stock_level l JOIN stock_item i ON i.id = l.item_id "
        "JOIN stock_warehouse w ON w.id = l.warehouse_id "
        f"WHERE {' AND '.join(where)} ORDER BY i.name, i.id, w.name LIMIT {int(limit)}",
        *params,
    )
    costs = access.sees_costs(actor)
    return [
        LevelOut(
            warehouse_id=r["warehouse_id"],
            warehouse_name=r["warehouse_name"],
            item_id=r["item_id"],
            item_name=r["item_name"],
            article=r["article"],
            unit=r["unit"],
            on_hand=r["on_hand"],
            reserved=r["reserved"],
            available=r["on_hand"] - r["reserved"],
            min_level=r["min_level"],
            avg_cost=r["avg_cost"] if costs else None,
        )
        for r in rows
    ]


async def item_levels(actor: Actor, item_id: int) -> list[LevelOut]:
    """An item's level in each warehouse the actor sees."""
    await items.get_item(actor, item_id)
    return await list_levels(actor, item_id=item_id)


async def shortages(actor: Actor) -> list[ShortageOut]:
    """Items under their minimum over the warehouses the actor sees, or that open orders wait
    for in them, with what to order: back up to the minimum plus what the orders wait for.
    Everything is summed over those warehouses only: what waits in another would tell its
    numbers through the sums."""
    visible = await access.visible_ids(actor)
    where, params = "TRUE", []
    if visible is not None:
        where = "warehouse_id = ANY({})"
        params = [visible, visible]
    rows = await StockLevel.raw(
        "WITH held AS (SELECT item_id, sum(on_hand) AS on_hand, sum(reserved) AS reserved "
        f"FROM stock_level WHERE {where} GROUP BY item_id), "
        "waiting AS (SELECT item_id, sum(quantity - held) AS waiting FROM stock_reservation "
        f"WHERE quantity > held AND {where} GROUP BY item_id) "
        "SELECT i.id, i.name, i.article, i.unit, i.min_level, "
        "coalesce(h.on_hand, 0) AS on_hand, coalesce(h.reserved, 0) AS reserved, "
        "coalesce(w.waiting, 0) AS waiting "
        "FROM stock_item i LEFT JOIN held h ON h.item_id = i.id "
        "LEFT JOIN waiting w ON w.item_id = i.id "
        "WHERE i.is_active AND (coalesce(w.waiting, 0) > 0 OR (i.min_level > 0 AND "
        "coalesce(h.on_hand, 0) - coalesce(h.reserved, 0) < i.min_level)) "
        f"ORDER BY i.name, i.id LIMIT {MAX_LEVELS}",
        *params,
    )
    waiting = await _waiting_orders(actor, [r["id"] for r in rows if r["waiting"] > 0], visible)
    out = []
    for r in rows:
        numbers, hidden = waiting.get(r["id"], ([], 0))
        free = r["on_hand"] - r["reserved"]
        to_minimum = max(r["min_level"] - free, ZERO)
        out.append(
            ShortageOut(
                item_id=r["id"],
                item_name=r["name"],
                article=r["article"],
                unit=r["unit"],
                on_hand=r["on_hand"],
                reserved=r["reserved"],
                min_level=r["min_level"],
                waiting=r["waiting"],
                suggested=to_minimum + r["waiting"],
                orders=numbers,
                hidden_orders=hidden,
            )
        )
    return out


async def _waiting_orders(
    actor: Actor, item_ids: list[int], visible: list[int] | None
) -> dict[int, tuple[list[str], int]]:
    """{item: (numbers of the orders waiting for it in the warehouses the actor sees that the
    actor may read, how many others)}."""
    if not item_ids:
        return {}
    where, params = "", []
    if visible is not None:
        where, params = " AND warehouse_id = ANY({})", [visible]
    rows = await StockReservation.raw(
        "SELECT DISTINCT item_id, order_id, order_number FROM stock_reservation "
        f"WHERE quantity > held AND item_id = ANY({{}}){where}",
        item_ids,
        *params,
    )
    shown = await order_scope.readable(actor, [r["order_id"] for r in rows])
    found: dict[int, tuple[list[str], int]] = {}
    for r in rows:
        numbers, hidden = found.get(r["item_id"], ([], 0))
        if r["order_id"] in shown:
            numbers = sorted({*numbers, r["order_number"]})
        else:
            hidden += 1
        found[r["item_id"]] = (numbers, hidden)
    return found
