"""Every visit left out carries a reason a dispatcher can act on."""

from routing import Options, Problem, Reason, solve
from tests.routing.helpers import GridProvider, check_plan, master, visit


def _reasons(problem: Problem, options: Options | None = None) -> dict[str, Reason]:
    plan = solve(problem, options or Options(time_limit_s=0.3), provider=GridProvider())
    check_plan(problem, plan)
    return {u.visit_id: u.reason for u in plan.unassigned}


def test_pinned_master_without_the_skill() -> None:
    problem = Problem(
        masters=(master("a", skills=["tv"]), master("b", skills=["boiler"])),
        visits=(visit("v", 5, skills=["boiler"], master_id="a"),),
    )
    assert _reasons(problem) == {"v": Reason.PINNED_MASTER_CANNOT}


def test_fixed_time_outside_every_shift_of_the_master() -> None:
    problem = Problem(
        masters=(master("a"),), visits=(visit("v", 5, master_id="a", fixed_start=2000),)
    )
    assert _reasons(problem) == {"v": Reason.FIXED_TIME_UNREACHABLE}


def test_window_before_now_does_not_fit() -> None:
    problem = Problem(masters=(master("a"),), visits=(visit("v", 5, windows=[(500, 520)]),))
    assert _reasons(problem, Options(time_limit_s=0.3, now=600)) == {
        "v": Reason.NO_WINDOW_FITS_SHIFT
    }


def test_move_limit_reason_when_only_other_masters_remain() -> None:
    problem = Problem(
        masters=(master("a", skills=["tv"]), master("b", skills=["tv", "boiler"])),
        visits=(
            visit("one", 5, skills=["boiler"], previous_master_id="a"),
            visit("two", 6, skills=["boiler"], previous_master_id="a"),
        ),
    )
    reasons = _reasons(problem, Options(time_limit_s=0.3, max_moved=1))
    assert list(reasons.values()) == [Reason.MOVE_LIMIT]
