"""Input validation names the visit or master at fault."""

import msgspec
import pytest

from routing import Location, Problem, RoutingInputError, TimeWindow, VisitState, validate_problem
from tests.routing.helpers import master, visit


def _problem(*visits, masters=None, skills=None):
    return Problem(
        masters=tuple(masters or (master("ivanov", skills=["boiler"]),)),
        visits=tuple(visits),
        skills=skills,
    )


def test_valid_problem_passes() -> None:
    validate_problem(_problem(visit("v1", 5, windows=[(600, 660)], skills=["boiler"])))


def test_window_that_ends_before_it_starts_names_the_visit() -> None:
    with pytest.raises(RoutingInputError, match=r"visit 'v7'.*ends \(500\) before it starts"):
        validate_problem(_problem(visit("v7", 5, windows=[(600, 500)])))


def test_visit_longer_than_every_shift_names_the_visit() -> None:
    with pytest.raises(RoutingInputError, match=r"visit 'long'.*longer than every shift"):
        validate_problem(_problem(visit("long", 5, duration=601)))


def test_unknown_skill_names_the_visit() -> None:
    problem = _problem(visit("v1", 5, skills=["fridge"]), skills=frozenset({"boiler"}))
    with pytest.raises(RoutingInputError, match=r"visit 'v1': unknown skill 'fridge'"):
        validate_problem(problem)


def test_unknown_skill_names_the_master() -> None:
    problem = _problem(masters=[master("petrov", skills=["tv"])], skills=frozenset({"boiler"}))
    with pytest.raises(RoutingInputError, match=r"master 'petrov': unknown skill 'tv'"):
        validate_problem(problem)


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 10.0), (-90.5, 0.0), (55.0, 181.0)])
def test_coordinates_out_of_range_name_the_visit(lat: float, lon: float) -> None:
    bad = msgspec.structs.replace(visit("far", 1), location=Location(lat, lon))
    with pytest.raises(RoutingInputError, match=r"visit 'far': coordinates .* out of range"):
        validate_problem(_problem(bad))


def test_master_coordinates_out_of_range() -> None:
    bad = msgspec.structs.replace(master("sidorov"), start_location=Location(0, 200))
    with pytest.raises(RoutingInputError, match="master 'sidorov'"):
        validate_problem(_problem(masters=[bad]))


def test_shift_that_ends_before_it_starts_names_the_master() -> None:
    with pytest.raises(RoutingInputError, match=r"master 'night' shift"):
        validate_problem(_problem(masters=[master("night", shifts=[(1000, 900)])]))


def test_break_outside_shift_names_the_master() -> None:
    with pytest.raises(RoutingInputError, match="master 'm': break window lies outside"):
        validate_problem(_problem(masters=[master("m", lunch=(400, 500, 30))]))


def test_break_longer_than_its_window() -> None:
    with pytest.raises(RoutingInputError, match="break of 90 min does not fit"):
        validate_problem(_problem(masters=[master("m", lunch=(720, 780, 90))]))


def test_overlapping_shifts_are_rejected() -> None:
    with pytest.raises(RoutingInputError, match="master 'm': shifts overlap"):
        validate_problem(_problem(masters=[master("m", shifts=[(480, 1080), (1000, 1500)])]))


def test_duplicate_visit_ids_are_rejected() -> None:
    with pytest.raises(RoutingInputError, match="visit 'v1' appears twice"):
        validate_problem(_problem(visit("v1", 1), visit("v1", 2)))


def test_pinned_to_unknown_master() -> None:
    with pytest.raises(RoutingInputError, match="visit 'v1': unknown master 'ghost'"):
        validate_problem(_problem(visit("v1", 1, master_id="ghost")))


def test_in_progress_visit_needs_master_and_time() -> None:
    started = visit("v1", 1, state=VisitState.IN_PROGRESS, master_id="ivanov")
    with pytest.raises(RoutingInputError, match="visit 'v1': state 'in_progress' needs"):
        validate_problem(_problem(started))


def test_negative_duration() -> None:
    with pytest.raises(RoutingInputError, match="visit 'v1': duration is negative"):
        validate_problem(_problem(visit("v1", 1, duration=-5)))


def test_window_type_is_a_plain_struct() -> None:
    assert TimeWindow(1, 2) == TimeWindow(start=1, end=2)
