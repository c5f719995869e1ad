"""Small builders and an OR-Tools-independent plan checker for routing tests."""

from __future__ import annotations

from collections.abc import Sequence

from routing import (
    Break,
    Location,
    Master,
    Plan,
    Problem,
    Shift,
    TimeWindow,
    TravelTable,
    Visit,
    VisitState,
)


def at(x: int, y: int = 0) -> Location:
    """A point on a km grid (stored as hundredths of a degree)."""
    return Location(lat=x / 100, lon=y / 100)


class GridProvider:
    """Manhattan grid: one km per unit, one minute per km."""

    def table(self, origins: Sequence[Location], destinations: Sequence[Location]) -> TravelTable:
        """Return travel between grid points."""
        km = [[_km(a, b) for b in destinations] for a in origins]
        return TravelTable(
            durations=[[60 * d for d in row] for row in km],
            distances=[[1000 * d for d in row] for row in km],
        )


def _km(a: Location, b: Location) -> int:
    return round(abs(a.lat - b.lat) * 100) + round(abs(a.lon - b.lon) * 100)


def master(
    mid: str,
    x: int = 0,
    shifts: Sequence[tuple[int, int]] = ((480, 1080),),
    skills: Sequence[str] = (),
    lunch: tuple[int, int, int] | None = None,
    **kw: object,
) -> Master:
    """A master at grid x with shifts; `lunch` is (window start, window end, duration)."""
    breaks = () if lunch is None else (Break(TimeWindow(lunch[0], lunch[1]), lunch[2]),)
    return Master(
        id=mid,
        start_location=at(x),
        shifts=tuple(Shift(s, e, breaks) for s, e in shifts),
        skills=frozenset(skills),
        **kw,  # type: ignore[arg-type]
    )


def visit(
    vid: str,
    x: int,
    duration: int = 30,
    windows: Sequence[tuple[int, int]] = (),
    skills: Sequence[str] = (),
    **kw: object,
) -> Visit:
    """A visit at grid x."""
    return Visit(
        id=vid,
        location=at(x),
        duration=duration,
        windows=tuple(TimeWindow(s, e) for s, e in windows),
        skills=frozenset(skills),
        **kw,  # type: ignore[arg-type]
    )


def check_plan(problem: Problem, plan: Plan, now: int | None = None) -> None:
    """Assert the plan is feasible, recomputing every time from the grid."""
    masters = {m.id: m for m in problem.masters}
    visits = {v.id: v for v in problem.visits}
    served = [s.visit_id for r in plan.routes for s in r.stops]
    left = [u.visit_id for u in plan.unassigned]
    assert sorted(served + left) == sorted(visits), "every visit is served or explained once"
    for route in plan.routes:
        m = masters[route.master_id]
        _check_route(m, route, visits, now)


def _check_route(m: Master, route, visits: dict[str, Visit], now: int | None) -> None:
    shift = m.shifts[route.shift_index]
    assert shift.start <= route.start <= route.end <= shift.end, (route, shift)
    if m.max_visits_per_day is not None:
        assert len(route.stops) <= m.max_visits_per_day
    if m.capacity is not None:
        assert sum(visits[s.visit_id].load for s in route.stops) <= m.capacity, "over capacity"
    end_location = m.end_location or m.start_location
    intervals: list[tuple[int, int, int]] = []  # (free from, free until, minutes to drive)
    place, free = m.start_location, route.start
    for stop in route.stops:
        v = visits[stop.visit_id]
        assert v.skills <= m.skills, f"{v.id} needs {v.skills}"
        if v.master_id is not None:
            assert v.master_id == m.id
        if v.fixed_start is not None:
            assert stop.start == v.fixed_start
        elif v.windows:
            assert any(w.start <= stop.start <= w.end for w in v.windows), (v.id, stop)
        if now is not None and v.state is VisitState.OPEN and v.fixed_start is None:
            assert stop.start >= now
        assert stop.end == stop.start + v.duration
        minutes = _km(place, v.location)
        assert stop.travel_minutes == minutes
        intervals.append((free, stop.start, minutes))
        place, free = v.location, stop.end
    intervals.append((free, route.end, _km(place, end_location)))
    _check_breaks(shift, route, intervals)


def _check_breaks(shift: Shift, route, intervals: list[tuple[int, int, int]]) -> None:
    """Each break lies in its window and in a gap that still leaves time to drive."""
    assert len(route.breaks) == len(shift.breaks), "every break is taken"
    used = [0] * len(intervals)
    for brk, rule in zip(sorted(route.breaks, key=lambda b: b.start), shift.breaks, strict=True):
        assert brk.end - brk.start == rule.duration
        assert rule.window.start <= brk.start and brk.end <= rule.window.end, (brk, rule)
        if brk.end <= route.start or brk.start >= route.end:
            assert shift.start <= brk.start and brk.end <= shift.end
            continue
        gap = next(
            (i for i, (lo, hi, _) in enumerate(intervals) if lo <= brk.start and brk.end <= hi),
            None,
        )
        assert gap is not None, f"break {brk} overlaps a visit"
        used[gap] += rule.duration
    for (lo, hi, minutes), pause in zip(intervals, used, strict=True):
        assert hi - lo >= minutes + pause, f"gap {lo}-{hi} too short for {minutes}+{pause} min"
