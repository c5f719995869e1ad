"""Turn a Problem into solver-ready data: nodes, vehicles (master-days), minutes, eligibility."""

from __future__ import annotations

from dataclasses import dataclass, field

from routing.matrix import GeodesicMatrix, MatrixProvider, TravelTable, minutes
from routing.model import (
    Location,
    Master,
    Options,
    Problem,
    Reason,
    Shift,
    TimeWindow,
    Visit,
    VisitState,
)


@dataclass(frozen=True)
class Vehicle:
    """One master on one shift: the solver's vehicle."""

    master_index: int
    shift_index: int
    master: Master
    shift: Shift


@dataclass
class Prepared:
    """Nodes are the visits (0..n-1), then each master's start and end location."""

    problem: Problem
    options: Options
    vehicles: list[Vehicle]
    travel: list[list[int]]
    meters: list[list[int]]
    horizon: int
    allowed: list[list[int]]
    excluded: dict[int, tuple[Reason, str]]
    seconds: list[list[int]] = field(default_factory=list)  # the table's own durations

    @property
    def visits(self) -> tuple[Visit, ...]:
        """The visits in node order."""
        return self.problem.visits

    def start_node(self, master_index: int) -> int:
        """Node of a master's start location."""
        return len(self.problem.visits) + 2 * master_index

    def end_node(self, master_index: int) -> int:
        """Node of a master's end location."""
        return self.start_node(master_index) + 1


def points(problem: Problem) -> list[Location]:
    """Locations in node order: visits, then (start, end) of every master."""
    out = [v.location for v in problem.visits]
    for master in problem.masters:
        out += [master.start_location, master.end_location or master.start_location]
    return out


def prepare(
    problem: Problem,
    options: Options,
    provider: MatrixProvider | None = None,
    table: TravelTable | None = None,
) -> Prepared:
    """Compute the travel matrix (unless given) and every visit's eligible vehicles."""
    if table is None:
        locations = points(problem)
        table = (provider or GeodesicMatrix()).table(locations, locations)
    travel = [[minutes(seconds) for seconds in row] for row in table.durations]
    vehicles = [
        Vehicle(mi, si, master, shift)
        for mi, master in enumerate(problem.masters)
        for si, shift in enumerate(master.shifts)
    ]
    horizon = max(
        [s.end for m in problem.masters for s in m.shifts]
        + [w.end + v.duration for v in problem.visits for w in v.windows]
        + [v.fixed_start + v.duration for v in problem.visits if v.fixed_start is not None]
        + [1],
    )
    data = Prepared(
        problem, options, vehicles, travel, table.distances, horizon, [], {}, table.durations
    )
    for node, visit in enumerate(problem.visits):
        allowed, reason = eligibility(data, node, visit)
        data.allowed.append(allowed)
        if reason is not None:
            data.excluded[node] = reason
    return data


def eligibility(
    data: Prepared, node: int, visit: Visit
) -> tuple[list[int], tuple[Reason, str] | None]:
    """Vehicles that could serve a visit alone, or the reason why none can."""
    masters = data.problem.masters
    skilled = {i for i, m in enumerate(masters) if visit.skills <= m.skills}
    if not skilled:
        return [], (Reason.NO_SKILL, f"no master has skills {sorted(visit.skills)}")
    skilled = {i for i in skilled if _carries(masters[i], visit)}
    if not skilled:
        return [], (Reason.OVER_CAPACITY, f"no skilled master can carry its load of {visit.load}")
    if visit.master_id is not None:
        pinned = {i for i, m in enumerate(masters) if m.id == visit.master_id}
        if not pinned & skilled:
            return [], (
                Reason.PINNED_MASTER_CANNOT,
                f"pinned master {visit.master_id!r} lacks skills {sorted(visit.skills)}",
            )
        skilled &= pinned
    allowed = [
        v
        for v, vehicle in enumerate(data.vehicles)
        if vehicle.master_index in skilled and _fits_shift(data, node, visit, vehicle)
    ]
    if allowed:
        return allowed, None
    if visit.fixed_start is not None:
        return [], (
            Reason.FIXED_TIME_UNREACHABLE,
            f"fixed start {visit.fixed_start} is not reachable within a shift of its master",
        )
    return [], (Reason.NO_WINDOW_FITS_SHIFT, "no time window fits a shift of a skilled master")


def _carries(master: Master, visit: Visit) -> bool:
    """Whether the master's capacity (if any) takes the visit's load."""
    return master.capacity is None or visit.load <= master.capacity


def _fits_shift(data: Prepared, node: int, visit: Visit, vehicle: Vehicle) -> bool:
    """Whether the visit alone fits the shift: travel out, a window, service, travel back."""
    shift = vehicle.shift
    earliest = shift.start + data.travel[data.start_node(vehicle.master_index)][node]
    latest = shift.end - visit.duration - data.travel[node][data.end_node(vehicle.master_index)]
    if visit.state == VisitState.OPEN and data.options.now is not None:
        earliest = max(earliest, data.options.now)
    for window in service_windows(visit, data.horizon):
        if max(earliest, window.start) <= min(latest, window.end):
            return True
    return False


def service_windows(visit: Visit, horizon: int) -> list[TimeWindow]:
    """Windows for the service start: the fixed start, the agreed windows, or all the horizon."""
    if visit.fixed_start is not None:
        return [TimeWindow(visit.fixed_start, visit.fixed_start)]
    if not visit.windows:
        return [TimeWindow(0, horizon)]
    return sorted(visit.windows, key=lambda w: w.start)
