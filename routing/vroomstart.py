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
from datetime import timedelta
from typing import Any

from routing.costs import drop_penalty
from routing.model import Metric, TimeWindow, VisitState
from routing.prepare import Prepared, service_windows

MAX_PRIORITY = 100


def available() -> bool:
    """Whether pyvroom can be imported."""
    return importlib.util.find_spec("vroom") is not None


def vroom_routes(
    data: Prepared, time_limit_s: float | None, threads: int = 2, exploration: int = 5
) -> list[list[int]] | None:
    """Visit nodes per vehicle from VROOM, or None when it found nothing to plan."""
    import vroom

    problem = vroom.Input()
    _add_matrices(problem, data)
    allowed = _allowed_sets(data)
    skill_of = {key: k for k, key in enumerate(sorted(set(allowed.values())))}
    loads = any(v.master.capacity is not None for v in data.vehicles)
    for v in range(len(data.vehicles)):
        skills = {skill_of[key] for key in skill_of if v in key}
        problem.add_vehicle(_vehicle(vroom, data, v, skills, loads))
    jobs = 0
    for node, key in allowed.items():
        windows = start_windows(data, node)
        if windows:
            problem.add_job(_job(vroom, data, node, windows, skill_of[key], loads))
            jobs += 1
    if jobs == 0:
        return None
    timeout = None if time_limit_s is None else timedelta(seconds=max(0.01, time_limit_s))
    solution = problem.solve(exploration_level=exploration, nb_threads=threads, timeout=timeout)
    return _routes(solution.to_dict(), len(data.vehicles))


def _add_matrices(problem: Any, data: Prepared) -> None:
    """Durations are our minutes; costs are minutes or metres as the objective counts them."""
    import numpy as np

    problem.set_durations_matrix("car", np.array(data.travel, dtype=np.uint32))
    costs = data.meters if data.options.metric == Metric.DISTANCE else data.travel
    problem.set_costs_matrix("car", np.array(costs, dtype=np.uint32))


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


def _vehicle(vroom: Any, data: Prepared, v: int, skills: set[int], loads: bool) -> Any:
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
        start=data.start_node(vehicle.master_index),
        end=data.end_node(vehicle.master_index),
        capacity=capacity,
        skills=skills,
        time_window=vroom.TimeWindow(shift.start, shift.end),
        breaks=breaks,
        **extra,
    )


def _job(
    vroom: Any, data: Prepared, node: int, windows: list[TimeWindow], skill: int, loads: bool
) -> Any:
    visit = data.visits[node]
    return vroom.Job(
        node + 1,
        location=node,
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
