"""Suggest where one waiting order fits into the day as planned, without moving anything:
the best few (master, time, extra driving) from `routing.insert_visit`."""

from __future__ import annotations

import datetime as dt

import msgspec

import routing
from routing.matrix import minutes
from routing.schedule import Call, schedule_route
from server import clock
from server.actor import Actor
from server.dispatch import daywork, planning
from server.dispatch.problem import Day, Work, at_minute
from server.dispatch.proposal import promised_window, reason_text
from server.dispatch.travel import matrix
from server.errors import InvalidInput

TOP = 3


class Suggestion(msgspec.Struct):
    """Book the order with this master at this time: `sequence` is its place in the day."""

    master_id: int
    full_name: str
    planned_start: dt.datetime
    window_start: str
    window_end: str
    sequence: int
    extra_minutes: int
    extra_km: float
    late_minutes: int


class Suggestions(msgspec.Struct):
    """Ranked options (cheapest first); `reason` says why there is none."""

    order_id: int
    day: dt.date
    items: list[Suggestion]
    reason: str = ""


def _target(day: Day, left_out: list[tuple[Work, str, str]], order_id: int) -> Work:
    for work in day.works.values():
        if work.order_id == order_id and (work.visit_id is None or work.master_id is None):
            return work
    for work, reason, _detail in left_out:
        if work.order_id == order_id:
            raise InvalidInput(reason_text(reason), field="order_id")
    raise InvalidInput("The order is not waiting for a visit", field="order_id")


def current_plan(day: Day, keys: list[str]) -> tuple[routing.Problem, routing.Plan]:
    """The day as planned now: each master's assigned visits in their order, scheduled at
    the earliest; a master whose day does not fit as planned offers no place."""
    visits = {v.id: v for v in day.problem.visits}
    chosen = [visits[k] for k in keys]
    problem = routing.Problem(masters=day.problem.masters, visits=tuple(chosen))
    points = routing.points(problem)
    table = matrix().table(points, points)
    node = {v.id: i for i, v in enumerate(chosen)}
    routes = []
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    for mi, master in enumerate(problem.masters):
        own = [day.works[k] for k in keys if str(day.works[k].master_id) == master.id]
        own.sort(key=lambda w: (w.sequence, w.planned_start or far, w.key))
        at = len(chosen) + 2 * mi
        calls = []
        for work in own:
            to = node[work.key]
            calls.append(
                Call(visits[work.key], minutes(table.durations[at][to]), table.distances[at][to])
            )
            at = to
        home = len(chosen) + 2 * mi + 1
        back = (minutes(table.durations[at][home]), table.distances[at][home])
        route = schedule_route(master, 0, calls, back) if calls else None
        if route is not None:
            routes.append(route)
    objective = routing.Objective(0, 0, 0, 0, 0)
    return problem, routing.Plan(tuple(routes), (), objective, "current", 0.0)


async def suggestions(actor: Actor, order_id: int, day: dt.date) -> Suggestions:
    """The best places for a waiting order on a day, cheapest first."""
    planning.require_planner(actor)
    work = await daywork.read_day(actor, day)
    target = _target(work.day, work.day.left_out, order_id)
    visits = {v.id: v for v in work.day.problem.visits}
    keys = [
        k
        for k, w in work.day.works.items()
        if w.master_id is not None
        and not w.kept
        and str(w.master_id) in {m.id for m in work.day.problem.masters}
        and k != target.key
    ]
    problem, plan = current_plan(work.day, keys)
    visit = msgspec.structs.replace(
        visits[target.key], master_id=None, previous_master_id=None, fixed_start=None
    )
    now = None
    if day == clock.today():
        now = max(0, int((dt.datetime.now(dt.UTC) - work.day.origin).total_seconds() // 60))
    options = routing.insert_visit(problem, plan, visit, provider=matrix(), now=now, top=TOP)
    before = {r.master_id: r.travel_meters for r in plan.routes}
    items = []
    for option in options:
        master = work.day.masters[option.master_id]
        start = at_minute(work.day.origin, option.start)
        window_start, window_end = promised_window(target, start)
        extra = option.route.travel_meters - before.get(option.master_id, 0)
        items.append(
            Suggestion(
                master_id=master.employee_id,
                full_name=master.full_name,
                planned_start=start,
                window_start=window_start,
                window_end=window_end,
                sequence=option.position + 1,
                extra_minutes=option.extra_minutes,
                extra_km=round(extra / 1000, 1),
                late_minutes=option.late_minutes,
            )
        )
    reason = ""
    if not items:
        code, _detail = routing.explain_no_option(problem, plan, visit, now)
        reason = reason_text(code)
    return Suggestions(order_id=order_id, day=day, items=items, reason=reason)
