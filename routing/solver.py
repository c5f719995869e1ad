"""Solve a Problem into a Plan: validate, prepare, build, search, read the routes back."""

from __future__ import annotations

import math
import time as clock

from ortools.constraint_solver import pywrapcp

from routing.build import Model, build_model
from routing.costs import arc_cost, drop_penalty, late_cost, scale
from routing.explain import explain_unassigned
from routing.matrix import MatrixProvider, TravelTable
from routing.model import Balance, BreakTaken, Objective, Options, Plan, Problem, Route, Start, Stop
from routing.polish import applies as polish_applies
from routing.polish import polish
from routing.prepare import Prepared, prepare
from routing.ruin import improve
from routing.search import Patience, search_parameters, status_name
from routing.twocores import GRACE_S, best_of
from routing.validate import validate_problem
from routing.vroomstart import Found, VroomModel
from routing.vroomstart import available as vroom_available
from routing.vroomstart import load as load_vroom
from routing.warmstart import (
    fit_breaks,
    fitted,
    has_breaks,
    plan_routes,
    reinsert,
    search_from,
    warm_start,
)


def solve(
    problem: Problem,
    options: Options | None = None,
    provider: MatrixProvider | None = None,
    table: TravelTable | None = None,
    previous: Plan | None = None,
) -> Plan:
    """Plan routes for all masters; visits that do not fit are left out with a reason.

    `previous` is an earlier plan to start from (a re-plan): its routes, fitted to today's
    problem, are the first solution, and OR-Tools searches from there for the whole time.
    """
    options = options or Options()
    if uses_vroom(options):
        load_vroom()  # once per process, before the clock starts (see routing.vroomstart.load)
    started = clock.perf_counter()
    validate_problem(problem)
    data = prepare(problem, options, provider, table)
    model = build_model(data)
    watch = _watch(model, options, started)  # noqa: F841 (alive for the solve)
    solution = None
    if previous is not None:
        solution = search_from(model, plan_routes(data, previous), _rest(options, started))
    if solution is None and uses_vroom(options):
        solution = _solve_from_vroom(model, options, started)
    if solution is None and has_breaks(data):
        solution = _solve_warm(model, options, started)
    if solution is None:
        solution = model.routing.SolveWithParameters(_rest(options, started))
    if solution is None:  # a busy machine can starve a short limit: take the first plan found
        last = search_parameters(max(LAST_RESORT_S, options.time_limit_s), solution_limit=1)
        solution = model.routing.SolveWithParameters(last)
    if solution is None:
        raise RuntimeError(f"no plan found ({status_name(model.routing)}); this is a bug")
    routes = tuple(r for v in range(len(data.vehicles)) if (r := read_route(model, solution, v)))
    unassigned = explain_unassigned(data, routes)
    objective = breakdown(data, routes, solution.ObjectiveValue())
    return Plan(
        routes=routes,
        unassigned=unassigned,
        objective=objective,
        status=status_name(model.routing),
        wall_s=round(clock.perf_counter() - started, 3),
    )


LAST_RESORT_S = 5.0  # for the first solution when every search before failed in its time
RELAXED_SHARE = 0.5  # of the time limit spent on the model without breaks
VROOM_SHARE = 0.9  # of the time limit by which VROOM's plan must be ready (0.9 beat
# 0.8 on held-out days and perturbed instances: 5 of 6 equal or better)
OWN_TERMS_SHARE = 0.5  # VROOM_SHARE when the plan is to spread work or use fewest masters,
# which VROOM does not know; OR-Tools, which weighs them, gets the other half (a move cost, set
# on every dispatch plan, keeps VROOM_SHARE). With VROOM_SHARE OR-Tools got what VROOM left,
# often nothing on a loaded machine, and the plan was VROOM's as it was: a 2 x 4 day asked to
# spread came back on one master in 30 of 150 solves at 0.5 s with four busy loops beside;
# 12 of 150 with this
FIRST_SHARE = 0.5  # of the time limit for VROOM's first plan; ruin and recreate (routing.ruin)
# improves it until VROOM_SHARE
VROOM_EXPLORATION = 0  # VROOM's exploration level (0-5) for the first plan. Level 3 was chosen
# with the whole-day repair of routing.ruin (a step took 0.17-0.2 s, few fitted); with the local
# repair of string removals (routing.ruin._repair_near, 8-15 times more steps) level 0 and the
# time it leaves won on 21 perturbed instances (seeds 400-420, not the benchmark ones) at 10 s:
# -0.56 % vs level 3 with the whole-day repair, better on 16 and worse on 4 (level 3 with the
# local repair -0.31 %, 12 and 6; level 1 -0.60 %, 12 and 7). Level 3 also ran past its timeout
# on R2/RC2-like instances on a loaded machine (5.2-5.8 s): its plan then varied by 6 %
FULL_EXPLORATION = 5  # VROOM's level in reproducible runs, whose plan is taken as it is.
# On days with breaks VROOM refuses most routes as a start (VROOM-Project/vroom#1251): those
# are planned again from their visits within each repair (routing.ruin._solve_refusing)
BREAKS_FIRST_SHARE = 0.6  # FIRST_SHARE on days with breaks, with BREAKS_EXPLORATION
BREAKS_EXPLORATION = 2  # VROOM's level for the first plan on days with breaks. Level 5 cut
# by a timeout left its searches half done (city30 seed 1 under load: 255 served at 20.3 min
# per visit in 5 s, where level 2 finished in 6 s with 269 at 18.3). Chosen with the share
# on the bench's break days of seeds 1-2 at 10 s against VROOM in the same run, parts in two
# processes: level 5 and 0.5 served fewer than VROOM on 4 of 10 days and drove more per
# visit on 5; level 2 and 0.6 on 1 and 2; level 2 and 0.5 on 2 and 2; level 3 and 0.5 on 1 and 4
ESCALATION: float | None = 5.0  # on days with breaks, VROOM's first plan is searched again at
# FULL_EXPLORATION when the time left for it is this many times what BREAKS_EXPLORATION took
# (None: never). Level 5 took 3.7-6.8 times as long as level 2 where it finished (20 break
# days, seeds 1-4); at 3.0 it started on tight20 and city30 with 3.1-3.3 times left, was cut
# by its timeout, and its half-done plan (more weight, fewer visits) left ruin and recreate
# 2 s instead of 6: tight20 seed 2 served 189-199 from run to run. City30 and tight20 at 10 s
# vs VROOM in the same run, seeds 1-3 and 10: 5.0 served +56 (more driving per visit on 1 of
# 8 days), 3.0 +49 (1 of 8); held out, seeds 4-9: 5.0 served as many or more than 3.0 on
# each seed. 3.0 was chosen on seeds 1-2: without it ours drove more per visit on 4 of 10
# break days, with it on 2
PARTS_SHARE = 0.8  # of the time limit by which ruin and recreate ends on days with breaks
# (chosen when it re-planned parts of the day from scratch); visits still
# out are then inserted where they fit until VROOM_SHARE. Measured
# at 10 s on the bench's field days with breaks against VROOM in the same run: seeds 2 and 3
# served +41 in total (fewer on 2 of 10 days) where the former path (VROOM alone until
# VROOM_SHARE) served -11 (fewer on 6); then held on seeds 1, 4 and 5 (+29, +36, +30)
DESCENT_SHARE = 0.95  # of the time limit by which the descent on VROOM's routes (routing.polish)
# ends; it mostly stops earlier, at a local optimum (0.2-0.5 s for 20 x 300 with lunch), and
# always there in reproducible runs
RESERVE = 0.2  # of the time limit kept for the full model whatever happened before
POLISH = 0.05  # the same, after a plan from VROOM (already a good local optimum)
FINISH_S = 0.1  # kept after the last OR-Tools search for reading the plan back (0.01-0.03 s)
# and for the search to notice its deadline (within 0.1 s, see routing.search.Patience)
BACKSTOP_S = 1.0  # OR-Tools' own limit of a watched search, past the time left. When its own
# limit ended the search (at the time left), OR-Tools went on 0.7-0.8 s without asking any
# limit (a 40 x 400 day at 30 s, under load: 30.6-30.7 s); ended by the watch, within 0.02 s
GRACE_SHARE = 0.02  # of the time limit, at most GRACE_S: the wait for the second process (its
# last VROOM step may end past the deadline); 0.3 s of a 1.5 s limit ran solves past it
RESTORE_S_PER_VISIT = 0.003  # at least this long after VROOM: turning its routes into a
# solution took up to 1 s for 300-500 visits on a busy machine; with less the search failed


def _watch(model: Model, options: Options, started: float) -> Patience | None:
    """The patience and the deadline of every OR-Tools search on the model; None (nothing to
    watch) in reproducible runs, which a solution count ends."""
    if options.solution_limit is not None:
        return None
    limit = options.time_limit_s
    patience = None if options.patience is None else options.patience * limit
    return Patience(model.routing, patience, started + limit - FINISH_S)


def uses_vroom(options: Options) -> bool:
    """Whether the first plan comes from VROOM (AUTO: when pyvroom is installed).

    AUTO leaves VROOM out of reproducible runs (a solution limit): among plans of equal cost
    it returned different ones from run to run, even on one thread.
    """
    if options.start == Start.VROOM:
        return True
    if options.start != Start.AUTO or options.max_moved is not None:
        return False
    return options.solution_limit is None and vroom_available()


def _rest(
    options: Options, started: float, reserve: float = RESERVE
) -> pywrapcp.DefaultRoutingSearchParameters:
    """Search parameters for the time left (never less than the reserve).

    With a solution limit (reproducible runs) the whole time limit bounds each phase, so that
    the solution count, not the clock, ends the search. Otherwise OR-Tools' own limit is set
    BACKSTOP_S past the time left: the model's watch (_watch) ends the search at the deadline.
    """
    limit = options.time_limit_s
    left = max(limit - (clock.perf_counter() - started), reserve * limit) + BACKSTOP_S
    if options.solution_limit is not None:
        left = limit
    return search_parameters(left, solution_limit=options.solution_limit)


def _solve_from_vroom(model: Model, options: Options, started: float) -> pywrapcp.Assignment | None:
    """VROOM's plan improved by ruin and recreate, breaks checked exactly, a descent on its
    routes (routing.polish), then OR-Tools.

    Reproducible runs (a solution limit) take VROOM's first plan as it is, without a timeout.
    Days with breaks, whose routes VROOM mostly refuses as a start (see FULL_EXPLORATION),
    are judged with their routes fitted to the breaks exactly (see _with_breaks).
    """
    limit = options.time_limit_s
    vroom = VroomModel(model.data)
    if not vroom.jobs:
        return None
    breaks = has_breaks(model.data)
    if options.solution_limit is not None:
        routes = vroom.solve(None, None, 2, FULL_EXPLORATION).routes
        if breaks:
            fit_breaks(model.data, routes)
    elif breaks:  # VROOM cannot start from routes with breaks: parts re-planned from scratch
        routes = _with_breaks(vroom, options, started)
    else:
        first = max(FIRST_SHARE * limit - (clock.perf_counter() - started), POLISH * limit)
        found = vroom.solve(None, first, 2, VROOM_EXPLORATION)
        patience = None if options.patience is None else options.patience * limit
        share = VROOM_SHARE if options.balance == Balance.NONE else OWN_TERMS_SHARE
        deadline = started + share * limit
        routes = best_of(
            lambda seed: improve(vroom, found, deadline, patience, seed),
            deadline,
            options.processes,
            _grace(limit),
        ).routes
    if polish_applies(model.data):
        until = started + DESCENT_SHARE * limit if options.solution_limit is None else math.inf
        routes = polish(model.data, routes, until)
    floor = RESTORE_S_PER_VISIT * len(model.data.visits) / limit
    solution = search_from(model, routes, _rest(options, started, max(POLISH, floor)))
    if solution is None:  # restoring its routes outlasted the time left: at least VROOM's plan
        solution = search_from(model, routes, search_parameters(LAST_RESORT_S, solution_limit=1))
    return solution


def _with_breaks(vroom: VroomModel, options: Options, started: float) -> list[list[int]]:
    """VROOM's plan with breaks improved by ruin and recreate (routing.ruin.improve: a route
    VROOM refuses as a start is planned again from its visits), each plan judged with its
    routes made to fit the breaks exactly; then shortened (routing.polish) and the visits
    still out inserted where they fit. Field days with breaks at 10 s against VROOM in the
    same run: seed 1 +41 served, driving per visit -4.45 % (re-planning parts from scratch
    before: +30, -1.15 %, more driving on 1 of 5 days); seed 2 +50, -7.00 % (before: +47,
    -3.95 %); no day with fewer visits or more driving. Held out, seed 6: +17 served, no day
    fewer, but more driving per visit on 2 of 5 days."""
    data, limit = vroom.data, options.time_limit_s
    found = _first_plan(vroom, started + BREAKS_FIRST_SHARE * limit, POLISH * limit)
    patience = None if options.patience is None else options.patience * limit
    deadline = started + PARTS_SHARE * limit
    start = found
    found = best_of(
        lambda seed: improve(vroom, start, deadline, patience, seed, fitted(data, vroom)),
        deadline,
        options.processes,
        _grace(limit),
    )
    routes = found.routes
    fit_breaks(data, routes)
    if polish_applies(data):  # shorter routes first: room for the visits still out
        routes = polish(data, routes, started + (PARTS_SHARE + VROOM_SHARE) / 2 * limit)
    served = {node for nodes in routes for node in nodes}
    out = [n for n in vroom.jobs if n not in served]
    reinsert(data, routes, out, started + VROOM_SHARE * limit)
    return routes


def _grace(limit: float) -> float:
    """How long past its deadline the second process's plan is waited for (routing.twocores)."""
    return min(GRACE_S, GRACE_SHARE * limit)


def _first_plan(vroom: VroomModel, until: float, least_s: float) -> Found:
    """VROOM's plan at BREAKS_EXPLORATION by `until` (perf_counter; at least `least_s`), and
    when that finished early enough, also at FULL_EXPLORATION in the time left: the better."""
    begun = clock.perf_counter()
    found = vroom.solve(None, max(until - begun, least_s), 2, BREAKS_EXPLORATION)
    took, left = clock.perf_counter() - begun, until - clock.perf_counter()
    if ESCALATION is not None and left > ESCALATION * took:
        deeper = vroom.solve(None, left, 2, FULL_EXPLORATION)
        if deeper.key < found.key:
            return deeper
    return found


def _solve_warm(model: Model, options: Options, started: float) -> pywrapcp.Assignment | None:
    """Relaxed search without breaks, repaired, then the full model from there."""
    relaxed = search_parameters(
        RELAXED_SHARE * options.time_limit_s, solution_limit=options.solution_limit
    )
    return warm_start(model, relaxed, lambda: _rest(options, started))


def read_route(model: Model, solution: pywrapcp.Assignment, v: int) -> Route | None:
    """One vehicle's route as stops with times, or None when the master-day is idle."""
    routing, data = model.routing, model.data
    visited: list[tuple[int, int]] = []
    index = solution.Value(routing.NextVar(routing.Start(v)))
    while not routing.IsEnd(index):
        node = model.manager.IndexToNode(index)
        visited.append((node, solution.Value(model.time.CumulVar(index))))
        index = solution.Value(routing.NextVar(index))
    if not visited:
        return None
    vehicle = data.vehicles[v]
    breaks = tuple(
        BreakTaken(solution.StartValue(b), solution.StartValue(b) + solution.DurationValue(b))
        for b in model.breaks.get(v, [])
        if solution.PerformedValue(b)
    )
    previous = data.start_node(vehicle.master_index)
    first_node, first_start = visited[0]
    start_cumul = solution.Value(model.time.CumulVar(routing.Start(v)))
    previous_end = _departure(start_cumul, first_start, data.travel[previous][first_node], breaks)
    depart = previous_end
    stops: list[Stop] = []
    for node, start in visited:
        visit = data.visits[node]
        minutes = data.travel[previous][node]
        late = 0 if visit.deadline is None else max(0, start + visit.duration - visit.deadline)
        arrival = min(start, _arrive(previous_end, minutes, breaks))
        meters = data.meters[previous][node]
        stops.append(Stop(visit.id, arrival, start, start + visit.duration, minutes, meters, late))
        previous, previous_end = node, start + visit.duration
    end_node = data.end_node(vehicle.master_index)
    return_minutes, return_meters = data.travel[previous][end_node], data.meters[previous][end_node]
    return Route(
        master_id=vehicle.master.id,
        shift_index=vehicle.shift_index,
        start=depart,
        end=_arrive(previous_end, return_minutes, breaks),
        stops=tuple(stops),
        breaks=breaks,
        return_minutes=return_minutes,
        return_meters=return_meters,
        travel_minutes=sum(s.travel_minutes for s in stops) + return_minutes,
        travel_meters=sum(s.travel_meters for s in stops) + return_meters,
    )


def _arrive(leave: int, minutes: int, breaks: tuple[BreakTaken, ...]) -> int:
    """Arrival when leaving at `leave`, adding breaks that start during the drive."""
    arrival = leave + minutes
    for brk in breaks:
        if leave <= brk.start < arrival:
            arrival += brk.end - brk.start
    return arrival


def _departure(start: int, first_start: int, minutes: int, breaks: tuple[BreakTaken, ...]) -> int:
    """Leave as late as still reaches the first stop on time, unless a break comes first."""
    if any(brk.start < first_start for brk in breaks):
        return start
    return max(start, first_start - minutes)


def breakdown(data: Prepared, routes: tuple[Route, ...], total_scaled: int) -> Objective:
    """Split the solver objective into travel, lateness, unassigned penalty and the rest."""
    masters = {m.id: m for m in data.problem.masters}
    visits = {v.id: v for v in data.visits}
    metric = data.options.metric
    travel = lateness = 0.0
    served: set[str] = set()
    for route in routes:
        master = masters[route.master_id]
        for stop in route.stops:
            travel += arc_cost(master, stop.travel_minutes, stop.travel_meters, metric)
            lateness += stop.late_minutes * late_cost(visits[stop.visit_id])
            served.add(stop.visit_id)
        travel += arc_cost(master, route.return_minutes, route.return_meters, metric)
        travel += master.cost_per_hour * (route.end - route.start) / 60
    dropped = float(sum(drop_penalty(v) for v in data.visits if v.id not in served))
    total = total_scaled / scale(metric)
    other = round(total - travel - lateness - dropped, 2)
    return Objective(round(total, 2), round(travel, 2), float(lateness), dropped, other)
