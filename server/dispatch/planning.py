"""Plan the day: a dispatcher asks, a background job solves, the dispatcher accepts.

Nothing changes before the accept. A plan is made from the day as it was when the job read it;
the accept refuses a day whose visits changed since (plan again), so no one's change is lost.
One dispatcher plans a day at a time: the second is told who is planning, and may take over.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from typing import Any

import msgspec

import routing
from server import clock
from server.actor import Actor
from server.dispatch import daywork, proposal, services
from server.dispatch.schemas import PlanOut, PlanRequest
from server.dispatch.tables import DispatchPlan
from server.dispatch.travel import matrix
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.fieldaccess import hidden_fields
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.staff.services import load_actor

log = logging.getLogger("servio.dispatch.plans")

QUEUED, RUNNING, READY, FAILED, ACCEPTED = "queued", "running", "ready", "failed", "accepted"
PLANNING = (QUEUED, RUNNING)
HELD_FOR = dt.timedelta(minutes=30)  # a ready plan holds the day for its planner this long
STALLED_AFTER = dt.timedelta(minutes=2)  # beyond the time limit: the job died


def plan_seconds() -> float:
    """The solver's time limit per plan (SERVIO_PLAN_SECONDS, default 10)."""
    raw = os.environ.get("SERVIO_PLAN_SECONDS", "").strip()
    try:
        value = float(raw) if raw else 10.0
    except ValueError:
        value = 10.0
    return min(max(value, 0.5), 600.0)


def require_planner(actor: Actor) -> None:
    """Planning is for those who edit visits and see every master's."""
    actor.require(Section.DISPATCH, Action.EDIT)
    if not services.sees_all(actor):
        raise Forbidden("Only dispatchers who see every master's visits may plan the day")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stalled(row: dict[str, Any], now: dt.datetime) -> bool:
    if row["status"] not in PLANNING:
        return False
    since = row["started_at"] or row["created_at"]
    return now - since > dt.timedelta(seconds=row["time_limit_s"]) + STALLED_AFTER


def _holds_day(row: dict[str, Any], now: dt.datetime) -> bool:
    if row["status"] in PLANNING:
        return not _stalled(row, now)
    return row["status"] == READY and now - (row["finished_at"] or now) < HELD_FOR


async def request_plan(
    actor: Actor, data: PlanRequest, *, time_limit_s: float | None = None
) -> int:
    """Record a plan for the day (to be solved by run_plan); returns its id."""
    require_planner(actor)
    if data.day < clock.today():
        raise InvalidInput("A past day cannot be planned", field="day")
    masters = await staff.master_days(actor, data.day, data.day, data.master_ids)
    if not any(m.works for m in masters):
        raise InvalidInput(
            "No master works on {day}", field="day", day=data.day.strftime("%d.%m.%Y")
        )
    now = _now()
    async with DispatchPlan._meta.db.transaction():
        await DispatchPlan.raw("SELECT pg_advisory_xact_lock(hashtext({}))", f"plan:{data.day}")
        rivals = await DispatchPlan.select().where(
            DispatchPlan.day == data.day, DispatchPlan.status.is_in([*PLANNING, READY])
        )
        holding = [r for r in rivals if _holds_day(r, now)]
        others = [r for r in holding if r["created_by"] != actor.employee_id]
        if others and not data.take_over:
            names = await staff.names([others[0]["created_by"]])
            raise Conflict(
                "{name} is planning this day since {time}: wait for the plan or take over",
                field="day",
                name=names.get(others[0]["created_by"], "?"),
                time=clock.local(others[0]["created_at"]).strftime("%H:%M"),  # type: ignore[union-attr]
            )
        replaced = [r["id"] for r in rivals]
        if replaced:
            await DispatchPlan.update(
                {
                    DispatchPlan.status: FAILED,
                    DispatchPlan.error: f"replaced by a plan of {actor.full_name}",
                    DispatchPlan.finished_at: now,
                }
            ).where(DispatchPlan.id.is_in(replaced))
        plan = DispatchPlan(
            day=data.day,
            master_ids=list(data.master_ids or []),
            max_moved=data.max_moved,
            status=QUEUED,
            created_by=actor.employee_id,
            created_at=now,
            time_limit_s=time_limit_s or plan_seconds(),
        )
        await plan.save()
    return int(plan.id)


async def run_plan(plan_id: int, *, from_now: bool = True) -> None:
    """Solve a queued plan as the dispatcher who asked for it (the job's body); today's plan
    starts open visits no earlier than now, unless `from_now` is off (the demo's whole day)."""
    claimed = await (
        DispatchPlan.update({DispatchPlan.status: RUNNING, DispatchPlan.started_at: _now()})
        .where(DispatchPlan.id == plan_id, DispatchPlan.status == QUEUED)
        .returning(*DispatchPlan.all_columns())
    )
    if not claimed:
        return  # replaced, or already run by an earlier try
    row = claimed[0]
    actor = await load_actor(row["created_by"]) if row["created_by"] else None
    if actor is None:
        await _finish(plan_id, FAILED, error="the dispatcher is no longer active")
        return
    try:
        work = await daywork.read_day(actor, row["day"], row["master_ids"] or None)
        found = await asyncio.to_thread(_solve, work, row, from_now)
    except Exception as error:
        log.exception("plan %s failed", plan_id)
        await _finish(plan_id, FAILED, error=str(error)[:500] or type(error).__name__)
        return
    basis = {str(k): v for k, v in work.basis.items()}
    await _finish(plan_id, READY, proposal=found, basis=basis)


def _solve(work: daywork.DayWork, row: dict[str, Any], from_now: bool) -> dict[str, Any]:
    problem = work.day.problem
    points = routing.points(problem)
    table = matrix().table(points, points)
    now = None
    if from_now and row["day"] == clock.today():
        now = max(0, int((_now() - work.day.origin).total_seconds() // 60))
    options = routing.Options(
        time_limit_s=row["time_limit_s"],
        now=now,
        max_moved=row["max_moved"],
        move_penalty=5.0,
    )
    if problem.visits:
        plan = routing.solve(problem, options, table=table)
    else:
        plan = routing.Plan((), (), routing.Objective(0, 0, 0, 0, 0), "empty", 0.0)
    return proposal.compose(work, plan, table)


async def _finish(plan_id: int, status: str, **values: Any) -> None:
    changes: dict[Any, Any] = {DispatchPlan.status: status, DispatchPlan.finished_at: _now()}
    for name, value in values.items():
        changes[getattr(DispatchPlan, name)] = value
    await DispatchPlan.update(changes).where(
        DispatchPlan.id == plan_id, DispatchPlan.status == RUNNING
    )


async def plan_row(actor: Actor, plan_id: int, *, for_update: bool = False) -> dict[str, Any]:
    """A plan's row, or 404."""
    require_planner(actor)
    query = DispatchPlan.select().where(DispatchPlan.id == plan_id).output(load_json=True)
    if for_update:
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None:
        raise NotFound("No plan with id {id}", id=plan_id)
    return row


async def get_plan(actor: Actor, plan_id: int) -> PlanOut:
    """A plan with its proposal, in the caller's language."""
    row = await plan_row(actor, plan_id)
    names = await staff.names([row["created_by"]] if row["created_by"] else [])
    return plan_out(row, names.get(row["created_by"], ""), actor)


def plan_out(row: dict[str, Any], planner_name: str, actor: Actor | None = None) -> PlanOut:
    """The API's form of a plan row; lateness (which tells the due date) only to those who
    may read due dates."""
    found = row["proposal"] or {}
    assignments = found.get("assignments", [])
    if actor is not None and "due_at" in hidden_fields(actor, "order"):
        assignments = [{**a, "late_minutes": 0} for a in assignments]
    now = _now()
    status = FAILED if _stalled(row, now) else row["status"]
    progress = 1.0 if status in (READY, ACCEPTED) else 0.0
    if status == RUNNING and row["started_at"]:
        elapsed = (now - row["started_at"]).total_seconds()
        progress = min(0.99, elapsed / max(row["time_limit_s"], 0.1))
    accepted = set(row["accepted_master_ids"] or [])
    empty = {"km": 0.0, "hours": 0.0, "visits": 0}
    return msgspec.convert(
        {
            "id": row["id"],
            "status": status,
            "day": row["day"],
            "assignments": assignments,
            "unassigned": [
                {**u, "reason_text": proposal.reason_text(u["reason"], u.get("detail", ""))}
                for u in found.get("unassigned", [])
            ],
            "before": found.get("before", empty),
            "after": found.get("after", empty),
            "masters": [
                {**m, "accepted": m["master_id"] in accepted} for m in found.get("masters", [])
            ],
            "off": [
                {**o, "reason_text": proposal.absence_text(o["reason"])}
                for o in found.get("off", [])
            ],
            "max_moved": row["max_moved"],
            "moved": found.get("moved", 0),
            "planner_id": row["created_by"],
            "planner_name": planner_name,
            "created_at": row["created_at"],
            "started_at": row["started_at"],
            "finished_at": row["finished_at"],
            "time_limit_s": row["time_limit_s"],
            "progress": round(progress, 2),
            "error": row["error"]
            or ("the planning job stopped" if status != row["status"] else ""),
            "accepted_master_ids": sorted(accepted),
        },
        PlanOut,
        from_attributes=True,
        strict=False,
    )


async def fail_unqueued(plan_id: int) -> None:
    """Mark a plan whose job could not be queued."""
    await DispatchPlan.update(
        {
            DispatchPlan.status: FAILED,
            DispatchPlan.error: "not queued",
            DispatchPlan.finished_at: _now(),
        }
    ).where(DispatchPlan.id == plan_id, DispatchPlan.status == QUEUED)
