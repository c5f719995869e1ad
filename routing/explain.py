"""Reasons for visits left out of a plan, in words a dispatcher can act on."""

from __future__ import annotations

from collections import Counter

from routing.model import Reason, Route, Unassigned
from routing.prepare import Prepared


def explain_unassigned(data: Prepared, routes: tuple[Route, ...]) -> tuple[Unassigned, ...]:
    """Explain every visit that no route serves."""
    served = {stop.visit_id for route in routes for stop in route.stops}
    load = Counter({(r.master_id, r.shift_index): len(r.stops) for r in routes})
    out = []
    for node, visit in enumerate(data.visits):
        if visit.id in served:
            continue
        reason, detail = _reason(data, node, load)
        out.append(Unassigned(visit.id, reason, detail))
    return tuple(out)


def _reason(data: Prepared, node: int, load: Counter[tuple[str, int]]) -> tuple[Reason, str]:
    if node in data.excluded:
        return data.excluded[node]
    allowed = [data.vehicles[v] for v in data.allowed[node]]
    full = [
        v
        for v in allowed
        if v.master.max_visits_per_day is not None
        and load[(v.master.id, v.shift_index)] >= v.master.max_visits_per_day
    ]
    if len(full) == len(allowed):
        return (
            Reason.DAY_CAPACITY_EXHAUSTED,
            f"all {len(allowed)} master-days that could take it already have their maximum visits",
        )
    visit = data.visits[node]
    if visit.fixed_start is not None:
        return (
            Reason.FIXED_TIME_UNREACHABLE,
            f"its fixed start at minute {visit.fixed_start} cannot be kept beside the other fixed"
            " visits and the travel between them",
        )
    options = data.options
    if options.max_moved is not None and visit.previous_master_id is not None:
        own = [v for v in allowed if v.master.id == visit.previous_master_id]
        if not own:
            return (
                Reason.MOVE_LIMIT,
                f"only other masters than {visit.previous_master_id!r} could take it "
                f"and at most {options.max_moved} visits may move",
            )
    return (
        Reason.NO_ROOM,
        f"the {len(allowed)} master-days that could take it are fully booked in its windows",
    )
