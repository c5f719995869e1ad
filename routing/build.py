"""Build the OR-Tools routing model step by step, one small function per constraint."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from ortools.constraint_solver import pywrapcp

from routing.costs import (
    FEWEST_COST_PER_DAY,
    SPREAD_COST_PER_MINUTE,
    drop_penalty,
    late_cost,
    scale,
)
from routing.model import Balance, Metric, VisitState
from routing.prepare import Prepared, service_windows


@dataclass
class Model:
    """The routing model with handles the plan extraction needs."""

    data: Prepared
    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time: pywrapcp.RoutingDimension
    breaks: dict[int, list[pywrapcp.IntervalVar]] = field(default_factory=dict)


def build_model(data: Prepared, with_breaks: bool = True) -> Model:
    """Create the routing model with every constraint of the problem.

    `with_breaks=False` leaves breaks out: a relaxation whose local search is much faster,
    used to warm-start the full model (see routing.warmstart).
    """
    n_nodes = len(data.visits) + 2 * len(data.problem.masters)
    starts = [data.start_node(v.master_index) for v in data.vehicles]
    ends = [data.end_node(v.master_index) for v in data.vehicles]
    manager = pywrapcp.RoutingIndexManager(n_nodes, len(data.vehicles), starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    add_travel_costs(data, routing)
    time = add_time_dimension(data, routing)
    model = Model(data, manager, routing, time)
    add_shift_bounds(model)
    add_visit_windows(model)
    if with_breaks:
        add_breaks(model)
    add_eligible_vehicles(model)
    add_day_capacity(model)
    add_load_capacity(model)
    add_sla_deadlines(model)
    add_drop_penalties(model)
    add_balance(model)
    add_move_limit(model)
    return model


def service(data: Prepared, node: int) -> int:
    """Minutes spent at a node (zero at masters' start and end)."""
    return data.visits[node].duration if node < len(data.visits) else 0


def add_travel_costs(data: Prepared, routing: pywrapcp.RoutingModel) -> None:
    """Arc cost per vehicle: driving minutes, cost per km, a penalty for moving a visit.

    One matrix per cost per km, and per master only when visits have a master to move from
    (a matrix per master costs seconds in Python for hundreds of visits)."""
    moves = data.options.move_penalty > 0 and any(
        v.previous_master_id is not None for v in data.visits
    )
    base: dict[float, np.ndarray] = {}
    callbacks: dict[tuple[float, str | None], int] = {}
    for v, vehicle in enumerate(data.vehicles):
        master = vehicle.master
        key = (master.cost_per_km, master.id if moves else None)
        if key not in callbacks:
            if master.cost_per_km not in base:
                base[master.cost_per_km] = _base_costs(data, master.cost_per_km)
            matrix = base[master.cost_per_km]
            if key[1] is not None:
                matrix = matrix + _move_costs(data, key[1])[None, :]
            callbacks[key] = routing.RegisterTransitMatrix(matrix.tolist())
        routing.SetArcCostEvaluatorOfVehicle(callbacks[key], v)


def _base_costs(data: Prepared, per_km: float) -> np.ndarray:
    """Driving (or distance) cost plus the cost per km of every leg, in cost units."""
    units = scale(data.options.metric)
    meters = np.array(data.meters, dtype=np.int64)
    if data.options.metric == Metric.DISTANCE:
        driven = meters * units // 1000
    elif data.seconds:
        driven = np.rint(units * np.array(data.seconds, dtype=np.float64) / 60).astype(np.int64)
    else:
        driven = units * np.array(data.travel, dtype=np.int64)
    return driven + np.rint(units * per_km * meters / 1000).astype(np.int64)


def _move_costs(data: Prepared, master_id: str) -> np.ndarray:
    """The move penalty for arriving at each node, for one master (visits planned elsewhere)."""
    move = round(scale(data.options.metric) * data.options.move_penalty)
    n_nodes = len(data.travel)
    out = np.zeros(n_nodes, dtype=np.int64)
    for j, visit in enumerate(data.visits):
        previous = visit.previous_master_id
        if previous is not None and previous != master_id:
            out[j] = move
    return out


def _driving(data: Prepared, i: int, j: int, units: int) -> int:
    """Driving cost of a leg from the table's seconds (finer than its whole minutes)."""
    if not data.seconds:
        return units * data.travel[i][j]
    return round(units * data.seconds[i][j] / 60)


def add_time_dimension(data: Prepared, routing: pywrapcp.RoutingModel) -> pywrapcp.RoutingDimension:
    """Time in minutes: service at the origin plus driving; waiting is slack; hourly span cost."""
    matrix = [[service(data, i) + minutes for minutes in row] for i, row in enumerate(data.travel)]
    callback = routing.RegisterTransitMatrix(matrix)
    routing.AddDimension(callback, data.horizon, data.horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    units = scale(data.options.metric)
    for v, vehicle in enumerate(data.vehicles):
        if vehicle.master.cost_per_hour > 0:
            time.SetSpanCostCoefficientForVehicle(
                round(units * vehicle.master.cost_per_hour / 60), v
            )
    return time


def add_shift_bounds(model: Model) -> None:
    """Each master-day leaves and returns within its shift; prefer short days."""
    routing = model.routing
    for v, vehicle in enumerate(model.data.vehicles):
        for index in (routing.Start(v), routing.End(v)):
            model.time.CumulVar(index).SetRange(vehicle.shift.start, vehicle.shift.end)
            routing.AddVariableMinimizedByFinalizer(model.time.CumulVar(index))


def add_visit_windows(model: Model) -> None:
    """Service starts inside one of the visit's windows, not before `now` for open visits."""
    now = model.data.options.now
    for node, visit in enumerate(model.data.visits):
        if node in model.data.excluded:
            continue  # never active; its windows may lie outside the horizon
        windows = service_windows(visit, model.data.horizon)
        cumul = model.time.CumulVar(model.manager.NodeToIndex(node))
        low = windows[0].start
        if visit.state == VisitState.OPEN and visit.fixed_start is None and now is not None:
            low = max(low, now)
        high = max(w.end for w in windows)
        if low > high:
            low = high
        cumul.SetRange(low, high)
        for before, after in itertools.pairwise(windows):
            if after.start > before.end + 1:
                cumul.RemoveInterval(before.end + 1, after.start - 1)


def add_breaks(model: Model) -> None:
    """Breaks (lunch) as intervals inside their windows that no service may overlap."""
    routing, data = model.routing, model.data
    if not any(vehicle.shift.breaks for vehicle in data.vehicles):
        return
    solver = routing.solver()
    visit_transits = [
        service(data, model.manager.IndexToNode(index)) for index in range(routing.Size())
    ]
    for v, vehicle in enumerate(data.vehicles):
        if not vehicle.shift.breaks:
            continue
        intervals = [
            solver.FixedDurationIntervalVar(
                brk.window.start,
                brk.window.end - brk.duration,
                brk.duration,
                False,
                f"break {vehicle.master.id} {vehicle.shift_index} {k}",
            )
            for k, brk in enumerate(vehicle.shift.breaks)
        ]
        model.time.SetBreakIntervalsOfVehicle(intervals, v, visit_transits)
        model.breaks[v] = intervals


def add_eligible_vehicles(model: Model) -> None:
    """Only skilled (and, if pinned, the pinned) master-days whose shift fits may take a visit."""
    everyone = len(model.data.vehicles)
    for node, allowed in enumerate(model.data.allowed):
        if len(allowed) == everyone:
            continue
        index = model.manager.NodeToIndex(node)
        model.routing.VehicleVar(index).SetValues([-1, *allowed])


def add_day_capacity(model: Model) -> None:
    """A master takes at most `max_visits_per_day` visits per shift."""
    data = model.data
    if all(v.master.max_visits_per_day is None for v in data.vehicles):
        return
    n_visits = len(data.visits)
    ones = [1] * n_visits + [0] * (2 * len(data.problem.masters))
    callback = model.routing.RegisterUnaryTransitVector(ones)
    caps = [
        n_visits if v.master.max_visits_per_day is None else v.master.max_visits_per_day
        for v in data.vehicles
    ]
    model.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, True, "visits")


def add_load_capacity(model: Model) -> None:
    """A master-day carries at most its `capacity` of visit load (only when one is set)."""
    data = model.data
    if all(v.master.capacity is None for v in data.vehicles):
        return
    loads = [v.load for v in data.visits] + [0] * (2 * len(data.problem.masters))
    callback = model.routing.RegisterUnaryTransitVector(loads)
    unlimited = sum(loads)
    caps = [unlimited if v.master.capacity is None else v.master.capacity for v in data.vehicles]
    model.routing.AddDimensionWithVehicleCapacity(callback, 0, caps, True, "load")


def add_sla_deadlines(model: Model) -> None:
    """Soft SLA: ending after the deadline costs points per minute by priority."""
    for node, visit in enumerate(model.data.visits):
        if visit.deadline is None or visit.state != VisitState.OPEN:
            continue
        index = model.manager.NodeToIndex(node)
        bound = max(0, visit.deadline - visit.duration)
        units = scale(model.data.options.metric)
        model.time.SetCumulVarSoftUpperBound(index, bound, units * late_cost(visit))


def add_drop_penalties(model: Model) -> None:
    """Every visit is optional with a priority-weighted penalty, so a plan always exists."""
    for node, visit in enumerate(model.data.visits):
        index = model.manager.NodeToIndex(node)
        model.routing.AddDisjunction(
            [index], scale(model.data.options.metric) * drop_penalty(visit)
        )


def add_balance(model: Model) -> None:
    """Spread: penalise work above the average day; fewest: a fixed cost per used master-day."""
    data, routing = model.data, model.routing
    units = scale(data.options.metric)
    if data.options.balance == Balance.FEWEST:
        routing.SetFixedCostOfAllVehicles(units * FEWEST_COST_PER_DAY)
    if data.options.balance != Balance.SPREAD:
        return
    matrix = [[service(data, i) + minutes for minutes in row] for i, row in enumerate(data.travel)]
    callback = routing.RegisterTransitMatrix(matrix)
    routing.AddDimension(callback, 0, data.horizon, True, "work")
    work = routing.GetDimensionOrDie("work")
    target = spread_target(data)
    for v in range(len(data.vehicles)):
        work.SetCumulVarSoftUpperBound(routing.End(v), target, units * SPREAD_COST_PER_MINUTE)


def spread_target(data: Prepared) -> int:
    """The average day's service minutes (rounded up): work above it costs when spreading."""
    total = sum(v.duration for node, v in enumerate(data.visits) if node not in data.excluded)
    return -(-total // max(1, len(data.vehicles)))


def add_move_limit(model: Model) -> None:
    """At most `max_moved` previously assigned visits may go to another master."""
    data, routing = model.data, model.routing
    if data.options.max_moved is None:
        return
    solver = routing.solver()
    moved = []
    for node, visit in enumerate(data.visits):
        if visit.previous_master_id is None:
            continue
        others = [
            v for v in data.allowed[node] if data.vehicles[v].master.id != visit.previous_master_id
        ]
        if others:
            index = model.manager.NodeToIndex(node)
            moved.append(solver.IsMemberVar(routing.VehicleVar(index), others))
    if moved:
        solver.Add(solver.Sum(moved) <= data.options.max_moved)
