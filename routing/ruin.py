"""Ruin and recreate after VROOM's first plan: take out a cluster of visits, let VROOM repair.

VROOM's own search is a descent from a few constructions: it stops in the first local
optimum. Here, until a deadline, the visits nearest a random served visit are taken out of
the current plan and VROOM, started from the remaining routes, puts them back and improves
the routes by its local search (exploration 0: one quick search). A repaired plan becomes the
current one when it serves no less (priority, then count) and costs at most a threshold more,
the threshold falling to zero at the deadline (record-to-record travel); the best plan is kept.
Chosen on perturbed Solomon instances (not the benchmark ones): 4 s of this after VROOM's plan
took 0.5-0.9 % off its distance on average.
VROOM refuses routes with breaks as a start (VROOM-Project/vroom#1251), so on days with breaks
reoptimize_parts re-plans a few neighbouring routes at a time from scratch instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np

from routing.model import Metric
from routing.vroomstart import Found, Key, Step, VroomModel

REFUSALS = 5  # VROOM refusing this many repairs in a row ends the search (it cannot start
# from routes with breaks: VROOM-Project/vroom#1251)
RUINED = 15  # visits taken out per step
THRESHOLD = 0.005  # share of the current cost a worse plan may cost at the start
REPAIR_EXPLORATION = 0  # VROOM's exploration level when putting visits back


def improve(
    model: VroomModel,
    found: Found,
    deadline: float,
    patience_s: float | None = None,
    seed: int = 0,
) -> Found:
    """The best plan found by ruin and recreate from `found` until `deadline` (perf_counter),
    or until the best has not improved for `patience_s` seconds."""
    rng = random.Random(seed)
    near = _nearness(model)
    best = current = found
    begun = clock = improved = time.perf_counter()
    span = max(1e-9, deadline - begun)
    refused = 0
    while clock < deadline and any(found.routes) and refused < REFUSALS:
        if patience_s is not None and clock - improved > patience_s:
            break
        steps = _ruin(current.steps, near, rng)
        try:
            repaired = model.solve(steps, deadline - clock, 1, REPAIR_EXPLORATION)
        except Exception:  # VroomInputException (pyvroom's private module): refused routes
            clock, refused = time.perf_counter(), refused + 1
            continue
        clock, refused = time.perf_counter(), 0
        if _accept(repaired.key, current.key, THRESHOLD * max(0.0, 1 - (clock - begun) / span)):
            current = repaired
        if repaired.key < best.key:
            best, improved = repaired, clock
    return best


def _accept(candidate: Key, current: Key, threshold: float) -> bool:
    """Serves more (by priority, then count), or as much at most `threshold` dearer."""
    if candidate[:2] != current[:2]:
        return candidate[:2] < current[:2]
    return candidate[2] <= current[2] * (1 + threshold)


def _nearness(model: VroomModel) -> np.ndarray:
    """Visit nodes by closeness (both ways) to each visit node: row i starts with i."""
    data = model.data
    n = len(data.visits)
    distance = data.options.metric == Metric.DISTANCE
    table = data.meters if distance else data.seconds or data.travel
    costs = np.array(table, dtype=np.int64)[:n, :n]
    both = costs + costs.T
    np.fill_diagonal(both, -1)
    return np.argsort(both, axis=1, kind="stable")


def _ruin(steps: list[list[Step]], near: np.ndarray, rng: random.Random) -> list[list[Step]]:
    """The routes without a random served visit and its nearest served neighbours."""
    served = [n for route in steps for kind, n in route if kind == "job"]
    seed = rng.choice(served)
    planned = set(served)
    gone: set[int] = set()
    for node in near[seed]:
        if int(node) in planned:
            gone.add(int(node))
            if len(gone) >= RUINED:
                break
    out = []
    for route in steps:
        kept = [(kind, n) for kind, n in route if kind != "job" or n not in gone]
        out.append(kept if any(kind == "job" for kind, _ in kept) else [])
    return out


PART_ROUTES = 4  # routes re-planned together by reoptimize_parts
PART_OFFERED = 20  # unserved visits near the part offered to it
PART_EXPLORATION = 2  # VROOM's level for a part (from scratch)
PART_TIMEOUT_S = 1.0  # at most this long per part


def reoptimize_parts(
    model: VroomModel,
    found: Found,
    deadline: float,
    judge: Callable[[Found], Found],
    patience_s: float | None = None,
    seed: int = 0,
) -> Found:
    """Re-plan parts of the day from scratch until `deadline`: the routes nearest a random
    served visit, with their visits and the unserved ones near it, solved by VROOM alone.

    VROOM cannot start from routes with breaks (VROOM-Project/vroom#1251), but it can plan a
    few master-days from scratch, breaks included. `judge` gives the plan that counts (routes
    made to fit exactly) and its score; a part's plan replaces the old one when the whole plan
    serves no less and costs at most a falling threshold more (as in `improve`). Stops at
    `deadline` or when the best has not improved for `patience_s` seconds.
    """
    rng = random.Random(seed)
    near = _nearness(model)
    best = current = judge(found)
    begun = clock = improved = time.perf_counter()
    span = max(1e-9, deadline - begun)
    while clock < deadline:
        if patience_s is not None and clock - improved > patience_s:
            break
        routes = current.routes
        owner = {n: v for v, route in enumerate(routes) for n in route}
        if not owner:
            break
        centre = rng.choice(sorted(owner))
        vehicles: list[int] = []
        offered: list[int] = []
        for item in near[centre]:
            node = int(item)
            v = owner.get(node)
            if v is not None and v not in vehicles and len(vehicles) < PART_ROUTES:
                vehicles.append(v)
            elif v is None and node in model.windows and len(offered) < PART_OFFERED:
                offered.append(node)
            if len(vehicles) >= PART_ROUTES and len(offered) >= PART_OFFERED:
                break
        chosen = set(vehicles)
        offered = [n for n in offered if chosen & model.allowed[n]]
        jobs = sorted({n for v in vehicles for n in routes[v]} | set(offered))
        timeout = min(PART_TIMEOUT_S, deadline - clock)
        try:
            part = model.solve(None, timeout, 1, PART_EXPLORATION, vehicles, jobs)
        except Exception:  # VROOM refusing a part leaves the plan as it is
            clock = time.perf_counter()
            continue
        trial = [part.routes[v] if v in chosen else route for v, route in enumerate(routes)]
        judged = judge(Found([[("job", n) for n in route] for route in trial], current.key))
        clock = time.perf_counter()
        if _accept(judged.key, current.key, THRESHOLD * max(0.0, 1 - (clock - begun) / span)):
            current = judged
        if judged.key < best.key:
            best, improved = judged, clock
    return best
