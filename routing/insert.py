"""Fast insertion of one new (urgent) visit into an existing plan, without moving anything.

Every master-day is tried at every position after its last started or done visit; the
resulting schedules are checked with routing.schedule and ranked by extra cost.
"""

from __future__ import annotations

import msgspec

from routing.errors import RoutingInputError
from routing.matrix import GeodesicMatrix, MatrixProvider, TravelTable, minutes
from routing.model import Master, Plan, Problem, Reason, Route, TimeWindow, Visit, VisitState
from routing.prepare import points
from routing.schedule import Call, route_cost, schedule_route
from routing.validate import validate_problem


class InsertionOption(msgspec.Struct, frozen=True):
    """Put the visit at `position` of a master-day's stops; `route` is the route after it."""

    master_id: str
    shift_index: int
    position: int
    arrival: int
    start: int
    extra_minutes: int
    extra_cost: float
    late_minutes: int
    route: Route


def insert_visit(
    problem: Problem,
    plan: Plan,
    visit: Visit,
    provider: MatrixProvider | None = None,
    now: int | None = None,
    top: int = 3,
) -> list[InsertionOption]:
    """Rank the best `top` places (one per master-day) for a new visit in a plan."""
    validate_problem(msgspec.structs.replace(problem, visits=(*problem.visits, visit)))
    known = {v.id for v in problem.visits}
    if visit.id in known:
        raise RoutingInputError(f"visit {visit.id!r} is already in the problem")
    pts = points(problem)
    outbound = (provider or GeodesicMatrix()).table(pts, [visit.location])
    inbound = (provider or GeodesicMatrix()).table([visit.location], pts)
    legs = _Legs(problem, outbound, inbound)
    visits = {v.id: v for v in problem.visits}
    visits[visit.id] = _not_before(visit, now) or visit
    routes = {(r.master_id, r.shift_index): r for r in plan.routes}
    options: list[InsertionOption] = []
    for mi, master in enumerate(problem.masters):
        if not visit.skills <= master.skills:
            continue
        if visit.master_id is not None and visit.master_id != master.id:
            continue
        for si in range(len(master.shifts)):
            route = routes.get((master.id, si))
            best = _best_in_route(master, mi, si, route, visit, visits, legs, now)
            if best is not None:
                options.append(best)
    options.sort(key=lambda o: (o.extra_cost, o.start, o.master_id, o.shift_index))
    return options[:top]


class _Legs:
    """Travel to and from the new visit, indexed like `points(problem)`."""

    def __init__(self, problem: Problem, outbound: TravelTable, inbound: TravelTable) -> None:
        self.node = {v.id: i for i, v in enumerate(problem.visits)}
        self.n_visits = len(problem.visits)
        self.out_minutes = [minutes(row[0]) for row in outbound.durations]
        self.out_meters = [row[0] for row in outbound.distances]
        self.in_minutes = [minutes(s) for s in inbound.durations[0]]
        self.in_meters = list(inbound.distances[0])

    def to_new(self, master_index: int, previous_id: str | None) -> tuple[int, int]:
        """Leg from a visit (or the master's start) to the new visit."""
        i = self._index(master_index, previous_id, 0)
        return self.out_minutes[i], self.out_meters[i]

    def from_new(self, master_index: int, next_id: str | None) -> tuple[int, int]:
        """Leg from the new visit to a visit (or the master's end)."""
        i = self._index(master_index, next_id, 1)
        return self.in_minutes[i], self.in_meters[i]

    def _index(self, master_index: int, visit_id: str | None, end: int) -> int:
        if visit_id is None:
            return self.n_visits + 2 * master_index + end
        return self.node[visit_id]


def _calls(route: Route | None, visits: dict[str, Visit]) -> tuple[list[Call], tuple[int, int]]:
    if route is None:
        return [], (0, 0)
    calls = [Call(visits[s.visit_id], s.travel_minutes, s.travel_meters) for s in route.stops]
    return calls, (route.return_minutes, route.return_meters)


def _not_before(visit: Visit, now: int | None) -> Visit | None:
    """The new visit with its windows clipped to start no earlier than `now`."""
    if now is None:
        return visit
    windows = visit.windows or (TimeWindow(now, 10**9),)
    clipped = tuple(TimeWindow(max(w.start, now), w.end) for w in windows if w.end >= now)
    return msgspec.structs.replace(visit, windows=clipped) if clipped else None


def _best_in_route(
    master: Master,
    master_index: int,
    shift_index: int,
    route: Route | None,
    visit: Visit,
    visits: dict[str, Visit],
    legs: _Legs,
    now: int | None,
) -> InsertionOption | None:
    calls, back = _calls(route, visits)
    cap = master.max_visits_per_day
    if cap is not None and len(calls) >= cap:
        return None
    base = 0.0 if route is None else route_cost(master, route, visits)
    base_minutes = 0 if route is None else route.travel_minutes
    started = [
        i
        for i, (c, s) in enumerate(zip(calls, route.stops if route else (), strict=False))
        if c.visit.state != VisitState.OPEN or (now is not None and s.start < now)
    ]
    first = 1 + max(started, default=-1)
    clipped = _not_before(visit, now)
    if clipped is None:
        return None
    visit = clipped
    best: InsertionOption | None = None
    for position in range(first, len(calls) + 1):
        previous_id = calls[position - 1].visit.id if position > 0 else None
        next_id = calls[position].visit.id if position < len(calls) else None
        into = legs.to_new(master_index, previous_id)
        out = legs.from_new(master_index, next_id)
        new_calls = [*calls[:position], Call(visit, *into)]
        if next_id is None:
            new_back = out
        else:
            new_calls.append(Call(calls[position].visit, *out))
            new_back = back
        new_calls += calls[position + 1 :]
        if not calls:
            new_back = out
        new_route = schedule_route(master, shift_index, new_calls, new_back)
        if new_route is None:
            continue
        cost = route_cost(master, new_route, visits) - base
        if best is not None and cost >= best.extra_cost:
            continue
        stop = new_route.stops[position]
        best = InsertionOption(
            master_id=master.id,
            shift_index=shift_index,
            position=position,
            arrival=stop.arrival,
            start=stop.start,
            extra_minutes=new_route.travel_minutes - base_minutes,
            extra_cost=round(cost, 2),
            late_minutes=stop.late_minutes,
            route=new_route,
        )
    return best


def explain_no_option(
    problem: Problem, plan: Plan, visit: Visit, now: int | None = None
) -> tuple[Reason, str]:
    """Why `insert_visit` offers no place for a visit, in words a dispatcher can act on."""
    skilled = [m for m in problem.masters if visit.skills <= m.skills]
    if not skilled:
        return Reason.NO_SKILL, f"no master has skills {sorted(visit.skills)}"
    if visit.master_id is not None:
        skilled = [m for m in skilled if m.id == visit.master_id]
        if not skilled:
            return Reason.PINNED_MASTER_CANNOT, f"pinned master {visit.master_id!r} cannot take it"
    if _not_before(visit, now) is None:
        return Reason.NO_WINDOW_FITS_SHIFT, f"every window of the visit ends before now ({now})"
    loads = {(r.master_id, r.shift_index): len(r.stops) for r in plan.routes}
    days = [(m, si) for m in skilled for si in range(len(m.shifts))]
    full = [
        (m, si)
        for m, si in days
        if m.max_visits_per_day is not None and loads.get((m.id, si), 0) >= m.max_visits_per_day
    ]
    if len(full) == len(days):
        return (
            Reason.DAY_CAPACITY_EXHAUSTED,
            f"all {len(days)} master-days that could take it already have their maximum visits",
        )
    return (
        Reason.NO_ROOM,
        f"{len(full)} of {len(days)} skilled master-days are at their maximum visits and the "
        f"other {len(days) - len(full)} have no gap for it in its windows (breaks kept)",
    )
