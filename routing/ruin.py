"""Ruin and recreate after VROOM's first plan: take out a cluster of visits, let VROOM repair.

VROOM's own search is a descent from a few constructions: it stops in the first local
optimum. Here, until a deadline, stretches of the routes near a random served visit are taken
out of the current plan (string removal, as in SISR) and VROOM, started from what is left of
the routes it touched, with one idle master-day and the unserved visits near, puts them back
and improves those routes by its local search (exploration 0: one quick search); the other
routes stay as they are. A repaired plan becomes the current one when it serves no less
(priority, then count) and costs at most a threshold more, the threshold falling to zero at the
deadline (record-to-record travel); the best plan is kept. Measured on perturbed Solomon and
Gehring-Homberger instances (not the benchmark ones): 4 s of whole-day repairs after VROOM's
plan took 0.5-0.9 % off its distance on average; the local repair does 8-15 times more steps
in the same time (see routing.solver.VROOM_EXPLORATION for what that gained).
VROOM refuses most routes with breaks as a start (VROOM-Project/vroom#1251): a route it
refuses is planned again from its visits within the repair (_solve_refusing), and on days with
breaks each plan counts as judged with its routes fitted to the breaks exactly (the figures
against re-planning parts from scratch, which did that job before: routing.solver._with_breaks).
"""

from __future__ import annotations

import random
import re
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
    judge: Callable[[Found], Found] | None = None,
) -> Found:
    """The best plan found by ruin and recreate from `found` until `deadline` (perf_counter),
    or until the best has not improved for `patience_s` seconds. With `judge`, each plan
    counts as the judge gives it (on days with breaks: its routes fitted to them exactly)."""
    rng = random.Random(seed)
    near = _nearness(model)
    judged = judge or (lambda plan: plan)
    best = current = judged(found)
    begun = clock = improved = time.perf_counter()
    span = max(1e-9, deadline - begun)
    refused = 0
    pace = Pace(deadline)
    while pace.room(clock) and any(found.routes) and refused < REFUSALS:
        if patience_s is not None and clock - improved > patience_s:
            break
        steps = RUIN(current.steps, near, rng)
        try:
            if LOCAL:
                repaired = _repair_near(model, current, steps, near, deadline - clock, rng)
            else:
                repaired = model.solve(steps, deadline - clock, 1, REPAIR_EXPLORATION)
        except Exception:  # VroomInputException (pyvroom's private module): refused routes
            clock, refused = pace.step(clock), refused + 1
            continue
        repaired = judged(repaired)
        clock, refused = pace.step(clock), 0
        if _accept(repaired.key, current.key, THRESHOLD * max(0.0, 1 - (clock - begun) / span)):
            current = repaired
        if repaired.key < best.key:
            best, improved = repaired, clock
    return best


class Pace:
    """The steps of a search so far, to start a step only when one of their mean length still
    ends by the deadline (a VROOM step's construction ignores its timeout: steps started just
    before the deadline ran past it by up to 0.25 s on a loaded machine)."""

    def __init__(self, deadline: float) -> None:
        self.deadline, self.count, self.spent = deadline, 0, 0.0

    def step(self, began: float) -> float:
        """Count a step begun at `began` (perf_counter) that ends now; return now."""
        now = time.perf_counter()
        self.count, self.spent = self.count + 1, self.spent + now - began
        return now

    def room(self, clock: float) -> bool:
        """Whether a step of the mean length so far, begun at `clock`, ends by the deadline."""
        mean = self.spent / self.count if self.count else 0.0
        return clock + mean < self.deadline


LOCAL = True  # repair only the routes the ruin touched and an idle master-day (_repair_near)
OFFERED = 20  # unserved visits near the ruined ones offered to a local repair


def _repair_near(
    model: VroomModel,
    current: Found,
    steps: list[list[Step]],
    near: np.ndarray,
    time_limit_s: float,
    rng: random.Random,
) -> Found:
    """VROOM's repair of the routes the ruin touched, from what is left of them, with the visits
    taken out, the unserved visits near them and one idle master-day; other routes stay.

    VROOM's search after a repair runs over every route it is given: on the whole day that cost
    0.17-0.2 s per step for 100-200 visits (perturbed Solomon and Gehring-Homberger instances,
    2 cores shared), so few steps fitted in the time; on the routes touched, 8-15 times fewer.
    """
    jobs_of = [{n for kind, n in route if kind == "job"} for route in current.steps]
    left_of = [{n for kind, n in route if kind == "job"} for route in steps]
    touched = [v for v, nodes in enumerate(left_of) if nodes != jobs_of[v]]
    taken = sorted(set().union(*(jobs_of[v] - left_of[v] for v in touched)))
    served = set().union(*jobs_of)
    idle = [v for v, nodes in enumerate(jobs_of) if not nodes]
    vehicles = touched + ([rng.choice(idle)] if idle else [])
    chosen = set(vehicles)
    offered: list[int] = []
    for item in near[taken[0]] if taken else ():
        node = int(item)
        if node not in served and node in model.windows and chosen & model.allowed[node]:
            offered.append(node)
            if len(offered) >= OFFERED:
                break
    jobs = sorted(set().union(*(left_of[v] for v in touched), taken, offered))
    part = _solve_refusing(model, steps, time_limit_s, vehicles, jobs)
    merged = [part.steps[v] if v in chosen else route for v, route in enumerate(current.steps)]
    return Found(merged, model.score(merged))


def _solve_refusing(
    model: VroomModel,
    steps: list[list[Step]],
    time_limit_s: float,
    vehicles: list[int],
    jobs: list[int],
) -> Found:
    """model.solve from the given routes; a route VROOM refuses as a start is left to it to
    plan again from its jobs (VROOM refuses valid routes with breaks: VROOM-Project/vroom#1251,
    whenever a visit after the first and before the break has a window closing before the
    break can end)."""
    steps = list(steps)
    for _ in range(len(vehicles) + 1):
        try:
            return model.solve(steps, time_limit_s, 1, REPAIR_EXPLORATION, vehicles, jobs)
        except Exception as error:  # VroomInputException: pyvroom's private module
            found = REFUSED.search(str(error))
            if found is None or not steps[int(found.group(1)) - 1]:
                raise
            steps[int(found.group(1)) - 1] = []
    raise RuntimeError("VROOM refused every route")


REFUSED = re.compile(r"Infeasible route for vehicle (\d+)")


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
    return _without(steps, gone)


def _without(steps: list[list[Step]], gone: set[int]) -> list[list[Step]]:
    """The routes without the visits gone; a route left with no visit is empty."""
    out = []
    for route in steps:
        kept = [(kind, n) for kind, n in route if kind != "job" or n not in gone]
        out.append(kept if any(kind == "job" for kind, _ in kept) else [])
    return out


STRING = 10  # longest stretch of a route taken out by _ruin_strings


def _ruin_strings(
    steps: list[list[Step]], near: np.ndarray, rng: random.Random
) -> list[list[Step]]:
    """The routes without stretches of consecutive visits, one per route near a random served
    visit, about RUINED visits in all (string removal: Christiaens and Vanden Berghe's SISR)."""
    routes = [[n for kind, n in route if kind == "job"] for route in steps]
    owner = {n: v for v, route in enumerate(routes) for n in route}
    seed = rng.choice(sorted(owner))
    target = rng.randint(max(1, RUINED // 2), RUINED + RUINED // 2)
    gone: set[int] = set()
    ruined: set[int] = set()
    for item in near[seed]:
        node = int(item)
        v = owner.get(node)
        if v is None or v in ruined:
            continue
        ruined.add(v)
        nodes = routes[v]
        length = rng.randint(1, min(STRING, len(nodes), target - len(gone)))
        at = nodes.index(node)
        first = rng.randint(max(0, at - length + 1), min(at, len(nodes) - length))
        gone.update(nodes[first : first + length])
        if len(gone) >= target:
            break
    return _without(steps, gone)


RUIN = _ruin_strings  # how improve takes visits out (_ruin: the nearest visits, as before;
# with the local repair, string removal did better on the perturbed instances: see solver)
