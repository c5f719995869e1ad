"""Property tests: every plan and every insertion option is feasible, checked without OR-Tools."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing import Balance, Options, Plan, Priority, Problem, insert_visit, solve
from routing.model import Master, Visit
from tests.routing.helpers import GridProvider, check_plan, master, visit
from tests.routing.helpers import _check_route as check_route

SKILLS = ["boiler", "tv", "fridge"]
PROFILE = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def masters(draw: st.DrawFn, index: int) -> Master:
    start = draw(st.integers(420, 540))
    end = start + draw(st.integers(240, 600))
    lunch = None
    if draw(st.booleans()):
        lunch_start = draw(st.integers(start, end - 60))
        lunch = (lunch_start, min(end, lunch_start + draw(st.integers(30, 120))), 30)
    return master(
        f"m{index}",
        draw(st.integers(0, 40)),
        shifts=[(start, end)],
        skills=draw(st.lists(st.sampled_from(SKILLS), max_size=3, unique=True)),
        lunch=lunch,
        max_visits_per_day=draw(st.none() | st.integers(1, 6)),
    )


@st.composite
def visits(draw: st.DrawFn, index: int, master_ids: list[str]) -> Visit:
    windows = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(420, 1000))
        windows.append((start, start + draw(st.integers(0, 180))))
    return visit(
        f"v{index}",
        draw(st.integers(0, 40)),
        duration=draw(st.integers(5, 90)),
        windows=windows,
        skills=draw(st.lists(st.sampled_from(SKILLS), max_size=1)),
        priority=draw(st.sampled_from(list(Priority))),
        deadline=draw(st.none() | st.integers(500, 1100)),
        master_id=draw(st.sampled_from(master_ids)) if master_ids and draw(st.booleans()) else None,
    )


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    team = [draw(masters(i)) for i in range(draw(st.integers(1, 3)))]
    ids = [m.id for m in team]
    jobs = [draw(visits(i, ids)) for i in range(draw(st.integers(1, 10)))]
    return Problem(masters=tuple(team), visits=tuple(jobs))


def _plan(
    problem: Problem, balance: Balance, patience: float | None = 0.3, processes: int = 2
) -> Plan:
    options = Options(time_limit_s=0.2, balance=balance, patience=patience, processes=processes)
    return solve(problem, options, provider=GridProvider())


@PROFILE
@given(
    problem=problems(),
    balance=st.sampled_from(list(Balance)),
    patience=st.sampled_from([None, 0.0, 0.3]),
    processes=st.sampled_from([1, 2]),
)
def test_every_plan_is_feasible(
    problem: Problem, balance: Balance, patience: float | None, processes: int
) -> None:
    plan = _plan(problem, balance, patience, processes)
    check_plan(problem, plan)
    assert plan.objective.total >= plan.objective.travel


@PROFILE
@given(problem=problems(), new=visits(99, []))
def test_every_insertion_option_is_feasible(problem: Problem, new: Visit) -> None:
    plan = _plan(problem, Balance.NONE)
    options = insert_visit(problem, plan, new, provider=GridProvider(), top=5)
    costs = [o.extra_cost for o in options]
    assert costs == sorted(costs)
    everyone = {v.id: v for v in (*problem.visits, new)}
    masters_by_id = {m.id: m for m in problem.masters}
    for option in options:
        check_route(masters_by_id[option.master_id], option.route, everyone, None)
        assert [s.visit_id for s in option.route.stops].count(new.id) == 1
