"""Search parameters shared by the field solver and the benchmark solver."""

from __future__ import annotations

import time

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


class Patience:
    """Ends a routing search whose best cost has not improved for `seconds`, or that runs past
    `deadline` (perf_counter); None leaves either out.

    Installed once per model: the clock restarts at each search's start and at each better
    solution; before the first solution of a search it never stops anything (so a search from
    given routes always gets them restored). OR-Tools' own time limit is checked at intervals
    it estimates from the time a branch took, and overran 1-2 s limits by 0.5-1.3 s on a
    loaded 2-core machine; this limit is asked at every branch and stopped searches within
    0.1 s of the deadline (each ask costs a call into Python; Patience made them anyway).
    """

    def __init__(
        self, routing: pywrapcp.RoutingModel, seconds: float | None, deadline: float | None = None
    ) -> None:
        self.routing, self.seconds, self.deadline = routing, seconds, deadline
        self.best: int | None = None
        self.since = time.perf_counter()
        routing.AddEnterSearchCallback(self._restart)
        routing.AddAtSolutionCallback(self._found)
        routing.AddSearchMonitor(routing.solver().CustomLimit(self.exhausted))

    def _restart(self) -> None:
        self.best, self.since = None, time.perf_counter()

    def _found(self) -> None:
        cost = self.routing.CostVar().Value()
        if self.best is None or cost < self.best:
            self.best, self.since = cost, time.perf_counter()

    def exhausted(self) -> bool:
        """Whether the search has a solution and nothing better came for `seconds`, or the
        deadline has passed."""
        if self.best is None:
            return False
        now = time.perf_counter()
        if self.deadline is not None and now > self.deadline:
            return True
        return self.seconds is not None and now - self.since > self.seconds
