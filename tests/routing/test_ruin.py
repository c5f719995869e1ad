"""Ruin and recreate after VROOM's plan: never worse, feasible outside the solver, bounded."""

import dataclasses
import itertools
import random
import time
from pathlib import Path

import pytest

from routing import Metric, Options, Problem, Start, ruin, solve
from routing.prepare import prepare
from routing.ruin import (
    REFUSALS,
    RUINED,
    _nearness,
    _repair_near,
    _ruin,
    _ruin_strings,
    _solve_refusing,
    improve,
)
from routing.solomon import Instance, load, route_errors, to_problem, total_distance
from routing.vroomstart import VroomModel
from tests.routing.helpers import GridProvider, check_plan, master, visit

pytest.importorskip("vroom")

C101 = Path(__file__).parent / "data" / "C101.txt"


def _instance(customers: int = 40) -> Instance:
    """C101's first customers with wider windows: room for ruin and recreate to move things."""
    instance = load(C101)
    wide = tuple(
        dataclasses.replace(c, ready=max(0, c.ready - 150), due=min(1100, c.due + 150))
        for c in instance.customers[:customers]
    )
    return dataclasses.replace(instance, customers=wide)


def _vroom_model(instance: Instance) -> VroomModel:
    problem, table = to_problem(instance)
    return VroomModel(prepare(problem, Options(metric=Metric.DISTANCE), table=table))


def _numbers(model: VroomModel, routes: list[list[int]]) -> list[list[int]]:
    return [[int(model.data.visits[n].id) for n in route] for route in routes if route]


def test_ruin_takes_out_the_nearest_served_visits_and_keeps_the_others_in_order() -> None:
    model = _vroom_model(_instance())
    found = model.solve(None, None, 1, 0)
    ruined = _ruin(found.steps, _nearness(model), random.Random(3))
    kept = [n for route in ruined for kind, n in route if kind == "job"]
    gone = {n for n in range(len(model.data.visits))} - set(kept)
    assert len(gone) == RUINED
    for before, after in zip(found.routes, ruined, strict=True):
        assert [n for kind, n in after if kind == "job"] == [n for n in before if n not in gone]
    meters = model.data.meters

    def both(a: int, b: int) -> int:
        return meters[a][b] + meters[b][a]

    assert any(  # some visit (the seed) has every visit taken out nearer than every one kept
        max(both(s, g) for g in gone) <= min(both(s, k) for k in kept) for s in gone
    )


def test_string_removal_takes_out_stretches_of_nearby_routes() -> None:
    model = _vroom_model(_instance())
    found = model.solve(None, None, 1, 0)
    for seed in range(20):
        ruined = _ruin_strings(found.steps, _nearness(model), random.Random(seed))
        kept = {n for route in ruined for kind, n in route if kind == "job"}
        gone = {n for route in found.routes for n in route} - kept
        assert 1 <= len(gone) <= RUINED + RUINED // 2
        for before, after in zip(found.routes, ruined, strict=True):
            left = [n for kind, n in after if kind == "job"]
            assert left == [n for n in before if n in kept]
            out = [k for k, n in enumerate(before) if n in gone]
            assert out == list(range(out[0], out[0] + len(out))) if out else True  # one stretch


def test_score_is_the_key_vroom_gives_its_own_plan() -> None:
    model = _vroom_model(_instance())
    found = model.solve(None, None, 1, 3)
    assert model.score(found.steps) == found.key
    assert model.score([[] for _ in found.steps])[1] == len(model.jobs)


def test_a_local_repair_changes_only_the_routes_the_ruin_touched_and_one_idle() -> None:
    instance = _instance()
    model = _vroom_model(instance)
    found = model.solve(None, None, 1, 0)
    near = _nearness(model)
    for seed in range(5):
        rng = random.Random(seed)
        ruined = _ruin(found.steps, near, rng)
        touched = {v for v, r in enumerate(ruined) if len(r) != len(found.steps[v])}
        repaired = _repair_near(model, found, ruined, near, 5, rng)
        changed = {v for v, r in enumerate(repaired.steps) if r != found.steps[v]}
        newly_busy = {v for v in changed - touched if not found.steps[v]}
        assert changed - touched == newly_busy and len(newly_busy) <= 1
        assert repaired.key == model.score(repaired.steps)
        routes = _numbers(model, repaired.routes)
        assert route_errors(instance, routes) == []  # recomputed from the instance, not VROOM
        assert sorted(n for r in routes for n in r) == sorted(c.number for c in instance.customers)


@pytest.mark.parametrize("local", [True, False])
def test_improve_is_never_worse_than_its_start_and_stays_feasible(local: bool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ruin, "LOCAL", local)
    instance = _instance()
    model = _vroom_model(instance)
    start = model.solve(None, None, 1, 0)
    best = improve(model, start, time.perf_counter() + 1.5, seed=1)
    assert best.key <= start.key
    routes = _numbers(model, best.routes)
    assert route_errors(instance, routes) == []  # recomputed from the instance, not VROOM
    assert (
        total_distance(instance, routes)
        <= total_distance(instance, _numbers(model, start.routes)) + 1e-6
    )


def test_improve_stops_once_its_best_has_not_improved_for_the_patience() -> None:
    model = _vroom_model(_instance(12))
    start = model.solve(None, None, 1, 5)
    began = time.perf_counter()
    improve(model, start, began + 5, patience_s=0.3)
    assert time.perf_counter() - began < 2


def test_improve_gives_up_when_vroom_refuses_to_start_from_its_routes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = _vroom_model(_instance(12))
    start = model.solve(None, None, 1, 5)
    calls = []

    def refuse(steps, *args):  # type: ignore[no-untyped-def]
        calls.append(sum(1 for route in steps if route))
        first = next(v for v, route in enumerate(steps) if route)
        raise RuntimeError(f"Infeasible route for vehicle {first + 1}.")  # as of some breaks

    monkeypatch.setattr(model, "solve", refuse)
    began = time.perf_counter()
    assert improve(model, start, began + 5) is start
    assert time.perf_counter() - began < 1
    # each step asks again without the start of the route refused, then gives up on the step
    assert len(calls) > REFUSALS and any(b == a - 1 for a, b in itertools.pairwise(calls))


def test_a_plan_with_lunch_from_vroom_holds_outside_the_solver() -> None:
    problem = _lunch_problem()
    plan = solve(problem, Options(time_limit_s=1, start=Start.VROOM), provider=GridProvider())
    check_plan(problem, plan)
    assert not plan.unassigned and all(len(r.breaks) == 1 for r in plan.routes)


def _lunch_problem() -> Problem:
    return Problem(
        masters=(master("a", 0, lunch=(720, 780, 30)), master("b", 30, lunch=(720, 780, 30))),
        visits=tuple(visit(f"v{x}", x, duration=30) for x in range(2, 60, 4)),
    )


def test_a_route_with_lunch_vroom_refuses_as_a_start_is_planned_again() -> None:
    """VROOM refuses its own route as a start when a visit after the first and before lunch
    has a window that closes before lunch can end (VROOM-Project/vroom#1251)."""
    problem = Problem(
        masters=(master("a", 0, lunch=(720, 840, 45)),),
        visits=(
            visit("early", 2, duration=20, windows=[(540, 660)]),
            visit("morning", 4, duration=30, windows=[(570, 750)]),
        ),
    )
    model = VroomModel(prepare(problem, Options(), provider=GridProvider()))
    route = [("job", 0), ("job", 1)]
    with pytest.raises(Exception, match="Infeasible route"):
        model.solve([route], None, 1, 0)
    found = _solve_refusing(model, [route], 1.0, [0], [0, 1])
    assert sorted(found.routes[0]) == [0, 1]
