"""Input validation: reject malformed problems with a message naming the visit or master."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from routing.errors import RoutingInputError
from routing.model import Location, Master, Problem, Shift, TimeWindow, Visit, VisitState


def validate_problem(problem: Problem) -> None:
    """Raise RoutingInputError for the first problem found in masters or visits."""
    _check_unique((m.id for m in problem.masters), "master")
    _check_unique((v.id for v in problem.visits), "visit")
    for master in problem.masters:
        _check_master(master, problem.skills)
    masters = {m.id: m for m in problem.masters}
    longest = max((s.end - s.start for m in problem.masters for s in m.shifts), default=0)
    for visit in problem.visits:
        _check_visit(visit, masters, problem.skills, longest)


def _check_unique(ids: Iterable[str], kind: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise RoutingInputError(f"{kind} {item!r} appears twice")
        seen.add(item)


def _check_location(location: Location, owner: str) -> None:
    if not -90.0 <= location.lat <= 90.0 or not -180.0 <= location.lon <= 180.0:
        raise RoutingInputError(
            f"{owner}: coordinates ({location.lat}, {location.lon}) are out of range"
        )


def _check_skills(skills: frozenset[str], known: frozenset[str] | None, owner: str) -> None:
    if known is None:
        return
    unknown = sorted(skills - known)
    if unknown:
        raise RoutingInputError(f"{owner}: unknown skill {', '.join(map(repr, unknown))}")


def _check_window(window: TimeWindow, owner: str) -> None:
    if window.end < window.start:
        raise RoutingInputError(
            f"{owner}: time window ends ({window.end}) before it starts ({window.start})"
        )
    if window.start < 0:
        raise RoutingInputError(f"{owner}: time window starts before the horizon ({window.start})")


def _check_shift(shift: Shift, owner: str) -> None:
    _check_window(TimeWindow(shift.start, shift.end), f"{owner} shift")
    for brk in shift.breaks:
        _check_window(brk.window, f"{owner} break")
        if brk.duration < 0 or brk.duration > brk.window.end - brk.window.start:
            raise RoutingInputError(f"{owner}: break of {brk.duration} min does not fit its window")
        if brk.window.start < shift.start or brk.window.end > shift.end:
            raise RoutingInputError(f"{owner}: break window lies outside the shift")


def _check_master(master: Master, known: frozenset[str] | None) -> None:
    owner = f"master {master.id!r}"
    _check_location(master.start_location, owner)
    if master.end_location is not None:
        _check_location(master.end_location, owner)
    _check_skills(master.skills, known, owner)
    if master.max_visits_per_day is not None and master.max_visits_per_day < 0:
        raise RoutingInputError(f"{owner}: max visits per day is negative")
    if master.capacity is not None and master.capacity < 0:
        raise RoutingInputError(f"{owner}: capacity is negative")
    if master.cost_per_hour < 0 or master.cost_per_km < 0:
        raise RoutingInputError(f"{owner}: costs must not be negative")
    shifts = sorted(master.shifts, key=lambda s: s.start)
    for shift in shifts:
        _check_shift(shift, owner)
    for before, after in itertools.pairwise(shifts):
        if after.start < before.end:
            raise RoutingInputError(f"{owner}: shifts overlap")


def _check_visit(
    visit: Visit, masters: dict[str, Master], known: frozenset[str] | None, longest: int
) -> None:
    owner = f"visit {visit.id!r}"
    _check_location(visit.location, owner)
    _check_skills(visit.skills, known, owner)
    if visit.load < 0:
        raise RoutingInputError(f"{owner}: load is negative")
    if visit.duration < 0:
        raise RoutingInputError(f"{owner}: duration is negative")
    if visit.duration > longest:
        raise RoutingInputError(
            f"{owner}: duration {visit.duration} min is longer than every shift ({longest} min)"
        )
    for window in visit.windows:
        _check_window(window, owner)
    for ref in (visit.master_id, visit.previous_master_id):
        if ref is not None and ref not in masters:
            raise RoutingInputError(f"{owner}: unknown master {ref!r}")
    if visit.state != VisitState.OPEN and (visit.master_id is None or visit.fixed_start is None):
        raise RoutingInputError(f"{owner}: state '{visit.state}' needs master_id and fixed_start")
    if visit.fixed_start is not None and visit.fixed_start < 0:
        raise RoutingInputError(f"{owner}: fixed start is before the horizon")
