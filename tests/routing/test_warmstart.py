"""Warm start with breaks: routes repaired to fit lunch, visits put back where they fit."""

from routing import Options, Priority, Problem
from routing.prepare import prepare
from routing.warmstart import fit_breaks, reinsert, schedule
from tests.routing.helpers import GridProvider, master, visit


def _data(problem: Problem):
    return prepare(problem, Options(), GridProvider())


def test_fit_breaks_takes_out_the_cheapest_visit_that_makes_room_for_lunch() -> None:
    problem = Problem(
        masters=(master("a", 0, lunch=(720, 780, 60)),),
        visits=(
            visit("low", 1, duration=60, windows=[(700, 700)], priority=Priority.LOW),
            visit("high", 1, duration=60, windows=[(780, 780)], priority=Priority.HIGH),
        ),
    )
    data = _data(problem)
    routes = [[0, 1]]
    assert schedule(data, 0, routes[0]) is None
    assert fit_breaks(data, routes) == [0]
    assert routes == [[1]]
    route = schedule(data, 0, routes[0])
    assert route is not None and [(b.start, b.end) for b in route.breaks] == [(720, 780)]


def test_reinsert_uses_the_cheapest_master_with_room_and_reports_the_rest() -> None:
    problem = Problem(
        masters=(
            master("near", 10, lunch=(720, 780, 60), max_visits_per_day=1),
            master("far", 50, lunch=(720, 780, 60)),
        ),
        visits=(
            visit("planned", 11),
            visit("new", 12),
            visit("clash", 12, duration=60, windows=[(720, 720)], master_id="near"),
        ),
    )
    data = _data(problem)
    routes: list[list[int]] = [[0], []]
    left = reinsert(data, routes, [1, 2])
    assert routes == [[0], [1]]
    assert left == [2]


def test_replan_starts_from_the_earlier_plan_and_places_the_new_visit() -> None:
    from routing import solve
    from tests.routing.helpers import check_plan

    masters = (master("a", 0, lunch=(720, 780, 30), max_visits_per_day=3), master("b", 50))
    first = Problem(masters=masters, visits=tuple(visit(f"v{x}", x) for x in (5, 10, 45, 55)))
    plan = solve(first, Options(time_limit_s=0.3), provider=GridProvider())
    check_plan(first, plan)
    later = Problem(
        masters=masters,
        visits=(*first.visits[1:], visit("new", 8, priority=Priority.URGENT)),
    )
    again = solve(later, Options(time_limit_s=0.3), provider=GridProvider(), previous=plan)
    check_plan(later, again)
    assert not again.unassigned
    assert {s.visit_id for r in again.routes for s in r.stops} == {"v10", "v45", "v55", "new"}


def test_plan_routes_drops_what_no_longer_fits_and_inserts_the_rest() -> None:
    from routing import solve
    from routing.warmstart import plan_routes

    problem = Problem(
        masters=(master("a", 0, max_visits_per_day=4),),
        visits=tuple(visit(f"v{x}", x) for x in (1, 2, 3, 4)),
    )
    plan = solve(problem, Options(time_limit_s=0.3), provider=GridProvider())
    tighter = Problem(
        masters=(master("a", 0, max_visits_per_day=2),),
        visits=(*problem.visits, visit("extra", 6)),
    )
    routes = plan_routes(_data(tighter), plan)
    assert len(routes[0]) == 2
