"""Keeping warehouses: stores of the center and the field masters' vans; one nothing has moved
through yet may be deleted, any other is switched off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import gettext
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.stock import access, uses
from server.stock.choices import WarehouseKind
from server.stock.schemas import WarehouseIn, WarehouseOut, WarehousePatch
from server.stock.tables import StockLevel, Warehouse


def warehouse_out(row: dict[str, Any], names: dict[int, str]) -> WarehouseOut:
    """A warehouse row as the API answers it."""
    kind = row["kind"]
    label = WarehouseKind(kind).label if kind in WarehouseKind._value2member_map_ else kind
    master = row["master_id"]
    return WarehouseOut(
        id=row["id"],
        kind=kind,
        kind_label=gettext(label),
        name=row["name"],
        address=row["address"],
        master_id=master,
        master_name=names.get(master, "") if master else "",
        keeper_ids=list(row["keeper_ids"] or []),
        is_active=row["is_active"],
    )


async def list_warehouses(actor: Actor, active_only: bool = False) -> list[WarehouseOut]:
    """The warehouses the actor sees, active ones first, by name."""
    visible = await access.visible_ids(actor)
    seen = None if visible is None else set(visible)
    rows = [
        r
        for r in await access.every_warehouse()
        if (seen is None or r["id"] in seen) and (r["is_active"] or not active_only)
    ]
    names = await staff.names({r["master_id"] for r in rows if r["master_id"]})
    return [warehouse_out(r, names) for r in rows]


async def get_warehouse(actor: Actor, warehouse_id: int) -> WarehouseOut:
    """One warehouse the actor sees."""
    row = await access.warehouse(actor, warehouse_id)
    names = await staff.names([row["master_id"]] if row["master_id"] else [])
    return warehouse_out(row, names)


async def _clean(values: dict[str, Any], kind: str, exclude: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = " ".join(value.split())
            if not out[key]:
                raise InvalidInput("This field is required", field="name")
            taken = Warehouse.exists().where(Warehouse.name.ilike(out[key].replace("%", r"\%")))
            if exclude is not None:
                taken = taken.where(Warehouse.id != exclude)
            if await taken:
                raise Conflict("A warehouse with this name already exists", field="name")
        elif key == "address":
            out[key] = value.strip()
        elif key == "keeper_ids":
            ids = list(dict.fromkeys(value))
            known = await staff.names(ids)
            unknown = [i for i in ids if i not in known]
            if unknown:
                raise InvalidInput("No employee with id {id}", field="keeper_ids", id=unknown[0])
            out[key] = ids
        elif key == "master_id":
            out[key] = await _master(value, kind, exclude)
        elif key == "is_active":
            out[key] = bool(value)
    return out


async def _master(master_id: int | None, kind: str, exclude: int | None) -> int | None:
    if kind != WarehouseKind.VAN:
        if master_id is not None:
            raise InvalidInput("Only a van has a master", field="master_id")
        return None
    if master_id is None:
        raise InvalidInput("Choose the master whose van it is", field="master_id")
    if not await staff.names([master_id]):
        raise InvalidInput("No employee with id {id}", field="master_id", id=master_id)
    taken = Warehouse.exists().where(
        (Warehouse.master_id == master_id) & (Warehouse.is_active.eq(True))
    )
    if exclude is not None:
        taken = taken.where(Warehouse.id != exclude)
    if await taken:
        raise Conflict("This master already has a van", field="master_id")
    return master_id


async def create_warehouse(actor: Actor, data: WarehouseIn) -> WarehouseOut:
    """Add a warehouse (stock:create)."""
    actor.require(Section.STOCK, Action.CREATE)
    if data.kind not in WarehouseKind._value2member_map_:
        raise InvalidInput("Choose one of the offered values", field="kind")
    values = await _clean(msgspec.structs.asdict(data), data.kind, None)
    values["kind"] = data.kind
    now = dt.datetime.now(dt.UTC)
    async with Warehouse._meta.db.transaction():
        row = Warehouse(**values, created_at=now, updated_at=now)
        await row.save()
        await audit.record(actor, "warehouse", row.id, "create", audit.diff({}, values))
    return await get_warehouse(actor, int(row.id))


async def update_warehouse(actor: Actor, warehouse_id: int, data: WarehousePatch) -> WarehouseOut:
    """Change a warehouse, or switch it off (its history stays) (stock:edit)."""
    actor.require(Section.STOCK, Action.EDIT)
    before = await access.warehouse(actor, warehouse_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    values = await _clean(changes, before["kind"], warehouse_id)
    delta = audit.diff({k: before[k] for k in values}, values)
    if delta:
        async with Warehouse._meta.db.transaction():
            await Warehouse.update(
                {**values, "updated_at": dt.datetime.now(dt.UTC)}  # type: ignore[dict-item]
            ).where(Warehouse.id == warehouse_id)
            await audit.record(actor, "warehouse", warehouse_id, "update", delta)
    return await get_warehouse(actor, warehouse_id)


# Every move is in its document's warehouse or (a transfer's) in its destination, where the
# transfer also moves stock: a warehouse without documents of its own and moves has none.
UNUSED = (
    "SELECT w.id FROM unnest({}::int[]) AS w(id) "
    "WHERE NOT EXISTS (SELECT 1 FROM stock_move m WHERE m.warehouse_id = w.id) "
    "AND NOT EXISTS (SELECT 1 FROM stock_document d WHERE d.warehouse_id = w.id) "
    "AND NOT EXISTS (SELECT 1 FROM stock_reservation r WHERE r.warehouse_id = w.id)"
)


async def unused_ids(warehouse_ids: list[int]) -> set[int]:
    """Those of the warehouses nothing has moved through or is reserved in (one query)."""
    if not warehouse_ids:
        return set()
    return {r["id"] for r in await Warehouse.raw(UNUSED, warehouse_ids)}


async def delete_warehouse(actor: Actor, warehouse_id: int) -> None:
    """Delete a warehouse nothing has moved through yet (stock:delete). One with moves keeps its
    history, so it is refused: switch it off instead."""
    actor.require(Section.STOCK, Action.DELETE)
    row = await access.warehouse(actor, warehouse_id)
    async with Warehouse._meta.db.transaction():
        locked = await Warehouse.raw(
            "SELECT id FROM stock_warehouse WHERE id = {} FOR UPDATE", warehouse_id
        )
        if not locked:
            raise NotFound("No warehouse with id {id}", id=warehouse_id)
        if not await unused_ids([warehouse_id]):
            raise Conflict(
                "«{name}» has moves or reservations and keeps its history: switch it off instead",
                name=row["name"],
            )
        held = await uses.held(uses.WAREHOUSE_HOLDERS, warehouse_id)
        if held is not None:
            raise Conflict(held, name=row["name"])
        await StockLevel.delete().where(StockLevel.warehouse_id == warehouse_id)
        await Warehouse.delete().where(Warehouse.id == warehouse_id)
        await audit.record(
            actor, "warehouse", warehouse_id, "delete", {"name": [row["name"], None]}
        )
