"""Property tests of the options the benchmark runner needs, checked without OR-Tools.

Capacity as a load limit, the distance metric and a given (Euclidean) travel table: every
plan is recomputed from the grid or by the Solomon checker, never read back from the solver.
"""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing import Metric, Options, Problem, Reason, Start, solve
from routing.solomon import Customer, Instance, route_errors, solve_instance, total_distance
from tests.routing.helpers import GridProvider, check_plan, master, visit

PROFILE = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def loaded_problems(draw: st.DrawFn) -> Problem:
    team = [
        master(
            f"m{i}",
            draw(st.integers(0, 30)),
            shifts=[(480, 480 + draw(st.integers(120, 600)))],
            capacity=draw(st.none() | st.integers(0, 12)),
            max_visits_per_day=draw(st.none() | st.integers(1, 5)),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    jobs = []
    for j in range(draw(st.integers(1, 10))):
        windows = []
        if draw(st.booleans()):
            start = draw(st.integers(480, 900))
            windows.append((start, start + draw(st.integers(0, 120))))
        jobs.append(
            visit(
                f"v{j}",
                draw(st.integers(0, 30)),
                duration=draw(st.integers(5, 60)),
                windows=windows,
                load=draw(st.integers(0, 8)),
            )
        )
    return Problem(masters=tuple(team), visits=tuple(jobs))


@PROFILE
@given(
    problem=loaded_problems(),
    metric=st.sampled_from(list(Metric)),
    start=st.sampled_from([Start.VROOM, Start.INSERTION]),
)
def test_plans_respect_capacity_under_either_metric_and_start(
    problem: Problem, metric: Metric, start: Start
) -> None:
    options = Options(time_limit_s=0.2, metric=metric, start=start)
    plan = solve(problem, options, provider=GridProvider())
    check_plan(problem, plan)
    km = sum(r.travel_meters for r in plan.routes) / 1000
    minutes = sum(r.travel_minutes for r in plan.routes)
    assert plan.objective.travel == (km if metric == Metric.DISTANCE else minutes)
    largest = max((m.capacity for m in problem.masters if m.capacity is not None), default=None)
    everyone_limited = all(m.capacity is not None for m in problem.masters)
    for left in plan.unassigned:
        heavy = next(v for v in problem.visits if v.id == left.visit_id).load
        if everyone_limited and largest is not None and heavy > largest:
            assert left.reason == Reason.OVER_CAPACITY


def test_distance_metric_takes_the_shorter_road_even_when_it_is_slower() -> None:
    problem = Problem(masters=(master("a", 0),), visits=(visit("v", 10),))

    class Detour(GridProvider):
        def table(self, origins, destinations):  # type: ignore[no-untyped-def]
            grid = super().table(origins, destinations)
            return type(grid)(
                durations=[[3 * d for d in row] for row in grid.durations],
                distances=grid.distances,
            )

    plan = solve(problem, Options(time_limit_s=0.2, metric=Metric.DISTANCE), provider=Detour())
    assert plan.objective.travel == 20.0
    assert plan.routes[0].travel_minutes == 60


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    depot = Customer(0, 50, 50, 0, 0, draw(st.integers(300, 1000)), 0)
    customers = []
    for number in range(1, draw(st.integers(2, 14)) + 1):
        x, y = draw(st.integers(0, 100)), draw(st.integers(0, 100))
        reach = math.ceil(math.hypot(x - 50, y - 50))
        service = draw(st.integers(0, 30))
        latest = depot.due - service - reach
        ready = draw(st.integers(0, max(0, latest)))
        due = min(latest, ready + draw(st.integers(0, 200)))
        ready, due = min(ready, due), max(due, reach)
        demand = draw(st.integers(0, 40))
        customers.append(Customer(number, x, y, demand, ready, due, service))
    fleet = len(customers)
    return Instance("random", fleet, draw(st.integers(40, 120)), depot, tuple(customers))


@PROFILE
@given(instance=instances())
def test_solomon_runner_plans_are_feasible_on_the_unrounded_instance(instance: Instance) -> None:
    reachable = all(
        c.due + c.service + math.ceil(math.hypot(c.x - 50, c.y - 50)) <= instance.depot.due
        for c in instance.customers
    )
    routes = solve_instance(instance, 0.3)
    if reachable:
        assert route_errors(instance, routes) == []
    lone = [[c.number] for c in instance.customers]
    if reachable and not route_errors(instance, lone):
        assert total_distance(instance, routes) <= total_distance(instance, lone) + 1e-6


def test_without_pyvroom_auto_falls_back_to_ortools_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import routing.solver

    monkeypatch.setattr(routing.solver, "vroom_available", lambda: False)
    assert not routing.solver.uses_vroom(Options())
    problem = Problem(masters=(master("a", 0),), visits=(visit("v", 10), visit("w", 12)))
    plan = solve(problem, Options(time_limit_s=0.2), provider=GridProvider())
    check_plan(problem, plan)
    assert not plan.unassigned and plan.objective.travel == 24


def test_move_and_solution_limits_keep_auto_off_vroom() -> None:
    from routing.solver import uses_vroom

    assert not uses_vroom(Options(max_moved=2))
    assert not uses_vroom(Options(solution_limit=100))
    assert uses_vroom(Options(max_moved=2, start=Start.VROOM))


def test_vroom_plan_is_kept_when_its_polish_runs_out_of_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import routing.solver

    real, calls = routing.solver.search_from, []

    def starved(model, routes, params):  # type: ignore[no-untyped-def]
        calls.append(params.solution_limit)
        return None if len(calls) == 1 else real(model, routes, params)

    monkeypatch.setattr(routing.solver, "search_from", starved)
    problem = Problem(masters=(master("a", 0),), visits=(visit("v", 10), visit("w", 12)))
    plan = solve(problem, Options(time_limit_s=0.2, start=Start.VROOM), provider=GridProvider())
    check_plan(problem, plan)
    assert len(calls) == 2 and calls[1] == 1
    assert not plan.unassigned and plan.objective.travel == 24
