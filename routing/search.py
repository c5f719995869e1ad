"""Search parameters shared by the field solver and the benchmark solver."""

from __future__ import annotations

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

FirstSolution = routing_enums_pb2.FirstSolutionStrategy
Metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic


# Each completion search (restoring given routes into a full solution, or an LNS neighbour) is
# bounded by lns_time_limit, 100 ms by default: restoring a 50 x 500 day with breaks took
# 0.2-1 s on a busy 2-core machine, so it failed and the plan fell back to a weak first solution.
COMPLETION_MS = 3000


def search_parameters(
    time_limit_s: float,
    first_solution: int = FirstSolution.PARALLEL_CHEAPEST_INSERTION,
    solution_limit: int | None = None,
) -> pywrapcp.DefaultRoutingSearchParameters:
    """Guided local search from a given first solution, always bounded by a time limit."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = first_solution
    params.local_search_metaheuristic = Metaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    params.lns_time_limit.FromMilliseconds(COMPLETION_MS)
    if solution_limit is not None:
        params.solution_limit = solution_limit
    params.log_search = False
    return params


def status_name(routing: pywrapcp.RoutingModel) -> str:
    """The routing status as a lower-case word, e.g. 'success' or 'fail_timeout'."""
    name: str = routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status())
    return name.removeprefix("ROUTING_").lower()
