"""The dispatch domain's read API: visits as other domains (sync, orders) read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.dispatch import services
from server.dispatch.choices import VisitStatus
from server.dispatch.daywork import ACTIVE
from server.dispatch.proposal import promised_arrival
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


class ArrivalWindow(msgspec.Struct, frozen=True):
    """When the master is expected at the client's: the day and, if known, the window."""

    day: dt.date
    window_start: str | None
    window_end: str | None


async def arrival_window(order_id: int) -> ArrivalWindow | None:
    """The next visit of the order still ahead, as the customer may know it (the status page:
    the order's number and receipt code were checked before)."""
    row = await (
        Visit.select(Visit.day, Visit.window_start, Visit.window_end, Visit.planned_start)
        .where(
            Visit.order == order_id,
            Visit.day >= services.today(),
            Visit.status.is_in(list(ACTIVE)),
        )
        .order_by(Visit.day)
        .order_by(Visit.planned_start)
        .first()
    )
    if row is None:
        return None
    if row["window_start"] is not None:
        end = row["window_end"]
        return ArrivalWindow(
            row["day"],
            row["window_start"].strftime("%H:%M"),
            end.strftime("%H:%M") if end else None,
        )
    if row["planned_start"] is not None:
        opens, closes = promised_arrival(row["planned_start"])
        return ArrivalWindow(row["day"], opens.strftime("%H:%M"), closes.strftime("%H:%M"))
    return ArrivalWindow(row["day"], None, None)


class ActVisit(msgspec.Struct, frozen=True):
    """A visit that took (or was to take) place, as the acts domain reads it."""

    id: int
    order_id: int
    master_id: int | None
    day: dt.date
    status: str


async def act_visits(
    *,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    order_ids: list[int] | None = None,
    visit_ids: list[int] | None = None,
) -> list[ActVisit]:
    """Visits neither failed nor cancelled between the days, of the orders, or by id (any of
    the given conditions), oldest first; for the acts sweep (no person behind it) and for
    orders the caller already read in scope."""
    conditions: list[Any] = []
    if first_day is not None and last_day is not None:
        conditions.append((Visit.day >= first_day) & (Visit.day <= last_day))
    if order_ids:
        conditions.append(Visit.order.is_in(sorted(set(order_ids))))
    if visit_ids:
        conditions.append(Visit.id.is_in(sorted(set(visit_ids))))
    if not conditions:
        return []
    where: Any = conditions[0]
    for condition in conditions[1:]:
        where = where | condition
    rows = await (
        Visit.select(Visit.id, Visit.order, Visit.master, Visit.day, Visit.status)
        .where(where, Visit.status.not_in([VisitStatus.FAILED, VisitStatus.CANCELLED]))
        .order_by(Visit.day, Visit.sequence, Visit.id)
    )
    return [ActVisit(r["id"], r["order"], r["master"], r["day"], r["status"]) for r in rows]
