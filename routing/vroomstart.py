"""A first plan from VROOM (pyvroom) for the OR-Tools model, in the model's own terms.

VROOM sees exactly the prepared data: the same nodes and integer minutes (its "seconds" are
our minutes), each master-day as a vehicle, eligibility (skills, pins, shift fit) as one VROOM
skill per distinct set of allowed vehicles, breaks, max visits, load and drop penalties as
priorities. Its routes are therefore feasible in the OR-Tools model, which then improves them
with what VROOM does not know (SLA lateness, costs per master, moves, balance).
VroomModel also solves from given routes (vehicle steps): routing.ruin repairs plans that way.
pyvroom is imported inside the functions: without it, the caller falls back to OR-Tools alone.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from routing.costs import drop_penalty
from routing.model import Metric, TimeWindow, VisitState
from routing.prepare import Prepared, service_windows

MAX_PRIORITY = 100


def available() -> bool:
    """Whether pyvroom can be imported."""
    return importlib.util.find_spec("vroom") is not None


def load() -> None:
    """Import pyvroom now: the first import in a process takes 1.5-2 s (measured 1.9 s on this
    machine, idle), which a solve's time limit should not pay for."""
    import vroom  # noqa: F401


Key = tuple[int, int, int]  # (-priority served, visits left, cost): smaller is better


Step = tuple[str, int]  # ("job", node) or ("break", VROOM break id), in route order


@dataclass
class Found:
    """A VROOM plan: steps per vehicle (jobs as our nodes, breaks by id) and its score."""

    steps: list[list[Step]]
    key: Key

    @property
    def routes(self) -> list[list[int]]:
        """Visit nodes per vehicle, in order."""
        return [[n for kind, n in route if kind == "job"] for route in self.steps]


class VroomModel:
    """The prepared data in VROOM's terms, to solve from scratch or from given routes."""

    def __init__(self, data: Prepared, seed: int | None = None) -> None:
        self.data = data
        self.place = _places(data, seed)
        self.allowed = _allowed_sets(data)
        self.skill_of = {
            key: k for k, key in enumerate(sorted(set(self.allowed.values()), key=sorted))
        }
        self.loads = any(v.master.capacity is not None for v in data.vehicles)
        jobs = sorted(self.allowed, key=lambda node: self.place[node])
        self.windows = {node: w for node in jobs if (w := start_windows(data, node))}
        self.jobs = [node for node in jobs if node in self.windows]
        self.matrices = _matrices(data, self.place)
        self.priority = [min(MAX_PRIORITY, drop_penalty(v) // 1000) for v in data.visits]

    def input(
        self,
        steps: list[list[Step]] | None = None,
        vehicles: list[int] | None = None,
        jobs: list[int] | None = None,
    ) -> Any:
        """A vroom.Input; `steps` (per vehicle) are the routes VROOM starts its search from;
        `vehicles` and `jobs` (nodes) restrict it to a part of the day."""
        import vroom

        problem = vroom.Input()
        for name, table in self.matrices.items():
            getattr(problem, f"set_{name}_matrix")("car", table)
        for v in range(len(self.data.vehicles)) if vehicles is None else vehicles:
            skills = {self.skill_of[key] for key in self.skill_of if v in key}
            route = steps[v] if steps is not None else []
            problem.add_vehicle(
                _vehicle(vroom, self.data, v, skills, self.loads, self.place, route)
            )
        for node in self.jobs if jobs is None else jobs:
            skill = self.skill_of[self.allowed[node]]
            problem.add_job(
                _job(vroom, self.data, node, self.windows[node], skill, self.loads, self.place)
            )
        return problem

    def score(self, steps: list[list[Step]]) -> Key:
        """The key VROOM gives a plan of the whole day: (-priority served, visits left, cost)."""
        costs = self.matrices["costs"]
        gain = served = cost = 0
        for v, route in enumerate(steps):
            nodes = [n for kind, n in route if kind == "job"]
            if not nodes:
                continue
            mi = self.data.vehicles[v].master_index
            path = [self.data.start_node(mi), *nodes, self.data.end_node(mi)]
            places = [self.place[n] for n in path]
            cost += int(sum(int(costs[a, b]) for a, b in itertools.pairwise(places)))
            gain += sum(self.priority[n] for n in nodes)
            served += len(nodes)
        return (-gain, len(self.jobs) - served, cost)

    def solve(
        self,
        steps: list[list[Step]] | None,
        time_limit_s: float | None,
        threads: int,
        exploration: int,
        vehicles: list[int] | None = None,
        jobs: list[int] | None = None,
    ) -> Found:
        """VROOM's plan, from scratch or (with `steps`) by local search from those routes;
        with `vehicles` and `jobs` of that part only (other vehicles' routes empty)."""
        timeout = None if time_limit_s is None else timedelta(seconds=max(0.01, time_limit_s))
        problem = self.input(steps, vehicles, jobs)
        solution = problem.solve(exploration_level=exploration, nb_threads=threads, timeout=timeout)
        answer = solution.to_dict()
        summary = answer["summary"]
        key = (-int(summary["priority"]), int(summary["unassigned"]), int(summary["cost"]))
        return Found(_steps(answer, len(self.data.vehicles)), key)


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
    model = VroomModel(data, seed)
    if not model.jobs:
        return None
    found = model.solve(None, time_limit_s, threads, exploration)
    return found.routes, found.key


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


def _matrices(data: Prepared, place: list[int]) -> dict[str, Any]:
    """Durations are our minutes; costs are the table's seconds, or metres for distance."""
    import numpy as np

    order = [0] * (max(place) + 1)
    for node in reversed(range(len(place))):
        order[place[node]] = node
    costs = data.meters if data.options.metric == Metric.DISTANCE else data.seconds or data.travel
    return {
        name: np.array(matrix, dtype=np.uint32)[np.ix_(order, order)]
        for name, matrix in (("durations", data.travel), ("costs", costs))
    }


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
    vroom: Any,
    data: Prepared,
    v: int,
    skills: set[int],
    loads: bool,
    place: list[int],
    route: list[Step],
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
    if route:
        extra["steps"] = [
            vroom.VehicleStepStart(),
            *(
                vroom.VehicleStepSingle(n + 1) if kind == "job" else vroom.VehicleStepBreak(n)
                for kind, n in route
            ),
            vroom.VehicleStepEnd(),
        ]
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
        priority=min(MAX_PRIORITY, drop_penalty(visit) // 1000),  # as VroomModel.priority
        time_windows=[vroom.TimeWindow(w.start, w.end) for w in windows],
    )


def _steps(answer: dict[str, Any], n_vehicles: int) -> list[list[Step]]:
    routes: list[list[Step]] = [[] for _ in range(n_vehicles)]
    for route in answer.get("routes", []):
        routes[int(route["vehicle"]) - 1] = [
            ("job", int(step["id"]) - 1) if step["type"] == "job" else ("break", int(step["id"]))
            for step in route["steps"]
            if step["type"] in ("job", "break")
        ]
    return routes
