"""Distance-minimising VRPTW solver for benchmark instances (Solomon conventions)."""

from __future__ import annotations

import math

from ortools.constraint_solver import pywrapcp

from routing.search import FirstSolution, search_parameters
from routing.solomon import Instance, distance

SCALE = 1000
MISSING_PENALTY = 10**10


def solve_vrptw(
    instance: Instance,
    time_limit_s: float,
    first_solution: int = FirstSolution.PARALLEL_CHEAPEST_INSERTION,
) -> list[list[int]]:
    """Routes (customer numbers) minimising total distance within the time limit."""
    nodes = instance.nodes
    manager = pywrapcp.RoutingIndexManager(len(nodes), instance.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    length = [[round(SCALE * distance(a, b)) for b in nodes] for a in nodes]
    cost = routing.RegisterTransitMatrix(length)
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    _add_time(instance, manager, routing)
    _add_capacity(instance, routing)
    for node in range(1, len(nodes)):
        routing.AddDisjunction([manager.NodeToIndex(node)], MISSING_PENALTY)
    params = search_parameters(time_limit_s, first_solution)
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return []
    routes = []
    for v in range(instance.vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        route = []
        while not routing.IsEnd(index):
            route.append(nodes[manager.IndexToNode(index)].number)
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def _add_time(
    instance: Instance, manager: pywrapcp.RoutingIndexManager, routing: pywrapcp.RoutingModel
) -> None:
    """Travel time equals distance (rounded up so real arrivals are never later) plus service."""
    nodes = instance.nodes
    transit = [
        [SCALE * a.service + math.ceil(SCALE * distance(a, b) - 1e-9) for b in nodes] for a in nodes
    ]
    horizon = SCALE * instance.depot.due
    routing.AddDimension(routing.RegisterTransitMatrix(transit), horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for node, customer in enumerate(nodes[1:], start=1):
        time.CumulVar(manager.NodeToIndex(node)).SetRange(
            SCALE * customer.ready, SCALE * customer.due
        )
    for v in range(instance.vehicles):
        for index in (routing.Start(v), routing.End(v)):
            time.CumulVar(index).SetRange(SCALE * instance.depot.ready, horizon)


def _add_capacity(instance: Instance, routing: pywrapcp.RoutingModel) -> None:
    demand = routing.RegisterUnaryTransitVector([c.demand for c in instance.nodes])
    routing.AddDimension(demand, 0, instance.capacity, True, "load")
