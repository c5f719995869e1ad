"""Earliest-time scheduling of a fixed sequence of visits for one master-day, with breaks.

Used for fast insertion; independent of OR-Tools. A break of duration d with window
[ws, we] fits a gap that starts at t (leaving a place) and drives T minutes when
max(t, ws) + d <= we; the driving may be split around it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from routing.costs import arc_cost, late_cost
from routing.model import Break, BreakTaken, Master, Route, Shift, Stop, Visit, VisitState
from routing.prepare import service_windows


@dataclass(frozen=True)
class Call:
    """A visit to schedule and the leg that leads to it."""

    visit: Visit
    minutes: int
    meters: int


def schedule_route(
    master: Master,
    shift_index: int,
    calls: list[Call],
    back: tuple[int, int],
    now: int | None = None,
) -> Route | None:
    """The cheapest earliest-time schedule of the calls in order, or None if infeasible."""
    shift = master.shifts[shift_index]
    gaps = len(calls) + 1
    best: tuple[float, Route] | None = None
    for placement in itertools.combinations_with_replacement(range(gaps), len(shift.breaks)):
        route = _simulate(master, shift_index, shift, calls, back, now, placement)
        if route is None:
            continue
        cost = route_cost(master, route, {c.visit.id: c.visit for c in calls})
        if best is None or (cost, route.end) < (best[0], best[1].end):
            best = (cost, route)
    return None if best is None else best[1]


def route_cost(master: Master, route: Route, visits: dict[str, Visit]) -> float:
    """Points of a route: driving, cost per km and hour, SLA lateness."""
    cost = arc_cost(master, route.return_minutes, route.return_meters)
    for stop in route.stops:
        cost += arc_cost(master, stop.travel_minutes, stop.travel_meters)
        cost += stop.late_minutes * late_cost(visits[stop.visit_id])
    return cost + master.cost_per_hour * (route.end - route.start) / 60


def _take_break(t: int, minutes: int, brk: Break) -> tuple[int, BreakTaken] | None:
    """Ready time at the next place when the break is taken in this gap, or None."""
    ws, we, d = brk.window.start, brk.window.end, brk.duration
    if max(t, ws) + d > we:
        return None
    start = min(max(t + minutes, ws), we - d)
    return max(start + d, t + minutes + d), BreakTaken(start, start + d)


def _simulate(
    master: Master,
    shift_index: int,
    shift: Shift,
    calls: list[Call],
    back: tuple[int, int],
    now: int | None,
    placement: tuple[int, ...],
) -> Route | None:
    taken: list[BreakTaken] = []
    t = shift.start
    stops: list[Stop] = []
    for gap, call in enumerate(calls):
        ready = _ready(t, call.minutes, gap, shift.breaks, placement, taken)
        if ready is None:
            return None
        start = _service_start(call.visit, ready, now)
        if start is None:
            return None
        visit = call.visit
        late = 0 if visit.deadline is None else max(0, start + visit.duration - visit.deadline)
        arrival = start if gap == 0 and not taken else min(ready, start)
        stops.append(
            Stop(visit.id, arrival, start, start + visit.duration, call.minutes, call.meters, late)
        )
        t = start + visit.duration
    end = _ready(t, back[0], len(calls), shift.breaks, placement, taken, final=True)
    if end is None or end > shift.end:
        return None
    depart = shift.start
    if stops and not any(b.start < stops[0].start for b in taken):
        depart = stops[0].start - calls[0].minutes
    minutes = sum(s.travel_minutes for s in stops) + back[0]
    return Route(
        master_id=master.id,
        shift_index=shift_index,
        start=max(shift.start, depart),
        end=end,
        stops=tuple(stops),
        breaks=tuple(taken),
        return_minutes=back[0],
        return_meters=back[1],
        travel_minutes=minutes,
        travel_meters=sum(s.travel_meters for s in stops) + back[1],
    )


def _ready(
    t: int,
    minutes: int,
    gap: int,
    breaks: tuple[Break, ...],
    placement: tuple[int, ...],
    taken: list[BreakTaken],
    final: bool = False,
) -> int | None:
    """Time the next place is reached, taking the breaks placed in this gap."""
    ready = t + minutes
    for k, where in enumerate(placement):
        if where != gap:
            continue
        took = _take_break(t, minutes, breaks[k])
        if took is None:
            return None
        at, brk = took
        taken.append(brk)
        if final and brk.start >= t + minutes:
            continue  # the break is taken after arriving at the end location
        ready, t, minutes = at, at, 0
    return ready


def _service_start(visit: Visit, ready: int, now: int | None) -> int | None:
    """Earliest allowed service start at or after `ready`."""
    if visit.fixed_start is not None:
        return visit.fixed_start if ready <= visit.fixed_start else None
    if visit.state == VisitState.OPEN and now is not None:
        ready = max(ready, now)
    for window in service_windows(visit, horizon=10**9):
        if ready <= window.end:
            return max(ready, window.start)
    return None
