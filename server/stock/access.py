"""Who sees which warehouse and its costs: the one gate every stock answer passes through.

Stock needs `stock:view`. Whoever holds the all-warehouses capability sees every warehouse;
anyone else sees only their own van and the stores they are a keeper of. Costs (average and
purchase prices) follow the field permission on purchase prices: whoever may not see an order
line's purchase price does not see a cost anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server import fieldaccess, refcache
from server.actor import Actor
from server.errors import NotFound
from server.i18n import gettext
from server.staff.permissions import Action, Capability, Section
from server.stock.tables import Warehouse


def sees_all(actor: Actor) -> bool:
    """True when the actor sees every warehouse."""
    return actor.has(Capability.ALL_WAREHOUSES)


def sees_costs(actor: Actor) -> bool:
    """True when the actor may read costs."""
    return fieldaccess.level(actor, "order_line", "purchase_price") != fieldaccess.HIDDEN


def may_see(actor: Actor, row: dict[str, Any]) -> bool:
    """True when the warehouse row is the actor's to see."""
    if sees_all(actor):
        return True
    return row["master_id"] == actor.employee_id or actor.employee_id in (row["keeper_ids"] or [])


async def visible_ids(actor: Actor) -> list[int] | None:
    """Ids of the warehouses the actor sees; None means every one."""
    actor.require(Section.STOCK, Action.VIEW)
    if sees_all(actor):
        return None
    return [r["id"] for r in await every_warehouse() if may_see(actor, r)]


@refcache.reads("stock_warehouse")
async def every_warehouse() -> tuple[dict[str, Any], ...]:
    """Every warehouse row, active ones first, by name (shared: read-only)."""
    return tuple(
        await Warehouse.select()
        .order_by(Warehouse.is_active, ascending=False)
        .order_by(Warehouse.name)
    )


async def warehouse(actor: Actor, warehouse_id: int, field: str | None = None) -> dict[str, Any]:
    """The warehouse row if the actor sees it; NotFound (naming `field`) otherwise."""
    actor.require(Section.STOCK, Action.VIEW)
    row = await Warehouse.select().where(Warehouse.id == warehouse_id).first()
    if row is None or not may_see(actor, row):
        raise NotFound("No warehouse with id {id}", field=field, id=warehouse_id)
    return row


async def names(actor: Actor, ids: Iterable[int | None]) -> dict[int, str]:
    """{id: name} of the warehouses; one the actor does not see is only "another warehouse"
    (a van's master sees that parts came from a store, not which)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await Warehouse.select().where(Warehouse.id.is_in(wanted))
    other = gettext("Another warehouse")
    return {r["id"]: r["name"] if may_see(actor, r) else other for r in rows}
