"""The dispatch domain's read API: visits as other domains (sync, orders) read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.dispatch import services
from server.dispatch.tables import Visit
from server.orders import api as orders
from server.staff.permissions import Action, Section

visit_out = services.visit_out
visits_of_orders = services.visits_of_orders


async def visits_of_master(
    actor: Actor, first_day: dt.date, last_day: dt.date
) -> list[dict[str, Any]]:
    """The actor's own visit rows between the days whose orders the actor may read."""
    actor.require(Section.DISPATCH, Action.VIEW)
    rows = await services.visits_for_master(actor.employee_id, first_day, last_day)
    readable = await orders.orders_in_scope(actor, {r["order"] for r in rows})
    return [r for r in rows if r["order"] in readable]


async def visits_by_id(actor: Actor, visit_ids: set[int]) -> dict[int, dict[str, Any]]:
    """{id: visit} of those of the visits the actor may see: all for planners, else the
    actor's own of orders in the actor's scope."""
    if not visit_ids or not actor.can(Section.DISPATCH, Action.VIEW):
        return {}
    query = Visit.select().where(Visit.id.is_in(sorted(visit_ids)))
    if not services.sees_all(actor):
        query = query.where(Visit.master == actor.employee_id)
    rows = await query
    if not services.sees_all(actor):
        readable = await orders.orders_in_scope(actor, {r["order"] for r in rows})
        rows = [r for r in rows if r["order"] in readable]
    return {r["id"]: visit_out(r) for r in rows}
