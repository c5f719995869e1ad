"""The field solver on small grids with known optimal answers."""

from routing import Options, Priority, Problem, Reason, Start, VisitState, solve
from tests.routing.helpers import GridProvider, check_plan, master, visit

FAST = Options(time_limit_s=0.5)


def _solve(problem: Problem, options: Options = FAST, now: int | None = None):
    plan = solve(problem, options, provider=GridProvider())
    check_plan(problem, plan, now=now)
    return plan


def _order(plan, master_id: str) -> list[str]:
    route = next(r for r in plan.routes if r.master_id == master_id)
    return [s.visit_id for s in route.stops]


def test_windows_decide_the_order() -> None:
    problem = Problem(
        masters=(master("a"),),
        visits=(visit("near", 10, windows=[(600, 610)]), visit("far", 20, windows=[(480, 500)])),
    )
    plan = _solve(problem)
    assert _order(plan, "a") == ["far", "near"]
    far, near = plan.routes[0].stops
    assert far.start == 500 and near.start == 600
    assert plan.routes[0].travel_minutes == 40
    assert plan.objective.travel == 40 and plan.objective.unassigned == 0


def test_master_leaves_as_late_as_the_first_window_allows() -> None:
    problem = Problem(masters=(master("a"),), visits=(visit("v", 15, windows=[(600, 700)]),))
    route = _solve(problem).routes[0]
    assert (route.start, route.stops[0].arrival, route.stops[0].start) == (585, 600, 600)
    assert route.end == 600 + 30 + 15


def test_shift_end_leaves_out_a_visit_that_cannot_return_in_time() -> None:
    problem = Problem(
        masters=(master("a", shifts=[(480, 600)]),),
        visits=(visit("close", 5), visit("too_far", 100)),
    )
    plan = _solve(problem)
    assert _order(plan, "a") == ["close"]
    [left] = plan.unassigned
    assert (left.visit_id, left.reason) == ("too_far", Reason.NO_WINDOW_FITS_SHIFT)


def test_skills_route_a_visit_to_the_skilled_master() -> None:
    problem = Problem(
        masters=(master("boilers", 0, skills=["boiler"]), master("tvs", 100, skills=["tv"])),
        visits=(visit("boiler_far", 95, skills=["boiler"]), visit("tv_near", 95, skills=["tv"])),
    )
    plan = _solve(problem)
    assert _order(plan, "boilers") == ["boiler_far"]
    assert _order(plan, "tvs") == ["tv_near"]


def test_visit_needing_a_skill_nobody_has_is_explained() -> None:
    problem = Problem(
        masters=(master("a", skills=["tv"]),), visits=(visit("v", 5, skills=["fridge"]),)
    )
    [left] = _solve(problem).unassigned
    assert left.reason is Reason.NO_SKILL and "fridge" in left.detail


def test_pinned_visit_stays_with_its_master_and_time() -> None:
    problem = Problem(
        masters=(master("a", 0), master("b", 100)),
        visits=(visit("pinned", 90, master_id="a", fixed_start=700), visit("free", 99)),
    )
    plan = _solve(problem)
    assert _order(plan, "a") == ["pinned"]
    assert plan.routes[0].stops[0].start == 700
    assert _order(plan, "b") == ["free"]


def test_in_progress_and_done_visits_do_not_move_and_open_ones_wait_for_now() -> None:
    problem = Problem(
        masters=(master("a", 50), master("b", 0)),
        visits=(
            visit("done", 50, state=VisitState.DONE, master_id="a", fixed_start=490, duration=20),
            visit("busy", 52, state=VisitState.IN_PROGRESS, master_id="a", fixed_start=520),
            visit("next", 51, windows=[(480, 900)]),
        ),
    )
    options = Options(time_limit_s=0.5, now=545)
    plan = _solve(problem, options, now=545)
    route_a = next(r for r in plan.routes if r.master_id == "a")
    assert [(s.visit_id, s.start) for s in route_a.stops][:2] == [("done", 490), ("busy", 520)]
    nxt = next(s for r in plan.routes for s in r.stops if s.visit_id == "next")
    assert nxt.start >= 545


def test_day_capacity_drops_the_lowest_priority_and_explains() -> None:
    problem = Problem(
        masters=(master("a", max_visits_per_day=2),),
        visits=(
            visit("low", 1, priority=Priority.LOW),
            visit("normal", 30, priority=Priority.NORMAL),
            visit("urgent", 60, priority=Priority.URGENT),
        ),
    )
    plan = _solve(problem)
    assert sorted(_order(plan, "a")) == ["normal", "urgent"]
    [left] = plan.unassigned
    assert (left.visit_id, left.reason) == ("low", Reason.DAY_CAPACITY_EXHAUSTED)
    assert plan.objective.unassigned == 2000


def test_clashing_windows_keep_the_urgent_visit() -> None:
    problem = Problem(
        masters=(master("a"),),
        visits=(
            visit("normal", 10, duration=60, windows=[(600, 600)]),
            visit("urgent", 10, duration=60, windows=[(600, 600)], priority=Priority.URGENT),
            visit("high", 10, duration=60, windows=[(610, 620)], priority=Priority.HIGH),
        ),
    )
    plan = _solve(problem)
    assert _order(plan, "a") == ["urgent"]
    reasons = {u.visit_id: u.reason for u in plan.unassigned}
    assert reasons == {"normal": Reason.NO_ROOM, "high": Reason.NO_ROOM}


def test_lunch_break_is_taken_inside_its_window() -> None:
    problem = Problem(
        masters=(master("a", lunch=(720, 780, 60)),),
        visits=(
            visit("morning", 10, duration=60, windows=[(660, 660)]),
            visit("afternoon", 10, duration=30, windows=[(720, 800)]),
        ),
    )
    route = _solve(problem).routes[0]
    assert [s.visit_id for s in route.stops] == ["morning", "afternoon"]
    assert [(b.start, b.end) for b in route.breaks] == [(720, 780)]
    assert route.stops[1].start == 780


def test_multi_day_puts_each_visit_on_the_day_of_its_window() -> None:
    days = [(480, 1080), (1920, 2520)]
    problem = Problem(
        masters=(master("a", shifts=days, max_visits_per_day=1),),
        visits=(
            visit("tuesday", 10, windows=[(2000, 2100)], priority=Priority.HIGH),
            visit("any_day_1", 5),
            visit("any_day_2", 6),
        ),
    )
    plan = _solve(problem)
    by_day = {r.shift_index: [s.visit_id for s in r.stops] for r in plan.routes}
    assert by_day[1] == ["tuesday"]
    assert len(by_day[0]) == 1
    assert len(plan.unassigned) == 1


def test_spread_uses_both_masters_and_fewest_uses_one() -> None:
    problem = Problem(
        masters=(master("a"), master("b")),
        visits=tuple(visit(f"v{x}", x, duration=60) for x in range(1, 5)),
    )
    assert len(_solve(problem, Options(time_limit_s=0.5, balance="fewest")).routes) == 1
    spread = _solve(problem, Options(time_limit_s=0.5, balance="spread"))
    assert sorted(len(r.stops) for r in spread.routes) == [2, 2]


def test_move_limit_keeps_most_visits_with_their_previous_master() -> None:
    problem = Problem(
        masters=(master("a", 0), master("b", 100)),
        visits=tuple(visit(f"v{x}", x, previous_master_id="a") for x in (10, 90, 95)),
    )
    free = _solve(problem)
    assert (_order(free, "a"), sorted(_order(free, "b"))) == (["v10"], ["v90", "v95"])
    limited = _solve(problem, Options(time_limit_s=0.5, max_moved=1))
    assert len(_order(limited, "b")) == 1 and not limited.unassigned
    sticky = _solve(problem, Options(time_limit_s=0.5, move_penalty=1000))
    assert [r.master_id for r in sticky.routes] == ["a"]


def test_sla_lateness_falls_on_the_low_priority_visit() -> None:
    problem = Problem(
        masters=(master("a"),),
        visits=(
            visit("low", 10, duration=60, deadline=550, priority=Priority.LOW),
            visit("urgent", 10, duration=60, deadline=550, priority=Priority.URGENT),
        ),
    )
    plan = _solve(problem)
    low, urgent = sorted(plan.routes[0].stops, key=lambda s: s.visit_id)
    assert urgent.start < low.start
    assert (urgent.late_minutes, low.late_minutes) == (0, 60)
    assert plan.objective.lateness == 60


def test_hourly_and_per_km_costs_choose_the_cheaper_master() -> None:
    problem = Problem(
        masters=(master("dear", 0, cost_per_km=5.0), master("cheap", 20, cost_per_km=0.5)),
        visits=(visit("v", 10),),
    )
    plan = _solve(problem)
    assert _order(plan, "cheap") == ["v"]
    assert plan.objective.travel == 20 + 0.5 * 20


def test_same_input_same_plan_with_a_solution_limit() -> None:
    problem = Problem(
        masters=(master("a", 0), master("b", 40, lunch=(720, 800, 30))),
        visits=tuple(
            visit(f"v{x}", x, windows=[(480 + 7 * x, 700 + 9 * x)]) for x in range(0, 60, 6)
        ),
    )
    options = Options(time_limit_s=5, solution_limit=200)
    first, second = _solve(problem, options), _solve(problem, options)
    assert first.routes == second.routes


def test_patience_ends_a_search_that_stopped_improving_and_keeps_its_best_plan() -> None:
    problem = Problem(
        masters=(master("a", 0), master("b", 40)),
        visits=tuple(visit(f"v{x}", x) for x in range(0, 40, 8)),
    )
    patient = _solve(problem, Options(time_limit_s=3, patience=0.1))
    full = _solve(problem, Options(time_limit_s=3, patience=None))
    check_plan(problem, patient)
    assert patient.wall_s < 2 <= full.wall_s
    assert patient.objective.total == full.objective.total


def test_the_search_ends_by_the_time_limit_with_the_model_built_in_it() -> None:
    import random

    rng = random.Random(3)
    problem = Problem(
        masters=tuple(master(f"m{i}", 10 * i, lunch=(720, 840, 30)) for i in range(6)),
        visits=tuple(
            visit(f"v{k}", rng.randrange(80), rng.choice([20, 30]), windows=[(w, w + 180)])
            for k in range(90)
            for w in [rng.randrange(480, 900, 30)]
        ),
    )
    for start in (Start.INSERTION, Start.AUTO):
        plan = _solve(problem, Options(time_limit_s=1.5, patience=None, start=start))
        assert plan.wall_s <= 1.5, (start, plan.wall_s)
