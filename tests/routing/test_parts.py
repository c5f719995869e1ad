"""Days with breaks: judged plans fit the breaks exactly; ruin and recreate judged so (the
solver's path on such days) is never worse, and its every plan fits."""

import time

import pytest
from hypothesis import given

from routing import Options, Problem, Start, solve
from routing.prepare import Prepared, prepare
from routing.ruin import improve
from routing.vroomstart import Found, VroomModel
from routing.warmstart import fitted, schedule
from tests.routing.helpers import GridProvider, check_plan, master, visit
from tests.routing.test_properties import PROFILE, problems

pytest.importorskip("vroom")


def _lunch_day() -> Problem:
    """Two masters with an hour's lunch and more visits than fit: some are left out."""
    team = (
        master("a", 0, shifts=[(480, 900)], lunch=(720, 840, 60), max_visits_per_day=9),
        master("b", 20, shifts=[(480, 900)], lunch=(690, 800, 60)),
    )
    jobs = tuple(
        visit(
            f"v{i}",
            (7 * i) % 31,
            duration=30 + 15 * (i % 3),
            windows=[(540 + 20 * i, 700 + 20 * i)],
        )
        for i in range(18)
    )
    return Problem(masters=team, visits=jobs)


def _fits(data: Prepared, routes: list[list[int]]) -> bool:
    """Breaks, windows and shift by routing.schedule (not OR-Tools); max visits and load."""
    for v, nodes in enumerate(routes):
        most = data.vehicles[v].master.max_visits_per_day
        capacity = data.vehicles[v].master.capacity
        if most is not None and len(nodes) > most:
            return False
        if capacity is not None and sum(data.visits[n].load for n in nodes) > capacity:
            return False
    return all(schedule(data, v, nodes) is not None for v, nodes in enumerate(routes) if nodes)


def _sound(model: VroomModel, routes: list[list[int]]) -> None:
    served = [n for route in routes for n in route]
    assert len(served) == len(set(served)), "a visit planned twice"
    assert all(v in model.allowed[n] for v, route in enumerate(routes) for n in route)
    assert _fits(model.data, routes)


@PROFILE
@given(problem=problems())
def test_a_judged_plan_fits_every_break_and_keeps_only_what_vroom_planned(
    problem: Problem,
) -> None:
    data = prepare(problem, Options(), GridProvider())
    model = VroomModel(data)
    if not model.jobs:
        return
    found = model.solve(None, None, 1, 0)
    judged = fitted(data, model)(found)
    _sound(model, judged.routes)
    for before, after in zip(found.routes, judged.routes, strict=True):
        assert after == [n for n in before if n in set(after)]  # a subsequence, order kept
    assert judged.key[1] == len(model.jobs) - sum(map(len, judged.routes))
    assert judged.key[:2] >= found.key[:2]


def test_judged_ruin_and_recreate_fits_the_breaks_and_is_no_worse() -> None:
    data = prepare(_lunch_day(), Options(), GridProvider())
    model = VroomModel(data)
    judge = fitted(data, model)
    start = model.solve(None, None, 1, 0)
    best = improve(model, start, time.perf_counter() + 1.0, seed=3, judge=judge)
    assert best.key <= judge(start).key
    _sound(model, best.routes)


def test_judged_ruin_and_recreate_stops_once_its_best_has_not_improved_for_the_patience() -> None:
    data = prepare(_lunch_day(), Options(), GridProvider())
    model = VroomModel(data)
    start = model.solve(None, None, 1, 5)
    began = time.perf_counter()
    improve(model, start, began + 10, patience_s=0.3, judge=fitted(data, model))
    assert time.perf_counter() - began < 5


@PROFILE
@given(problem=problems())
def test_every_plan_of_judged_ruin_and_recreate_fits(problem: Problem) -> None:
    data = prepare(problem, Options(), GridProvider())
    model = VroomModel(data)
    if not model.jobs:
        return
    judge = fitted(data, model)
    start = model.solve(None, None, 1, 0)
    best = improve(model, start, time.perf_counter() + 0.2, judge=judge)
    assert best.key <= judge(start).key
    _sound(model, best.routes)


@PROFILE
@given(problem=problems())
def test_every_plan_from_vroom_with_breaks_is_feasible(problem: Problem) -> None:
    plan = solve(problem, Options(time_limit_s=0.3, start=Start.VROOM), provider=GridProvider())
    check_plan(problem, plan)  # recomputed from the grid, outside OR-Tools


def test_a_lunch_day_from_vroom_is_feasible_and_serves_what_fits() -> None:
    problem = _lunch_day()
    plan = solve(problem, Options(time_limit_s=1.0, start=Start.VROOM), provider=GridProvider())
    check_plan(problem, plan)
    assert sum(len(r.stops) for r in plan.routes) >= 10


def test_judged_ruin_and_recreate_fills_a_nearly_empty_day() -> None:
    data = prepare(_lunch_day(), Options(), GridProvider())
    model = VroomModel(data)
    judge = fitted(data, model)
    sparse = judge(Found([[("job", 0)], [("job", 3)]], (0, 0, 0)))
    assert sum(map(len, sparse.routes)) == 2
    best = improve(model, sparse, time.perf_counter() + 1.0, seed=1, judge=judge)
    _sound(model, best.routes)
    assert sum(map(len, best.routes)) >= 8
    assert best.key < sparse.key
