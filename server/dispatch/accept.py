"""Accept a plan, whole or per master: the proposal's visits are written through the same
services as a dispatcher's own changes (audit, the order's technician and status), in one
transaction, and only if the day is still the one the plan was made from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.dispatch import daywork, planning, services
from server.dispatch.schemas import PlanOut, VisitCreate, VisitPatch
from server.dispatch.tables import DispatchPlan, Visit
from server.errors import Conflict, InvalidInput
from server.staff import api as staff
from server.staff.permissions import Action, Section

STALE = "The day changed since this plan was made (order {number}): plan it again"


async def accept_plan(
    actor: Actor, plan_id: int, master_ids: list[int] | None
) -> tuple[list[dict[str, Any]], PlanOut]:
    """Save the proposal of the chosen masters; returns the visits saved and the plan."""
    planning.require_planner(actor)
    actor.require(Section.DISPATCH, Action.CREATE)
    async with DispatchPlan._meta.db.transaction():
        row = await planning.plan_row(actor, plan_id, for_update=True)
        shown = planning.plan_out(row, "")
        if shown.status == planning.ACCEPTED:
            raise Conflict("This plan is already accepted")
        if shown.status != planning.READY:
            raise Conflict(
                "The plan cannot be accepted: {error}", error=shown.error or shown.status
            )
        found = row["proposal"]
        accepted = set(row["accepted_master_ids"] or [])
        chosen = _chosen(found, accepted, master_ids)
        moves = [a for a in found["assignments"] if a["master_id"] in chosen]
        dropped = [
            u for u in found["unassigned"] if u.get("visit_id") and u.get("master_id") in chosen
        ]
        await _check_unchanged(row, chosen, moves, dropped)
        saved = [await _apply(actor, row["day"], move) for move in moves]
        for left in dropped:
            patch = VisitPatch(master_id=None, pinned_master=False, pinned_time=False)
            saved.append(await services.update_visit(actor, left["visit_id"], patch))
        everyone = {m["master_id"] for m in found["masters"]}
        now_accepted = sorted(accepted | chosen)
        await DispatchPlan.update(
            {
                DispatchPlan.accepted_master_ids: now_accepted,
                DispatchPlan.status: planning.ACCEPTED
                if everyone <= set(now_accepted)
                else planning.READY,
                DispatchPlan.accepted_by: actor.employee_id,
                DispatchPlan.accepted_at: dt.datetime.now(dt.UTC),
            }
        ).where(DispatchPlan.id == plan_id)
    names = await staff.names([row["created_by"]] if row["created_by"] else [])
    after = await planning.plan_row(actor, plan_id)
    return saved, planning.plan_out(after, names.get(row["created_by"], ""), actor)


def _chosen(found: dict[str, Any], accepted: set[int], master_ids: list[int] | None) -> set[int]:
    everyone = {m["master_id"] for m in found.get("masters", [])}
    if master_ids is None:
        return everyone - accepted
    chosen = set(master_ids)
    if chosen - everyone:
        raise InvalidInput(
            "These masters are not in the plan: {ids}",
            field="master_ids",
            ids=", ".join(str(i) for i in sorted(chosen - everyone)),
        )
    if chosen & accepted:
        raise InvalidInput(
            "The plan of these masters is already accepted: {ids}",
            field="master_ids",
            ids=", ".join(str(i) for i in sorted(chosen & accepted)),
        )
    return chosen


async def _check_unchanged(
    row: dict[str, Any],
    chosen: set[int],
    moves: list[dict[str, Any]],
    dropped: list[dict[str, Any]],
) -> None:
    """Refuse when a visit the plan moves changed, or the masters' day gained a visit, or a
    queued order got a visit meanwhile."""
    basis = {int(k): v for k, v in (row["basis"] or {}).items()}
    touched = {m["visit_id"] for m in moves if m["visit_id"]} | {d["visit_id"] for d in dropped}
    current = await (
        Visit.select(Visit.id, Visit.version, Visit.order)
        .where(Visit.id.is_in(sorted(touched) or [0]))
        .lock_rows("UPDATE")
    )
    numbers = {m["order_id"]: m.get("order_number", "") for m in [*moves, *dropped]}
    for visit in current:
        if basis.get(visit["id"]) != visit["version"]:
            raise Conflict(STALE, number=numbers.get(visit["order"], ""))
    if len(current) != len(touched):
        raise Conflict(STALE, number="")
    for visit in await daywork.day_visits(row["day"], chosen):
        if visit["id"] not in basis:
            raise Conflict(STALE, number="")
    queued = {m["order_id"] for m in moves if not m["visit_id"]}
    if queued:
        busy = await Visit.select(Visit.order).where(
            Visit.order.is_in(sorted(queued)), Visit.status.is_in(list(daywork.ACTIVE))
        )
        if busy:
            raise Conflict(STALE, number=numbers.get(busy[0]["order"], ""))


async def _apply(actor: Actor, day: dt.date, move: dict[str, Any]) -> dict[str, Any]:
    start = dt.datetime.fromisoformat(move["planned_start"])
    if move["change"] == "kept":
        await Visit.update({Visit.sequence: move["sequence"]}).where(Visit.id == move["visit_id"])
        return await services.get_visit(actor, move["visit_id"])
    if move["visit_id"]:
        patch = VisitPatch(
            master_id=move["master_id"],
            planned_start=start,
            window_start=move["window_start"],
            window_end=move["window_end"],
            sequence=move["sequence"],
        )
        return await services.update_visit(actor, move["visit_id"], patch)
    create = VisitCreate(
        order_id=move["order_id"],
        day=day,
        master_id=move["master_id"],
        window_start=move["window_start"],
        window_end=move["window_end"],
        duration_min=move["duration_min"],
        sequence=move["sequence"],
        address=move["address"],
        latitude=move.get("latitude"),
        longitude=move.get("longitude"),
        planned_start=start,
    )
    return await services.create_visit(actor, create)
