"""A first solution for plans with breaks: plan without them, make room for them, re-insert.

OR-Tools' break constraint (SetBreakIntervalsOfVehicle) makes its local search about ten
times slower, and from its own first solution it hardly ever brings a dropped visit back.
So when masters have breaks the field solver first searches the same model without breaks,
then repairs every route with routing.schedule (which places breaks exactly), puts the visits
it had to take out back where they still fit, and hands those routes to the full model.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import Callable

from ortools.constraint_solver import pywrapcp

from routing.build import Model, build_model
from routing.costs import drop_penalty
from routing.model import Metric, Plan, Route, Shift, Visit
from routing.prepare import Prepared
from routing.schedule import Call, route_cost, schedule_route
from routing.vroomstart import MAX_PRIORITY, Found, Step, VroomModel


def has_breaks(data: Prepared) -> bool:
    """Whether any master-day has a break to place."""
    return any(vehicle.shift.breaks for vehicle in data.vehicles)


def relaxed_routes(
    data: Prepared, params: pywrapcp.DefaultRoutingSearchParameters
) -> list[list[int]] | None:
    """Visit nodes per vehicle from the model without breaks, or None if it found nothing."""
    model = build_model(_shortened(data), with_breaks=False)
    solution = model.routing.SolveWithParameters(params)
    if solution is None:
        return None
    return [_nodes(model, solution, v) for v in range(len(data.vehicles))]


def _shortened(data: Prepared) -> Prepared:
    """The same problem with each shift ending earlier by its breaks' total duration.

    Measured on the bench field day: the repaired routes keep more visits than from full shifts.
    """
    vehicles = [
        dataclasses.replace(
            v, shift=Shift(v.shift.start, v.shift.end - sum(b.duration for b in v.shift.breaks))
        )
        for v in data.vehicles
    ]
    return dataclasses.replace(data, vehicles=vehicles)


def _nodes(model: Model, solution: pywrapcp.Assignment, v: int) -> list[int]:
    routing, nodes = model.routing, []
    index = solution.Value(routing.NextVar(routing.Start(v)))
    while not routing.IsEnd(index):
        nodes.append(model.manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    return nodes


def schedule(data: Prepared, v: int, nodes: list[int]) -> Route | None:
    """The exact schedule (breaks included) of visit nodes on vehicle v, or None."""
    vehicle = data.vehicles[v]
    previous = data.start_node(vehicle.master_index)
    calls = []
    for node in nodes:
        calls.append(
            Call(data.visits[node], data.travel[previous][node], data.meters[previous][node])
        )
        previous = node
    end = data.end_node(vehicle.master_index)
    back = (data.travel[previous][end], data.meters[previous][end])
    return schedule_route(vehicle.master, vehicle.shift_index, calls, back, data.options.now)


def fit_breaks(data: Prepared, routes: list[list[int]]) -> list[int]:
    """Take visits out of routes whose breaks do not fit; return the nodes taken out.

    Each step removes the visit that makes the route feasible at the lowest drop penalty
    (longest service first among equals), or else the cheapest visit to lose.
    """
    removed: list[int] = []
    for v, nodes in enumerate(routes):
        removed += fit_route(data, v, nodes)
    return removed


def fit_route(data: Prepared, v: int, nodes: list[int]) -> list[int]:
    """fit_breaks for one route (changed in place); the nodes taken out."""
    removed = []
    while nodes and schedule(data, v, nodes) is None:
        scored = []
        for k, node in enumerate(nodes):
            fits = schedule(data, v, nodes[:k] + nodes[k + 1 :]) is not None
            visit = data.visits[node]
            scored.append(((not fits, drop_penalty(visit), -visit.duration, node), k))
        removed.append(nodes.pop(min(scored)[1]))
    return removed


def fitted(data: Prepared, relaxed: VroomModel) -> Callable[[Found], Found]:
    """A judge for routing.ruin on a relaxed model: VROOM's plan with each route made to fit
    the real day (fit_route), scored as VROOM scores (priority, visits left, cost)."""
    metric = data.options.metric
    costs = data.meters if metric == Metric.DISTANCE else data.seconds or data.travel
    priority = [min(MAX_PRIORITY, drop_penalty(v) // 1000) for v in data.visits]
    cache: dict[tuple[int, tuple[int, ...]], list[int]] = {}

    def judge(plan: Found) -> Found:
        routes = []
        for v, nodes in enumerate(plan.routes):
            key = (v, tuple(nodes))
            if key not in cache:
                fit_route(data, v, nodes)
                cache[key] = nodes
            routes.append(cache[key])
        cost = gain = served = 0
        for v, nodes in enumerate(routes):
            if not nodes:
                continue
            mi = data.vehicles[v].master_index
            path = [data.start_node(mi), *nodes, data.end_node(mi)]
            cost += sum(costs[a][b] for a, b in itertools.pairwise(path))
            gain += sum(priority[n] for n in nodes)
            served += len(nodes)
        steps: list[list[Step]] = [[("job", n) for n in nodes] for nodes in routes]
        return Found(steps, (-gain, len(relaxed.jobs) - served, cost))

    return judge


def reinsert(
    data: Prepared, routes: list[list[int]], nodes: list[int], deadline: float | None = None
) -> list[int]:
    """Cheapest feasible insertion of nodes (most important first); return those left out.

    Past `deadline` (perf_counter) the nodes not yet tried are left out as they are.
    """
    visits: dict[str, Visit] = {v.id: v for v in data.visits}
    costs = {v: _cost(data, v, route, visits) for v, route in enumerate(routes)}
    left = []
    for node in sorted(nodes, key=lambda n: (-drop_penalty(data.visits[n]), n)):
        if deadline is not None and time.perf_counter() > deadline:
            left.append(node)
            continue
        best: tuple[float, int, int] | None = None
        for v in _candidates(data, node, routes):
            for position in range(len(routes[v]) + 1):
                trial = [*routes[v][:position], node, *routes[v][position:]]
                route = schedule(data, v, trial)
                if route is None:
                    continue
                extra = route_cost(data.vehicles[v].master, route, visits) - costs[v]
                if best is None or extra < best[0]:
                    best = (extra, v, position)
        if best is None:
            left.append(node)
            continue
        _, v, position = best
        routes[v].insert(position, node)
        costs[v] = _cost(data, v, routes[v], visits)
    return left


def _cost(data: Prepared, v: int, nodes: list[int], visits: dict[str, Visit]) -> float:
    route = schedule(data, v, nodes) if nodes else None
    return 0.0 if route is None else route_cost(data.vehicles[v].master, route, visits)


def _candidates(data: Prepared, node: int, routes: list[list[int]]) -> list[int]:
    """Vehicles that may take the node: eligible, not full, and no extra move under a limit."""
    visit = data.visits[node]
    out = []
    for v in data.allowed[node]:
        master = data.vehicles[v].master
        if master.max_visits_per_day is not None and len(routes[v]) >= master.max_visits_per_day:
            continue
        carried = sum(data.visits[n].load for n in routes[v]) + visit.load
        if master.capacity is not None and carried > master.capacity:
            continue
        moved = visit.previous_master_id is not None and visit.previous_master_id != master.id
        if data.options.max_moved is not None and moved:
            continue
        out.append(v)
    return out


def warm_start(
    model: Model,
    relaxed: pywrapcp.DefaultRoutingSearchParameters,
    full: Callable[[], pywrapcp.DefaultRoutingSearchParameters],
) -> pywrapcp.Assignment | None:
    """Search the full model from the repaired relaxed routes; None if that is not possible.

    `full` gives the full model's parameters once the relaxed phase is over (time left).
    """
    data = model.data
    routes = relaxed_routes(data, relaxed)
    if routes is None:
        return None
    fit_breaks(data, routes)
    served = {node for nodes in routes for node in nodes}
    out = [n for n in range(len(data.visits)) if n not in served and n not in data.excluded]
    reinsert(data, routes, out)
    return search_from(model, routes, full())


def search_from(
    model: Model, routes: list[list[int]], params: pywrapcp.DefaultRoutingSearchParameters
) -> pywrapcp.Assignment | None:
    """Local search of the full model from given visit nodes per vehicle; None if infeasible."""
    routing = model.routing
    routing.CloseModelWithParameters(params)
    indices = [[model.manager.NodeToIndex(node) for node in nodes] for nodes in routes]
    assignment = routing.solver().Assignment()
    if not routing.RoutesToAssignment(indices, True, True, assignment):
        return None
    return routing.SolveFromAssignmentWithParameters(assignment, params)


def plan_routes(data: Prepared, plan: Plan) -> list[list[int]]:
    """Visit nodes per vehicle from an earlier plan, made to fit today's problem.

    Visits gone from the problem or no longer allowed on their master-day are left out; routes
    that no longer fit (windows, breaks, shift, max visits, load) lose their cheapest visits;
    visits the earlier plan did not serve are inserted where they fit best.
    """
    vehicle = {(v.master.id, v.shift_index): k for k, v in enumerate(data.vehicles)}
    node = {visit.id: i for i, visit in enumerate(data.visits)}
    routes: list[list[int]] = [[] for _ in data.vehicles]
    placed: set[int] = set()
    for route in plan.routes:
        v = vehicle.get((route.master_id, route.shift_index))
        for stop in route.stops if v is not None else ():
            n = node.get(stop.visit_id)
            if n is not None and n not in placed and v in data.allowed[n]:
                routes[v].append(n)
                placed.add(n)
    for v, nodes in enumerate(routes):
        while nodes and not _within_limits(data, v, nodes):
            nodes.pop(min(range(len(nodes)), key=lambda k: drop_penalty(data.visits[nodes[k]])))
    fit_breaks(data, routes)
    served = {n for nodes in routes for n in nodes}
    reinsert(data, routes, [n for n in range(len(data.visits)) if n not in served])
    return routes


def _within_limits(data: Prepared, v: int, nodes: list[int]) -> bool:
    """Whether a route keeps its master's max visits and capacity."""
    master = data.vehicles[v].master
    if master.max_visits_per_day is not None and len(nodes) > master.max_visits_per_day:
        return False
    load = sum(data.visits[n].load for n in nodes)
    return master.capacity is None or load <= master.capacity
