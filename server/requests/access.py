"""Whose requests an employee sees: all with the all-orders capability; otherwise those one
filed or is responsible for, and a partner's employee also the partner's (filed by it or
assigned to it as the service center)."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Or

from server.actor import Actor
from server.errors import NotFound
from server.requests.tables import ServiceRequest as R
from server.staff.permissions import Action, Capability, Section


def scope_condition(actor: Actor) -> Any | None:
    """The WHERE condition limiting requests to the actor's, or None for all of them."""
    if actor.has(Capability.ALL_ORDERS):
        return None
    me = actor.employee_id
    condition: Any = Or(
        Or(R.created_by == me, R.manager == me), Or(R.expert == me, R.technician == me)
    )
    org = actor.organization_id
    if org is not None:
        condition = Or(condition, Or(R.source_org == org, R.service_center == org))
    return condition


def in_scope(actor: Actor, row: dict[str, Any]) -> bool:
    """True when the request row is within the actor's scope."""
    if actor.has(Capability.ALL_ORDERS):
        return True
    people = (row.get("created_by"), row.get("manager"), row.get("expert"), row.get("technician"))
    if actor.employee_id in people:
        return True
    org = actor.organization_id
    return org is not None and org in (row.get("source_org"), row.get("service_center"))


async def request_row(actor: Actor, request_id: int, *, for_update: bool = False) -> dict[str, Any]:
    """The request row, or 404 (also for one out of scope: do not reveal it exists)."""
    actor.require(Section.REQUESTS, Action.VIEW)
    query = R.select(*R.all_columns(exclude=[R.search_text])).where(R.id == request_id)
    row = await query.output(load_json=True).first()
    if row is None or not in_scope(actor, row):
        raise NotFound("No request with id {id}", id=request_id)
    if for_update:
        await R.raw("SELECT id FROM service_request WHERE id = {} FOR UPDATE", request_id)
    return row
