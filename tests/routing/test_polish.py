"""The descent on a plan's routes: same visits, never dearer, feasible as routing.schedule says."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing import Balance, Options, Problem, solve
from routing.costs import SCALE
from routing.polish import Routes, polish
from routing.prepare import Prepared, prepare
from routing.schedule import route_cost
from routing.warmstart import plan_routes, schedule
from tests.routing.helpers import GridProvider, check_plan, master, visit
from tests.routing.test_properties import PROFILE, problems


def _data(problem: Problem) -> Prepared:
    return prepare(problem, Options(), provider=GridProvider())


def _random_routes(data: Prepared, rng: random.Random) -> list[list[int]]:
    """Each plannable visit on one of its allowed master-days or left out, in random order."""
    routes: list[list[int]] = [[] for _ in data.vehicles]
    for node, allowed in enumerate(data.allowed):
        if node not in data.excluded and allowed and rng.random() < 0.8:
            routes[rng.choice(allowed)].append(node)
    for route in routes:
        rng.shuffle(route)
    return routes


def _visits(data: Prepared) -> dict[str, object]:
    return {v.id: v for v in data.visits}


@PROFILE
@given(problem=problems(), seed=st.integers(0, 1000))
def test_the_replay_agrees_with_schedule_on_feasibility_and_lateness(
    problem: Problem, seed: int
) -> None:
    data = _data(problem)
    book = Routes(data)
    rng = random.Random(seed)
    for _ in range(5):
        for v, nodes in enumerate(_random_routes(data, rng)):
            exact = schedule(data, v, nodes)
            extra = book.extra(v, nodes)
            assert (extra is None) == (exact is None), (v, nodes)
            if exact is not None and nodes:
                master = data.vehicles[v].master
                driving = sum(s.travel_minutes for s in exact.stops) + exact.return_minutes
                points = route_cost(master, exact, _visits(data)) - driving  # type: ignore[arg-type]
                assert extra == round(SCALE * points)


@PROFILE
@given(problem=problems(), seed=st.integers(0, 1000))
def test_polish_keeps_the_visits_never_costs_more_and_stays_feasible(
    problem: Problem, seed: int
) -> None:
    data = _data(problem)
    book = Routes(data)
    rng = random.Random(seed)
    routes = [
        r if schedule(data, v, r) and book.fits(v, r) else []
        for v, r in enumerate(_random_routes(data, rng))
    ]
    polished = polish(data, routes, deadline=float("inf"), seed=seed)
    assert sorted(n for r in polished for n in r) == sorted(n for r in routes for n in r)
    for v, nodes in enumerate(polished):
        assert not nodes or schedule(data, v, nodes) is not None
        assert book.fits(v, nodes)
    before = sum(book.cost(v, r) or 0 for v, r in enumerate(routes))
    assert sum(book.cost(v, r) or 0 for v, r in enumerate(polished)) <= before


def test_polish_hands_crossed_visits_to_the_nearer_master() -> None:
    problem = Problem(
        masters=(master("a", 0), master("b", 20)),
        visits=(visit("v1", 1), visit("v2", 2), visit("v19", 19)),
    )
    data = _data(problem)
    crossed = [[2], [0, 1]]  # a drives to 19 and back, b to 1 and 2 and back
    polished = polish(data, crossed, deadline=float("inf"))
    assert [sorted(r) for r in polished] == [[0, 1], [2]]


def test_polish_leaves_a_route_it_cannot_schedule_as_it_is() -> None:
    problem = Problem(
        masters=(master("a", 0, shifts=[(480, 600)]), master("b", 20)),
        visits=(visit("v1", 1, duration=100), visit("v2", 2, duration=100), visit("v19", 19)),
    )
    data = _data(problem)
    given_routes = [[0, 1], [2]]  # 200 minutes of work in a 120-minute shift
    assert polish(data, given_routes, deadline=float("inf")) == given_routes


def test_polish_leaves_a_route_past_its_max_visits_as_it_is() -> None:
    problem = Problem(
        masters=(master("a", 0, max_visits_per_day=1), master("b", 20)),
        visits=(visit("v1", 1), visit("v2", 2), visit("v19", 19)),
    )
    given_routes = [[0, 1], [2]]
    assert polish(_data(problem), given_routes, deadline=float("inf")) == given_routes


def test_a_plan_with_lunch_is_polished_and_holds_outside_the_solver() -> None:
    problem = Problem(
        masters=(master("a", 0, lunch=(720, 780, 30)), master("b", 30, lunch=(720, 780, 30))),
        visits=tuple(visit(f"v{x}", x, duration=30) for x in range(2, 60, 4)),
    )
    plan = solve(problem, Options(time_limit_s=1), provider=GridProvider())
    check_plan(problem, plan)
    assert not plan.unassigned


def _four_hours_near_a() -> Problem:
    return Problem(
        masters=(master("a"), master("b")),
        visits=tuple(visit(f"v{x}", x, duration=60) for x in range(1, 5)),
    )


def test_polish_spreads_a_day_put_on_one_master_when_asked_to() -> None:
    problem = _four_hours_near_a()
    on_one = [[0, 1, 2, 3], []]
    plain = polish(_data(problem), on_one, deadline=float("inf"))
    assert plain == on_one  # one master drives least
    data = prepare(problem, Options(balance=Balance.SPREAD), provider=GridProvider())
    spread = polish(data, on_one, deadline=float("inf"))
    assert sorted(len(r) for r in spread) == [2, 2]


COST_TERMS = [{"balance": b} for b in Balance] + [{"move_penalty": 5.0}]


@pytest.mark.parametrize("terms", COST_TERMS, ids=["none", "spread", "fewest", "moves"])
def test_the_route_costs_add_up_to_the_solver_objective(terms: dict[str, object]) -> None:
    before = {"v1": "b", "v2": "b", "v3": "a"}  # planned for these masters before
    problem = Problem(
        masters=(master("a"), master("b", 3)),
        visits=tuple(
            visit(f"v{x}", x, duration=60, previous_master_id=before.get(f"v{x}"))
            for x in range(1, 5)
        ),
    )
    options = Options(solution_limit=50, **terms)  # type: ignore[arg-type]
    plan = solve(problem, options, provider=GridProvider())
    data = prepare(problem, options, provider=GridProvider())
    book = Routes(data)
    routes = plan_routes(data, plan)
    assert sum(book.cost(v, r) or 0 for v, r in enumerate(routes)) == round(
        SCALE * plan.objective.total
    )


def test_own_terms_price_moves_fixed_days_and_work_above_the_average() -> None:
    before = {"v1": "b", "v2": "b", "v3": "a"}
    problem = Problem(
        masters=(master("a"), master("b", 3)),
        visits=tuple(
            visit(f"v{x}", x, duration=60, previous_master_id=before.get(f"v{x}"))
            for x in range(1, 5)
        ),
    )

    def terms(**options: object) -> int:
        data = prepare(problem, Options(**options), provider=GridProvider())  # type: ignore[arg-type]
        return Routes(data).own_terms(0, [0, 1, 2, 3])  # all four on a

    assert terms() == 0
    assert terms(move_penalty=5.0) == 2 * 5 * SCALE  # v1 and v2 came from b
    assert terms(balance=Balance.FEWEST) == 600 * SCALE
    # 240 minutes of work and 8 of driving (1, 2, 3, 4 and back) against a target of 120
    assert terms(balance=Balance.SPREAD) == 3 * SCALE * (240 + 8 - 120)
