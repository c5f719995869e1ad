"""VROOM (pyvroom) on the same problems, for side-by-side benchmarks only.

pyvroom is a dev/bench dependency: it is imported inside the functions, never at module level.
"""

from __future__ import annotations

import itertools
import math
from datetime import timedelta
from typing import Any

from routing.costs import DROP_PENALTY
from routing.matrix import minutes
from routing.model import Priority, Problem
from routing.prepare import points
from routing.solomon import Instance, distance
from routing.vroomstart import MAX_PRIORITY

SCALE = 1000
BENCH_PRIORITIES = (0, 10, 40, 100)  # VROOM priority per Priority (LOW..URGENT) in earlier runs


def solve_solomon_with_vroom(
    instance: Instance, time_limit_s: float, threads: int = 2, exploration: int = 5
) -> list[list[int]]:
    """Routes (customer numbers) from VROOM on Solomon conventions."""
    import numpy as np
    import vroom

    nodes = instance.nodes
    durations = [[math.ceil(SCALE * distance(a, b) - 1e-9) for b in nodes] for a in nodes]
    costs = [[round(SCALE * distance(a, b)) for b in nodes] for a in nodes]
    problem = vroom.Input()
    problem.set_durations_matrix("car", np.array(durations, dtype=np.uint32))
    problem.set_costs_matrix("car", np.array(costs, dtype=np.uint32))
    depot = vroom.TimeWindow(SCALE * instance.depot.ready, SCALE * instance.depot.due)
    for v in range(instance.vehicles):
        problem.add_vehicle(
            vroom.Vehicle(v + 1, start=0, end=0, capacity=[instance.capacity], time_window=depot)
        )
    for location, customer in enumerate(instance.customers, start=1):
        problem.add_job(
            vroom.Job(
                customer.number,
                location=location,
                default_service=SCALE * customer.service,
                delivery=[customer.demand],
                time_windows=[vroom.TimeWindow(SCALE * customer.ready, SCALE * customer.due)],
            )
        )
    solution = problem.solve(
        exploration_level=exploration,
        nb_threads=threads,
        timeout=timedelta(seconds=time_limit_s),
    )
    return _job_ids_per_route(solution.to_dict())


def _job_ids_per_route(answer: dict[str, Any]) -> list[list[int]]:
    routes = []
    for route in answer.get("routes", []):
        jobs = [int(step["id"]) for step in route["steps"] if step["type"] == "job"]
        if jobs:
            routes.append(jobs)
    return routes


def solve_field_with_vroom(
    problem: Problem,
    durations_s: list[list[int]],
    time_limit_s: float,
    threads: int = 2,
    priorities: tuple[int, ...] | None = None,
) -> tuple[int, int]:
    """Served visits and total driving seconds (read from `durations_s` along its routes) from
    VROOM on a field problem (one shift each)."""
    served, driving = field_served(problem, durations_s, time_limit_s, threads, priorities)
    return len(served), driving


def field_served(
    problem: Problem,
    durations_s: list[list[int]],
    time_limit_s: float,
    threads: int = 2,
    priorities: tuple[int, ...] | None = None,
) -> tuple[list[int], int]:
    """The visits (indices) VROOM serves on a field problem and its driving seconds, read from
    `durations_s` along its routes."""
    answer = field_answer(problem, durations_s, time_limit_s, threads, priorities)
    n_visits = len(problem.visits)
    served: list[int] = []
    driving = 0
    for route in answer.get("routes", []):
        mi = int(route["vehicle"]) - 1
        jobs = [int(s["id"]) - 1 for s in route["steps"] if s["type"] == "job"]
        path = [n_visits + 2 * mi, *jobs, n_visits + 2 * mi + 1]
        served += jobs
        driving += sum(durations_s[a][b] for a, b in itertools.pairwise(path))
    return served, driving


def field_answer(
    problem: Problem,
    durations_s: list[list[int]],
    time_limit_s: float,
    threads: int = 2,
    priorities: tuple[int, ...] | None = None,
) -> dict[str, Any]:
    """VROOM's answer (its JSON as a dict; job id = visit index + 1) on a field problem.

    VROOM plans on the table as routing.solve reads it: each drive in whole minutes, to the
    nearest (routing.matrix.minutes), so both solvers meet the same windows and shift ends;
    its costs are the table's seconds, which routing.solve minimises too. On the seconds for
    both, VROOM met windows our model's rounding could miss by up to 29 s a leg (and the other
    way round). `priorities` per Priority (LOW..URGENT); None: those routing.solve gives VROOM
    (the drop penalties', so both solvers weigh the visits alike), see model_priorities.
    """
    weights = model_priorities() if priorities is None else priorities
    import numpy as np
    import vroom

    skill_ids = {s: i for i, s in enumerate(sorted({s for m in problem.masters for s in m.skills}))}
    unknown = len(skill_ids)
    n_visits = len(problem.visits)
    planned = [[60 * minutes(seconds) for seconds in row] for row in durations_s]
    vinput = vroom.Input()
    vinput.set_durations_matrix("car", np.array(planned, dtype=np.uint32))
    vinput.set_costs_matrix("car", np.array(durations_s, dtype=np.uint32))
    assert len(durations_s) == len(points(problem))
    for mi, master in enumerate(problem.masters):
        shift = master.shifts[0]
        breaks = [
            vroom.Break(
                k + 1,
                [vroom.TimeWindow(60 * b.window.start, 60 * (b.window.end - b.duration))],
                60 * b.duration,
            )
            for k, b in enumerate(shift.breaks)
        ]
        vinput.add_vehicle(
            vroom.Vehicle(
                mi + 1,
                start=n_visits + 2 * mi,
                end=n_visits + 2 * mi + 1,
                skills={skill_ids[s] for s in master.skills},
                time_window=vroom.TimeWindow(60 * shift.start, 60 * shift.end),
                breaks=breaks,
                max_tasks=master.max_visits_per_day or n_visits,
            )
        )
    for node, visit in enumerate(problem.visits):
        windows = [vroom.TimeWindow(60 * w.start, 60 * w.end) for w in visit.windows]
        vinput.add_job(
            vroom.Job(
                node + 1,
                location=node,
                default_service=60 * visit.duration,
                skills={skill_ids.get(s, unknown) for s in visit.skills},
                priority=weights[int(visit.priority)],
                time_windows=windows or [vroom.TimeWindow(0, 10**7)],
            )
        )
    answer: dict[str, Any] = vinput.solve(
        exploration_level=5, nb_threads=threads, timeout=timedelta(seconds=time_limit_s)
    ).to_dict()
    return answer


def model_priorities() -> tuple[int, ...]:
    """VROOM priority per Priority as routing.solve sets it (its drop penalty, capped)."""
    return tuple(min(MAX_PRIORITY, DROP_PENALTY[p] // 1000) for p in Priority)
