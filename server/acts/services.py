"""What people read of acts: the acts of an order's visits (the card), and the open requests
per employee (the manager's page). Scope is the orders domain's: an order out of the
reader's scope is neither shown nor counted."""

from __future__ import annotations

import datetime as dt

from server import clock
from server.actor import Actor
from server.acts import kinds
from server.acts.needs import needs
from server.acts.schemas import (
    ActRequestList,
    ActRequestOut,
    ActState,
    EmployeeCount,
    OrderActs,
    VisitActs,
)
from server.acts.tables import ActRequest
from server.dispatch import api as dispatch
from server.files import api as stored_files
from server.i18n import gettext
from server.orders import api as orders
from server.staff import api as staff
from server.staff.permissions import Action, Section

LIST_LIMIT = 500


async def order_acts(actor: Actor, order_id: int) -> OrderActs:
    """The acts every visit of the order needs, attached or missing (404 out of scope)."""
    actor.require(Section.ORDERS, Action.VIEW)
    await orders.require_visible(actor, order_id)
    order = (await orders.act_orders([order_id]))[order_id]
    required = await kinds.requirements()
    all_kinds = {k.id: k for k in await kinds.all_kinds()}
    wanted = [all_kinds[r.act_kind_id] for r in required.get(order.order_type_id, [])]
    if not wanted:
        return OrderActs(order_id, [], [], 0)
    visits = await dispatch.act_visits(order_ids=[order_id])
    found = needs(visits, {order_id: order}, required, await stored_files.act_files([order_id]))
    opened = {
        (r["visit"], r["act_kind"]): r["opened_at"]
        for r in await ActRequest.select(
            ActRequest.visit, ActRequest.act_kind, ActRequest.opened_at
        ).where(ActRequest.order == order_id, ActRequest.closed_at.is_null())
    }
    per_visit: dict[int, VisitActs] = {}
    for visit in visits:
        per_visit[visit.id] = VisitActs(visit.id, visit.day, visit.master_id, visit.status, [], 0)
    for need in found:
        entry = per_visit[need.visit.id]
        entry.acts.append(
            ActState(
                act_kind_id=need.kind.act_kind_id,
                name=need.kind.name,
                attached=need.file is not None,
                file_id=need.file.id if need.file else None,
                file_name=need.file.name if need.file else None,
                requested_since=opened.get((need.visit.id, need.kind.act_kind_id)),
            )
        )
        entry.missing += need.file is None
    shown = [v for v in per_visit.values() if v.acts]
    return OrderActs(order_id, wanted, shown, sum(v.missing for v in shown))


async def open_requests(
    actor: Actor, employee_id: int | None = None, order_id: int | None = None
) -> ActRequestList:
    """Open act requests of orders in the actor's scope, oldest first, with counts per
    employee (of every open request in scope; the list itself filtered by employee)."""
    actor.require(Section.ORDERS, Action.VIEW)
    query = ActRequest.select(
        ActRequest.id,
        ActRequest.order,
        ActRequest.visit,
        ActRequest.visit_day,
        ActRequest.act_kind,
        ActRequest.act_kind._.name.as_alias("act_name"),
        ActRequest.employee,
        ActRequest.opened_at,
    ).where(ActRequest.closed_at.is_null())
    if order_id is not None:
        query = query.where(ActRequest.order == order_id)
    rows = await query.order_by(ActRequest.visit_day).order_by(ActRequest.id)
    refs = await orders.order_refs(actor, [r["order"] for r in rows])
    rows = [r for r in rows if r["order"] in refs]
    names = await staff.names({r["employee"] for r in rows if r["employee"]})
    counts: dict[int | None, int] = {}
    for r in rows:
        counts[r["employee"]] = counts.get(r["employee"], 0) + 1
    today = clock.today()
    items = [
        ActRequestOut(
            id=r["id"],
            order_id=r["order"],
            order_number=refs[r["order"]].number,
            visit_id=r["visit"],
            visit_day=r["visit_day"],
            act_kind_id=r["act_kind"],
            act_name=gettext(r["act_name"]),
            employee_id=r["employee"],
            employee_name=names.get(r["employee"], "") if r["employee"] else "",
            opened_at=r["opened_at"],
            days_open=max((today - _local_day(r["opened_at"])).days, 0),
        )
        for r in rows
        if employee_id is None or r["employee"] == employee_id
    ]
    employees = sorted(
        (
            EmployeeCount(e, names.get(e, "") if e else gettext("Nobody"), n)
            for e, n in counts.items()
        ),
        key=lambda c: (-c.open, c.employee_name),
    )
    return ActRequestList(items[:LIST_LIMIT], employees, len(items))


def _local_day(value: dt.datetime) -> dt.date:
    local = clock.local(value)
    assert local is not None
    return local.date()
