"""A first plan from VROOM (pyvroom) for the OR-Tools model, in the model's own terms.

VROOM sees exactly the prepared data: the same nodes and integer minutes (its "seconds" are
our minutes), each master-day as a vehicle, eligibility (skills, pins, shift fit) as one VROOM
skill per distinct set of allowed vehicles, breaks, max visits, load and drop penalties as
priorities. Its routes are therefore feasible in the OR-Tools model, which then improves them
with what VROOM does not know (SLA lateness, costs per master, moves, balance).
pyvroom is imported inside the functions: without it, the caller falls back to OR-Tools alone.
"""

from __future__ import annotations

import importlib.util
import random
from datetime import timedelta
from typing import Any

from routing.costs import drop_penalty
from routing.model import Metric, TimeWindow, VisitState
from routing.prepare import Prepared, service_windows

MAX_PRIORITY = 100


def available() -> bool:
    """Whether pyvroom can be imported."""
    return importlib.util.find_spec("vroom") is not None


Key = tuple[int, int, int]  # (-priority served, visits left, cost): smaller is better


def vroom_routes(
    data: Prepared,
    time_limit_s: float | None,
    threads: int = 2,
    exploration: int = 5,
    seed: int | None = None,
) -> tuple[list[list[int]], Key] | None:
    """Visit nodes per vehicle from VROOM and its score, or None when there is nothing to plan.

    `seed` shuffles the order in which VROOM sees the visits (None: the problem's order).
    Measured on perturbed Solomon instances: restarts on shuffled orders found nothing better.
    """
    import vroom

    problem = vroom.Input()
    place = _places(data, seed)
    _add_matrices(problem, data, place)
    allowed = _allowed_sets(data)
    skill_of = {key: k for k, key in enumerate(sorted(set(allowed.values()), key=sorted))}
    loads = any(v.master.capacity is not None for v in data.vehicles)
    for v in range(len(data.vehicles)):
        skills = {skill_of[key] for key in skill_of if v in key}
        problem.add_vehicle(_vehicle(vroom, data, v, skills, loads, place))
    jobs = sorted(allowed, key=lambda node: place[node])
    for node in jobs:
        windows = start_windows(data, node)
        if windows:
            problem.add_job(_job(vroom, data, node, windows, skill_of[allowed[node]], loads, place))
    if not jobs:
        return None
    timeout = None if time_limit_s is None else timedelta(seconds=max(0.01, time_limit_s))
    solution = problem.solve(exploration_level=exploration, nb_threads=threads, timeout=timeout)
    answer = solution.to_dict()
    summary = answer["summary"]
    key = (-int(summary["priority"]), int(summary["unassigned"]), int(summary["cost"]))
    return _routes(answer, len(data.vehicles)), key


def _places(data: Prepared, seed: int | None) -> list[int]:
    """VROOM location per node: masters' places first (one per distinct place), then visits.

    Measured: VROOM plans markedly worse when vehicles at one depot have distinct locations.
    """
    n_visits = len(data.visits)
    masters: list[int] = []  # VROOM location -> a master node there
    place = [0] * (n_visits + 2 * len(data.problem.masters))
    seen: dict[tuple[float, float], int] = {}
    for mi, master in enumerate(data.problem.masters):
        end = master.end_location or master.start_location
        for node, where in ((data.start_node(mi), master.start_location), (data.end_node(mi), end)):
            first = seen.setdefault((where.lat, where.lon), node)
            if first != node and _same_travel(data, first, node):
                place[node] = place[first]
                continue
            place[node] = len(masters)
            masters.append(node)
    order = list(range(n_visits))
    if seed is not None:
        random.Random(seed).shuffle(order)
    for k, node in enumerate(order):
        place[node] = len(masters) + k
    return place


def _same_travel(data: Prepared, a: int, b: int) -> bool:
    """Whether two nodes have the same travel to and from every node."""
    rows = data.travel[a] == data.travel[b] and data.meters[a] == data.meters[b]
    return rows and all(row[a] == row[b] for row in data.travel)


def _add_matrices(problem: Any, data: Prepared, place: list[int]) -> None:
    """Durations are our minutes; costs are the table's seconds, or metres for distance."""
    import numpy as np

    order = [0] * (max(place) + 1)
    for node in reversed(range(len(place))):
        order[place[node]] = node
    costs = data.meters if data.options.metric == Metric.DISTANCE else data.seconds or data.travel
    for name, matrix in (("durations", data.travel), ("costs", costs)):
        table = np.array(matrix, dtype=np.uint32)[np.ix_(order, order)]
        getattr(problem, f"set_{name}_matrix")("car", table)


def _allowed_sets(data: Prepared) -> dict[int, frozenset[int]]:
    """Allowed vehicles per plannable node; under a move limit only the previous master's."""
    out: dict[int, frozenset[int]] = {}
    for node, allowed in enumerate(data.allowed):
        if node in data.excluded or not allowed:
            continue
        previous = data.visits[node].previous_master_id
        if data.options.max_moved is not None and previous is not None:
            allowed = [v for v in allowed if data.vehicles[v].master.id == previous]
            if not allowed:
                continue
        out[node] = frozenset(allowed)
    return out


def start_windows(data: Prepared, node: int) -> list[TimeWindow]:
    """Sorted disjoint windows for the service start of a node, from `now` for open visits."""
    visit = data.visits[node]
    windows = service_windows(visit, data.horizon)
    now = data.options.now
    if visit.state == VisitState.OPEN and visit.fixed_start is None and now is not None:
        windows = [TimeWindow(max(w.start, now), w.end) for w in windows if w.end >= now]
    merged: list[TimeWindow] = []
    for window in windows:
        if merged and window.start <= merged[-1].end + 1:
            merged[-1] = TimeWindow(merged[-1].start, max(merged[-1].end, window.end))
        else:
            merged.append(window)
    return merged


def _vehicle(
    vroom: Any, data: Prepared, v: int, skills: set[int], loads: bool, place: list[int]
) -> Any:
    vehicle = data.vehicles[v]
    shift, master = vehicle.shift, vehicle.master
    breaks = [
        vroom.Break(
            k + 1,
            [vroom.TimeWindow(b.window.start, b.window.end - b.duration)],
            b.duration,
        )
        for k, b in enumerate(shift.breaks)
    ]
    capacity = []
    if loads:
        unlimited = sum(visit.load for visit in data.visits)
        capacity = [unlimited if master.capacity is None else master.capacity]
    extra: dict[str, Any] = {}
    if master.max_visits_per_day is not None:
        extra["max_tasks"] = master.max_visits_per_day
    return vroom.Vehicle(
        v + 1,
        start=place[data.start_node(vehicle.master_index)],
        end=place[data.end_node(vehicle.master_index)],
        capacity=capacity,
        skills=skills,
        time_window=vroom.TimeWindow(shift.start, shift.end),
        breaks=breaks,
        **extra,
    )


def _job(
    vroom: Any,
    data: Prepared,
    node: int,
    windows: list[TimeWindow],
    skill: int,
    loads: bool,
    place: list[int],
) -> Any:
    visit = data.visits[node]
    return vroom.Job(
        node + 1,
        location=place[node],
        default_service=visit.duration,
        delivery=[visit.load] if loads else [],
        skills={skill},
        priority=min(MAX_PRIORITY, drop_penalty(visit) // 1000),
        time_windows=[vroom.TimeWindow(w.start, w.end) for w in windows],
    )


def _routes(answer: dict[str, Any], n_vehicles: int) -> list[list[int]]:
    routes: list[list[int]] = [[] for _ in range(n_vehicles)]
    for route in answer.get("routes", []):
        jobs = [int(step["id"]) - 1 for step in route["steps"] if step["type"] == "job"]
        routes[int(route["vehicle"]) - 1] = jobs
    return routes
