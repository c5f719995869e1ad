"""Jobs of the dispatch domain: a day's plan is solved in the worker, never on the event loop."""

from __future__ import annotations

import logging

from server.actor import Actor
from server.dispatch import autoassign, planning
from server.dispatch.schemas import PlanRequest
from server.errors import Unavailable
from server.jobs.queue import TASKS, open_jobs

log = logging.getLogger("servio.dispatch.plans")


@TASKS.task(name="plan_day", queue="plans")
async def plan_day(plan_id: int) -> None:
    """Solve a queued plan."""
    await planning.run_plan(plan_id)


async def start_plan(actor: Actor, data: PlanRequest) -> int:
    """Record the plan and queue its solve; 503 (and the plan marked failed) when the queue
    is down."""
    plan_id = await planning.request_plan(actor, data)
    try:
        await open_jobs()
        await plan_day.defer_async(plan_id=plan_id)
    except Exception as error:
        log.error("plan %s not queued: %s", plan_id, error)
        await planning.fail_unqueued(plan_id)
        raise Unavailable("Planning is unavailable now; try again later") from error
    return plan_id


@TASKS.task(name="propose_master", queue="plans")
async def propose_master(order_id: int) -> None:
    """Propose a master for a new field order (order types with auto-assign)."""
    await autoassign.propose(order_id)
