"""Ruin and recreate after VROOM's first plan: take out a cluster of visits, let VROOM repair.

VROOM's own search is a descent from a few constructions: it stops in the first local
optimum. Here, until a deadline, the visits nearest a random served visit are taken out of
the current plan and VROOM, started from the remaining routes, puts them back and improves
the routes by its local search (exploration 0: one quick search). A repaired plan becomes the
current one when it serves no less (priority, then count) and costs at most a threshold more,
the threshold falling to zero at the deadline (record-to-record travel); the best plan is kept.
Chosen on perturbed Solomon instances (not the benchmark ones): 4 s of this after VROOM's plan
took 0.5-0.9 % off its distance on average.
"""

from __future__ import annotations

import random
import time

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
