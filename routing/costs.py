"""Cost weights. Objective points: 1 point = 1 minute of driving (1 km with Metric.DISTANCE);
the solver sees SCALE x points (DISTANCE_SCALE x points, i.e. metres, with Metric.DISTANCE)."""

from __future__ import annotations

from routing.model import Master, Metric, Priority, Visit, VisitState

SCALE = 100
DISTANCE_SCALE = 1000
DROP_PENALTY = {
    Priority.LOW: 2_000,
    Priority.NORMAL: 5_000,
    Priority.HIGH: 20_000,
    Priority.URGENT: 200_000,
}
PINNED_PENALTY = 2_000_000
FIXED_PENALTY = 20_000_000
LATE_COST_PER_MINUTE = {
    Priority.LOW: 1,
    Priority.NORMAL: 2,
    Priority.HIGH: 5,
    Priority.URGENT: 20,
}
FEWEST_COST_PER_DAY = 600
SPREAD_COST_PER_MINUTE = 3


def drop_penalty(visit: Visit) -> int:
    """Points for leaving a visit out: by priority; pinned and started visits almost never."""
    if visit.state != VisitState.OPEN:
        return FIXED_PENALTY
    if visit.master_id is not None or visit.fixed_start is not None:
        return PINNED_PENALTY
    return DROP_PENALTY[visit.priority]


def late_cost(visit: Visit) -> int:
    """Points per minute a visit ends after its SLA deadline."""
    return LATE_COST_PER_MINUTE[visit.priority]


def scale(metric: Metric) -> int:
    """Solver units per objective point."""
    return DISTANCE_SCALE if metric == Metric.DISTANCE else SCALE


def arc_cost(master: Master, minutes: int, meters: int, metric: Metric = Metric.TIME) -> float:
    """Points for one leg driven by a master: its minutes (or km) plus its cost per km."""
    driven = meters / 1000 if metric == Metric.DISTANCE else minutes
    return driven + master.cost_per_km * meters / 1000
