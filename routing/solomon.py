"""Solomon / Gehring-Homberger VRPTW instances: loader, checker and the benchmark CLI.

`python -m routing.solomon FILE... --time-limit S` prints one JSON object per instance:
instance, vehicles, distance, wall_s, routes (customer numbers per vehicle in order) and
solver ("routing.solve": the field solver, minimising distance, is the only one).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from routing.matrix import TravelTable
from routing.model import Location, Master, Metric, Options, Problem, Shift, TimeWindow, Visit
from routing.solver import solve, uses_vroom


@dataclass(frozen=True)
class Customer:
    """One line of the customer table; number 0 is the depot."""

    number: int
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int


@dataclass(frozen=True)
class Instance:
    """A VRPTW instance: fleet size, capacity, depot and customers."""

    name: str
    vehicles: int
    capacity: int
    depot: Customer
    customers: tuple[Customer, ...]

    @property
    def nodes(self) -> tuple[Customer, ...]:
        """Depot first, then customers in file order."""
        return (self.depot, *self.customers)


def load(path: str | Path) -> Instance:
    """Parse a Solomon-format text file."""
    lines = [line.split() for line in Path(path).read_text().splitlines()]
    rows = [row for row in lines if row]
    name = rows[0][0]
    fleet_at = next(i for i, row in enumerate(rows) if row[0].upper() == "NUMBER") + 1
    vehicles, capacity = int(rows[fleet_at][0]), int(rows[fleet_at][1])
    table = [row for row in rows[fleet_at + 1 :] if len(row) == 7 and row[0].isdigit()]
    nodes = [
        Customer(int(r[0]), float(r[1]), float(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]))
        for r in table
    ]
    if not nodes or nodes[0].number != 0:
        raise ValueError(f"{path}: the customer table must start with the depot (number 0)")
    return Instance(name, vehicles, capacity, nodes[0], tuple(nodes[1:]))


def distance(a: Customer, b: Customer) -> float:
    """Euclidean distance, unrounded, as in the literature."""
    return math.hypot(a.x - b.x, a.y - b.y)


def total_distance(instance: Instance, routes: list[list[int]]) -> float:
    """Total length of routes given as customer numbers (depot implied at both ends)."""
    by_number = {c.number: c for c in instance.nodes}
    total = 0.0
    for route in routes:
        path = [instance.depot, *(by_number[n] for n in route), instance.depot]
        total += sum(distance(a, b) for a, b in itertools.pairwise(path))
    return total


def route_errors(instance: Instance, routes: list[list[int]]) -> list[str]:
    """Feasibility problems of a solution: coverage, fleet, capacity, time windows."""
    by_number = {c.number: c for c in instance.nodes}
    errors: list[str] = []
    seen = sorted(n for route in routes for n in route)
    if seen != sorted(c.number for c in instance.customers):
        errors.append("customers are not each served exactly once")
    if len([r for r in routes if r]) > instance.vehicles:
        errors.append(f"{len(routes)} routes exceed the fleet of {instance.vehicles}")
    for k, route in enumerate(routes):
        if sum(by_number[n].demand for n in route) > instance.capacity:
            errors.append(f"route {k} exceeds capacity")
        clock, place = float(instance.depot.ready), instance.depot
        for n in [*route, 0]:
            node = by_number[n]
            clock = max(clock + distance(place, node), node.ready)
            if clock > node.due + 1e-6:
                errors.append(f"route {k}: customer {n} reached at {clock:.2f} after {node.due}")
            clock += node.service
            place = node
    return errors


TIME_UNITS = 1000  # model minutes per Solomon time unit; metres per distance unit


def to_problem(instance: Instance) -> tuple[Problem, TravelTable]:
    """The instance as a routing.Problem with its Euclidean travel table (distance-only cost).

    Times and distances are scaled by TIME_UNITS; travel times are rounded up, so a plan that
    fits the model also fits the unrounded instance.
    """
    depot = instance.depot
    shift = Shift(TIME_UNITS * depot.ready, TIME_UNITS * depot.due)
    masters = tuple(
        Master(
            id=f"vehicle{k}",
            start_location=_location(depot),
            shifts=(shift,),
            capacity=instance.capacity,
        )
        for k in range(instance.vehicles)
    )
    visits = tuple(
        Visit(
            id=str(c.number),
            location=_location(c),
            duration=TIME_UNITS * c.service,
            windows=(TimeWindow(TIME_UNITS * c.ready, TIME_UNITS * c.due),),
            load=c.demand,
        )
        for c in instance.customers
    )
    problem = Problem(masters=masters, visits=visits)
    return problem, euclidean_table(instance, problem)


def _location(customer: Customer) -> Location:
    return Location(lat=customer.y / TIME_UNITS, lon=customer.x / TIME_UNITS)


def euclidean_table(instance: Instance, problem: Problem) -> TravelTable:
    """Travel between the problem's points (routing.points order): seconds and metres."""
    nodes = [*instance.customers]
    for _ in problem.masters:
        nodes += [instance.depot, instance.depot]
    lengths = [[TIME_UNITS * distance(a, b) for b in nodes] for a in nodes]
    return TravelTable(
        durations=[[60 * math.ceil(d - 1e-9) for d in row] for row in lengths],
        distances=[[round(d) for d in row] for row in lengths],
    )


def solve_instance(instance: Instance, time_limit_s: float) -> list[list[int]]:
    """Routes (customer numbers per vehicle) from routing.solve, minimising distance."""
    problem, table = to_problem(instance)
    options = Options(time_limit_s=time_limit_s, metric=Metric.DISTANCE)
    plan = solve(problem, options, table=table)
    return [[int(stop.visit_id) for stop in route.stops] for route in plan.routes]


def solve_file(path: str | Path, time_limit_s: float) -> dict[str, object]:
    """Solve one instance file with routing.solve and return the CLI record."""
    started = time.perf_counter()
    instance = load(path)
    routes = solve_instance(instance, time_limit_s)
    return {
        "instance": instance.name,
        "vehicles": len(routes),
        "distance": round(total_distance(instance, routes), 2),
        "wall_s": round(time.perf_counter() - started, 2),
        "routes": routes,
        "solver": "routing.solve",
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: one JSON line per instance file."""
    parser = argparse.ArgumentParser(prog="python -m routing.solomon", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    args = parser.parse_args(argv)
    if uses_vroom(Options()):
        import vroom  # noqa: F401  (once per process, about 2 s with pandas: not an instance's time)
    for path in args.files:
        print(json.dumps(solve_file(path, args.time_limit)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
