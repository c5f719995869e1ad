"""Fast insertion of one new visit: ranked options, nothing already planned moves."""

from routing import Options, Plan, Priority, Problem, VisitState, insert_visit, solve
from routing.model import Objective
from tests.routing.helpers import GridProvider, master, visit

EMPTY = Plan(routes=(), unassigned=(), objective=Objective(0, 0, 0, 0, 0), status="", wall_s=0)


def test_options_are_ranked_by_extra_cost() -> None:
    problem = Problem(masters=(master("a", 0), master("b", 50), master("c", 100)), visits=())
    new = visit("urgent", 40, priority=Priority.URGENT)
    options = insert_visit(problem, EMPTY, new, provider=GridProvider())
    assert [(o.master_id, o.extra_cost, o.extra_minutes) for o in options] == [
        ("b", 20, 20),
        ("a", 80, 80),
        ("c", 120, 120),
    ]
    assert options[0].start == 480 + 10


def test_top_limits_the_options_and_skills_filter_masters() -> None:
    problem = Problem(
        masters=(master("a", 0, skills=["tv"]), master("b", 50), master("c", 100, skills=["tv"])),
        visits=(),
    )
    new = visit("tv", 40, skills=["tv"])
    options = insert_visit(problem, EMPTY, new, provider=GridProvider(), top=1)
    assert [o.master_id for o in options] == ["a"]


def test_insertion_fits_between_planned_visits_without_moving_them() -> None:
    problem = Problem(
        masters=(master("a", 0),),
        visits=(visit("first", 10, windows=[(540, 540)]), visit("last", 30, windows=[(660, 660)])),
    )
    plan = solve(problem, Options(time_limit_s=0.3), provider=GridProvider())
    [best] = insert_visit(problem, plan, visit("new", 20), provider=GridProvider(), top=1)
    assert (best.position, best.start, best.extra_minutes) == (1, 580, 0)
    assert [(s.visit_id, s.start) for s in best.route.stops] == [
        ("first", 540),
        ("new", 580),
        ("last", 660),
    ]


def test_new_visit_never_goes_before_a_started_visit() -> None:
    problem = Problem(
        masters=(master("a", 20),),
        visits=(
            visit("busy", 20, state=VisitState.IN_PROGRESS, master_id="a", fixed_start=600),
            visit("later", 40, windows=[(700, 900)]),
        ),
    )
    plan = solve(problem, Options(time_limit_s=0.3, now=610), provider=GridProvider())
    options = insert_visit(problem, plan, visit("new", 10), provider=GridProvider(), now=610)
    assert options and all(o.position >= 1 for o in options)
    assert options[0].route.stops[0].start == 600


def test_full_day_offers_no_option() -> None:
    problem = Problem(
        masters=(master("a", 0, max_visits_per_day=1),),
        visits=(visit("only", 5),),
    )
    plan = solve(problem, Options(time_limit_s=0.3), provider=GridProvider())
    assert insert_visit(problem, plan, visit("new", 5), provider=GridProvider()) == []


def test_break_is_kept_when_inserting() -> None:
    problem = Problem(masters=(master("a", 0, lunch=(720, 840, 60)),), visits=())
    new = visit("noon", 10, duration=60, windows=[(700, 720)])
    [option] = insert_visit(problem, EMPTY, new, provider=GridProvider())
    assert option.start == 700
    assert [(b.start, b.end) for b in option.route.breaks] == [(770, 830)]
    assert option.route.end == 770


def test_no_option_when_the_break_cannot_fit() -> None:
    problem = Problem(masters=(master("a", 0, lunch=(720, 780, 60)),), visits=())
    new = visit("noon", 10, duration=60, windows=[(700, 720)])
    assert insert_visit(problem, EMPTY, new, provider=GridProvider()) == []


def test_now_only_bounds_the_new_visit_and_the_positions() -> None:
    problem = Problem(
        masters=(master("a", 0),),
        visits=(
            visit("morning", 10, windows=[(500, 520)]),
            visit("evening", 10, windows=[(900, 950)]),
        ),
    )
    plan = solve(problem, Options(time_limit_s=0.3), provider=GridProvider())
    [best] = insert_visit(problem, plan, visit("new", 12), provider=GridProvider(), now=700, top=1)
    assert best.position == 1 and best.start >= 700
    assert best.route.stops[0].start == plan.routes[0].stops[0].start


def test_no_option_is_explained() -> None:
    from routing import Reason, explain_no_option

    problem = Problem(
        masters=(master("a", 0, max_visits_per_day=1, skills=["tv"]), master("b", 9)),
        visits=(visit("only", 5, skills=["tv"]),),
    )
    plan = solve(problem, Options(time_limit_s=0.3), provider=GridProvider())
    tv = visit("tv", 5, skills=["tv"])
    assert insert_visit(problem, plan, tv, provider=GridProvider()) == []
    reason, detail = explain_no_option(problem, plan, tv)
    assert reason is Reason.DAY_CAPACITY_EXHAUSTED and "all 1 master-days" in detail
    assert explain_no_option(problem, plan, visit("x", 5, skills=["boiler"]))[0] is Reason.NO_SKILL
    late = visit("late", 5, windows=[(500, 600)])
    assert explain_no_option(problem, plan, late, now=700)[0] is Reason.NO_WINDOW_FITS_SHIFT
