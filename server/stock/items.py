"""Keeping stock items and finding them by name, article, code, barcode or compatible model."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.columns.combination import And, Or
from piccolo.query.methods.select import Count

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.search import like_escaped
from server.staff.permissions import Action, Section
from server.stock import access, quantities, uses
from server.stock.schemas import ItemIn, ItemOut, ItemPatch
from server.stock.tables import StockItem, StockLevel

ZERO = Decimal("0")
KINDS = ("good", "part")
PAGE = 50


def search_text(values: dict[str, Any]) -> str:
    """What a search looks in: name, article, codes, barcode and models, lowercased."""
    words = [
        values.get("name", ""),
        values.get("article", ""),
        values.get("barcode", ""),
        *values.get("manufacturer_codes", []),
        *values.get("compatible", []),
    ]
    return " ".join(w for w in words if w).lower()


def _words(value: str) -> str:
    return " ".join("".join(c for c in value if c.isprintable()).split())


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = _words(value)
            if not out[key]:
                raise InvalidInput("This field is required", field="name")
        elif key == "kind":
            if value not in KINDS:
                raise InvalidInput("Choose one of the offered values", field="kind")
            out[key] = value
        elif key in ("article", "barcode"):
            out[key] = "".join(value.split()) if key == "barcode" else _words(value)
        elif key in ("manufacturer_codes", "compatible"):
            out[key] = list(dict.fromkeys(w for w in (_words(v) for v in value) if w))
        elif key == "unit":
            out[key] = _words(value)
            if not out[key]:
                raise InvalidInput("This field is required", field="unit")
            out["whole"] = quantities.whole_unit(out[key])
        elif key in ("serial_tracked", "is_active"):
            out[key] = bool(value)
        elif key == "price_item_id":
            out[key] = value
    if "min_level" in values:
        whole = out.get("whole", True)
        out["min_level"] = quantities.quantity(
            values["min_level"], whole=whole, field="min_level", zero=True
        )
    return out


async def _check_unique(values: dict[str, Any], exclude: int | None) -> None:
    for key, message in (
        ("barcode", "Another item has this barcode"),
        ("price_item_id", "This price list item is already kept in stock"),
    ):
        if not values.get(key):
            continue
        taken = StockItem.exists().where(getattr(StockItem, key) == values[key])
        if exclude is not None:
            taken = taken.where(StockItem.id != exclude)
        if await taken:
            raise Conflict(message, field=key)


async def _row(item_id: int, field: str | None = None) -> dict[str, Any]:
    row = await StockItem.select().where(StockItem.id == item_id).first()
    if row is None:
        raise NotFound("No stock item with id {id}", field=field, id=item_id)
    return row


async def totals(
    item_ids: Iterable[int], warehouses: list[int] | None
) -> dict[int, tuple[Decimal, Decimal]]:
    """{item: (on hand, reserved)} over the given warehouses (None: every one)."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    where = "item_id = ANY({})"
    params: list[Any] = [ids]
    if warehouses is not None:
        where += " AND warehouse_id = ANY({})"
        params.append(warehouses)
    rows = await StockLevel.raw(
        "SELECT item_id, sum(on_hand) AS on_hand, sum(reserved) AS reserved FROM stock_level "
        f"WHERE {where} GROUP BY item_id",
        *params,
    )
    return {r["item_id"]: (r["on_hand"], r["reserved"]) for r in rows}


def item_out(row: dict[str, Any], total: tuple[Decimal, Decimal] | None) -> ItemOut:
    """An item row as the API answers it, with its totals."""
    on_hand, reserved = total or (ZERO, ZERO)
    return ItemOut(
        id=row["id"],
        price_item_id=row["price_item_id"],
        kind=row["kind"],
        name=row["name"],
        article=row["article"],
        manufacturer_codes=list(row["manufacturer_codes"] or []),
        compatible=list(row["compatible"] or []),
        barcode=row["barcode"],
        unit=row["unit"],
        whole=row["whole"],
        min_level=row["min_level"],
        serial_tracked=row["serial_tracked"],
        is_active=row["is_active"],
        on_hand=on_hand,
        reserved=reserved,
        available=on_hand - reserved,
    )


async def get_item(actor: Actor, item_id: int) -> ItemOut:
    """One item with its totals over the warehouses the actor sees."""
    visible = await access.visible_ids(actor)
    row = await _row(item_id)
    return item_out(row, (await totals([item_id], visible)).get(item_id))


async def search_items(
    actor: Actor,
    q: str = "",
    *,
    warehouse_id: int | None = None,
    include_inactive: bool = False,
    after: int = 0,
    limit: int = PAGE,
) -> tuple[list[ItemOut], int | None]:
    """Items whose words contain every word of `q` (an exact barcode first), by name then id;
    with `warehouse_id`, only those that warehouse holds."""
    visible = await access.visible_ids(actor)
    if warehouse_id is not None:
        await access.warehouse(actor, warehouse_id, field="warehouse_id")
        visible = [warehouse_id]
    conditions: list[Any] = []
    if not include_inactive:
        conditions.append(StockItem.is_active.eq(True))
    words = q.lower().split()
    if words:
        exact = StockItem.barcode == q.strip()
        contains = functools.reduce(
            operator.and_, [StockItem.search_text.ilike(f"%{like_escaped(w)}%") for w in words[:8]]
        )
        conditions.append(Or(exact, contains) if len(words) == 1 else contains)
    if warehouse_id is not None:
        held = await StockLevel.select(StockLevel.item_id).where(
            (StockLevel.warehouse_id == warehouse_id) & (StockLevel.on_hand != 0)
        )
        conditions.append(StockItem.id.is_in([r["item_id"] for r in held] or [0]))
    query = StockItem.select().order_by(StockItem.name).order_by(StockItem.id).limit(limit + 1)
    for condition in conditions:
        query = query.where(condition)
    if after:
        last = await StockItem.select(StockItem.name).where(StockItem.id == after).first()
        if last is not None:
            query = query.where(
                Or(
                    StockItem.name > last["name"],
                    And(StockItem.name == last["name"], StockItem.id > after),
                )
            )
    rows = await query
    more = len(rows) > limit
    rows = rows[:limit]
    sums = await totals([r["id"] for r in rows], visible)
    items = [item_out(r, sums.get(r["id"])) for r in rows]
    return items, (rows[-1]["id"] if more else None)


async def count_items() -> int:
    """How many items are kept (active or not)."""
    rows = await StockItem.select(Count()).first()
    return int(rows["count"]) if rows else 0


async def create_item(actor: Actor, data: ItemIn) -> ItemOut:
    """Add a stock item (stock:create)."""
    actor.require(Section.STOCK, Action.CREATE)
    values = _clean(msgspec.structs.asdict(data))
    await _check_unique(values, None)
    now = dt.datetime.now(dt.UTC)
    async with StockItem._meta.db.transaction():
        row = StockItem(**values, search_text=search_text(values), created_at=now, updated_at=now)
        await row.save()
        await audit.record(actor, "stock_item", row.id, "create", audit.diff({}, values))
    return await get_item(actor, int(row.id))


async def update_item(actor: Actor, item_id: int, data: ItemPatch) -> ItemOut:
    """Change a stock item (stock:edit); its unit changes only while nothing of it is held."""
    actor.require(Section.STOCK, Action.EDIT)
    before = await _row(item_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "min_level" in changes and "unit" not in changes:
        changes["unit"] = before["unit"]
    values = _clean(changes)
    if values.get("unit", before["unit"]) != before["unit"] and await StockLevel.exists().where(
        (StockLevel.item_id == item_id) & (StockLevel.on_hand != 0)
    ):
        raise Conflict("The unit cannot change while the item is in stock", field="unit")
    await _check_unique(values, item_id)
    delta = audit.diff({k: before[k] for k in values}, values)
    if delta:
        merged = {**before, **values}
        async with StockItem._meta.db.transaction():
            stored: dict[Any, Any] = {
                **values,
                "search_text": search_text(merged),
                "updated_at": dt.datetime.now(dt.UTC),
            }
            await StockItem.update(stored).where(StockItem.id == item_id)
            await audit.record(actor, "stock_item", item_id, "update", delta)
    return await get_item(actor, item_id)


async def rows_of(item_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """{id: row} of the given items, in one query."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    return {r["id"]: r for r in await StockItem.select().where(StockItem.id.is_in(ids))}


async def delete_item(actor: Actor, item_id: int) -> None:
    """Delete an item nothing has moved, reserved or kept yet (stock:delete). One with moves
    stays in their history, so it is refused: switch it off instead."""
    actor.require(Section.STOCK, Action.DELETE)
    async with StockItem._meta.db.transaction():
        rows = await StockItem.raw("SELECT * FROM stock_item WHERE id = {} FOR UPDATE", item_id)
        if not rows:
            raise NotFound("No stock item with id {id}", id=item_id)
        name = rows[0]["name"]
        used = await StockItem.raw(
            "SELECT EXISTS (SELECT 1 FROM stock_move WHERE item_id = {}) "
            "OR EXISTS (SELECT 1 FROM stock_document_line WHERE item_id = {}) AS moved, "
            "EXISTS (SELECT 1 FROM stock_reservation WHERE item_id = {}) AS reserved",
            item_id,
            item_id,
            item_id,
        )
        if used[0]["moved"]:
            raise Conflict(
                "«{name}» has moves and stays in their history: switch it off instead", name=name
            )
        if used[0]["reserved"]:
            raise Conflict("Orders have reserved «{name}» or wait for it", name=name)
        held = await uses.held(uses.ITEM_HOLDERS, item_id)
        if held is not None:
            raise Conflict(held, name=name)
        await StockLevel.delete().where(StockLevel.item_id == item_id)  # made, never moved
        await StockItem.delete().where(StockItem.id == item_id)
        await audit.record(actor, "stock_item", item_id, "delete", {"name": [name, None]})
