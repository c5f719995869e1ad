"""Less driving for the same visits: a descent on the routes of a plan whose served set is fixed.

VROOM's plans (and the parts re-planned on days with breaks, then fitted to them) leave cheap
moves undone: VROOM cannot start from routes with breaks (VROOM-Project/vroom#1251), and
OR-Tools' search with breaks is about ten times slower. This local search moves a visit or a
stretch of two or three next to a near visit (relocate, or-opt), swaps two visits (exchange, or
stretches: EXCHANGES), reverses a stretch (2-opt), swaps route tails (2-opt*), or
gives a visit to an idle master-day, and keeps a move when the model's cost of the routes it
changes falls: arc costs as OR-Tools counts them (the table's seconds, cost per km), SLA
lateness, cost per hour, and the terms VROOM does not know: the move cost of a visit planned
for another master before (routing.build._move_costs), work above the average day when
spreading and a cost per master-day used for the fewest (routing.build.add_balance). No visit
is added or dropped. Feasibility (windows, breaks, shift
end, max visits, load, eligibility) is checked by an integer replay of routing.schedule's
earliest-time rules, breaks in every gap.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator

import numpy as np

from routing.build import _base_costs, _move_costs, spread_target
from routing.costs import FEWEST_COST_PER_DAY, SPREAD_COST_PER_MINUTE, late_cost, scale
from routing.model import Balance
from routing.prepare import Prepared
from routing.vroomstart import start_windows

NEIGHBOURS = 8  # nearest visits tried as a move's partner. 12 took 1.2 % more off VROOM's
# fitted plans of field-day seeds 8-9 (12 days) in 1.6 times the time, none on seeds 10-11
SEGMENTS = (1, 2, 3)  # lengths of the stretches moved next to a neighbour (or-opt)
EXCHANGES = (1,)  # lengths of the stretches swapped between two routes; (1, 2) (cross-exchange)
# took nothing more off on seeds 8-9


def applies(data: Prepared) -> bool:
    """Whether the polish keeps the model's objective: not under a move limit (a constraint
    over the whole plan)."""
    return data.options.max_moved is None


class Routes:
    """Costs and feasibility of visit sequences per vehicle, in the model's cost units."""

    def __init__(self, data: Prepared) -> None:
        self.data = data
        units = scale(data.options.metric)
        rates = {v.master.cost_per_km for v in data.vehicles}
        arcs = {rate: _base_costs(data, rate).tolist() for rate in rates}
        self.arc = [arcs[v.master.cost_per_km] for v in data.vehicles]
        self.windows = [
            [(w.start, w.end) for w in start_windows(data, node)]
            for node in range(len(data.visits))
        ]
        self.duration = [v.duration for v in data.visits]
        self.load = [v.load for v in data.visits]
        self.deadline = [v.deadline for v in data.visits]
        self.late = [units * late_cost(v) for v in data.visits]
        self.hourly = [round(units * v.master.cost_per_hour / 60) for v in data.vehicles]
        self.allowed = [set(a) for a in data.allowed]
        balance = data.options.balance
        self.fixed = units * FEWEST_COST_PER_DAY if balance == Balance.FEWEST else 0
        self.spread = units * SPREAD_COST_PER_MINUTE if balance == Balance.SPREAD else 0
        self.target = spread_target(data)
        self.moves = {  # per master: the move cost of arriving at each node
            m.id: _move_costs(data, m.id).tolist()
            for m in (data.problem.masters if data.options.move_penalty > 0 else ())
        }

    def cost(self, v: int, nodes: list[int]) -> int | None:
        """The route's cost (arcs, lateness, hours), or None when it is not feasible."""
        if not nodes:
            return 0
        extra = self.extra(v, nodes)
        return None if extra is None else self.arcs(v, nodes) + extra + self.own_terms(v, nodes)

    def own_terms(self, v: int, nodes: list[int]) -> int:
        """What a used master-day costs beyond driving, lateness and hours: visits moved from
        another master, its fixed cost (fewest), its work (service and driving minutes, the
        "work" dimension) above the target (spread)."""
        vehicle = self.data.vehicles[v]
        cost = self.fixed
        if self.moves:
            moves = self.moves[vehicle.master.id]
            cost += sum(moves[n] for n in nodes)
        if self.spread:
            travel, mi = self.data.travel, vehicle.master_index
            previous, work = self.data.start_node(mi), 0
            for node in nodes:
                work += travel[previous][node] + self.duration[node]
                previous = node
            work += travel[previous][self.data.end_node(mi)]
            cost += self.spread * max(0, work - self.target)
        return cost

    def arcs(self, v: int, nodes: list[int]) -> int:
        """Arc costs from the master's start through the nodes back to its end."""
        mi = self.data.vehicles[v].master_index
        arc = self.arc[v]
        previous, total = self.data.start_node(mi), 0
        for node in nodes:
            total += arc[previous][node]
            previous = node
        return total + arc[previous][self.data.end_node(mi)]

    def fits(self, v: int, nodes: list[int]) -> bool:
        """Max visits, load and eligibility of the master-day (not times)."""
        master = self.data.vehicles[v].master
        if master.max_visits_per_day is not None and len(nodes) > master.max_visits_per_day:
            return False
        if master.capacity is not None and sum(self.load[n] for n in nodes) > master.capacity:
            return False
        return all(v in self.allowed[n] for n in nodes)

    def extra(self, v: int, nodes: list[int]) -> int | None:
        """Least lateness and hours cost over break placements, None when none is feasible."""
        costly = self.hourly[v] > 0 or any(self.deadline[n] is not None for n in nodes)
        breaks = len(self.data.vehicles[v].shift.breaks)
        best: int | None = None
        for placement in itertools.combinations_with_replacement(range(len(nodes) + 1), breaks):
            found = self._replay(v, nodes, placement)
            if found is None:
                continue
            if not costly:
                return 0
            if best is None or found < best:
                best = found
        return best

    def _replay(self, v: int, nodes: list[int], placement: tuple[int, ...]) -> int | None:
        """routing.schedule's earliest times with break k in gap placement[k]: the lateness
        and hours cost, or None when a window, a break or the shift end is missed."""
        data = self.data
        vehicle = data.vehicles[v]
        shift, travel = vehicle.shift, data.travel
        breaks = shift.breaks
        previous, t = data.start_node(vehicle.master_index), shift.start
        k, late, first, early_break = 0, 0, shift.start, False
        for gap, node in enumerate(nodes):
            minutes = travel[previous][node]
            ready = t + minutes
            while k < len(placement) and placement[k] == gap:
                brk = breaks[k]
                if max(t, brk.window.start) + brk.duration > brk.window.end:
                    return None
                start = min(max(ready, brk.window.start), brk.window.end - brk.duration)
                ready = t = max(start + brk.duration, ready + brk.duration)
                minutes, k, early_break = 0, k + 1, early_break or gap == 0
            begin = None
            for low, high in self.windows[node]:
                if ready <= high:
                    begin = max(ready, low)
                    break
            if begin is None:
                return None
            if gap == 0:
                first = begin - minutes if not early_break else shift.start
            deadline = self.deadline[node]
            if deadline is not None:
                late += max(0, begin + self.duration[node] - deadline) * self.late[node]
            t, previous = begin + self.duration[node], node
        minutes = travel[previous][data.end_node(vehicle.master_index)]
        end = t + minutes
        while k < len(placement):
            brk = breaks[k]
            if max(t, brk.window.start) + brk.duration > brk.window.end:
                return None
            start = min(max(t + minutes, brk.window.start), brk.window.end - brk.duration)
            if start < t + minutes:  # taken on the way: the arrival moves by its duration
                end = t = max(start + brk.duration, t + minutes + brk.duration)
                minutes = 0
            k += 1
        if end > shift.end:
            return None
        return late + self.hourly[v] * (end - max(shift.start, first))


def polish(
    data: Prepared, routes: list[list[int]], deadline: float, seed: int = 0
) -> list[list[int]]:
    """The routes (visit nodes per vehicle) after the descent, the same visits served; stops
    at a local optimum or at `deadline` (perf_counter). Routes it cannot price are kept."""
    book = Routes(data)
    routes = [list(r) for r in routes]
    costs = [book.cost(v, r) for v, r in enumerate(routes)]
    frozen = {  # kept as given, whatever they are
        v for v, c in enumerate(costs) if c is None or not book.fits(v, routes[v])
    }
    near = _nearest(book, routes)
    owner = {n: v for v, r in enumerate(routes) for n in r}
    order = sorted(owner)
    random.Random(seed).shuffle(order)
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for u in order:
            if time.perf_counter() >= deadline:
                break
            a = owner[u]
            if a in frozen:
                continue
            moved = None
            for w in near.get(u, ()):
                b = owner[w]
                if b not in frozen and _first_better(book, routes, costs, a, b, u, w):
                    moved = b
                    break
            if moved is None:
                moved = _to_idle(book, routes, costs, a, u, frozen)
            if moved is not None:
                for v in (a, moved):
                    owner.update({n: v for n in routes[v]})
                improved = True
    return routes


def _nearest(book: Routes, routes: list[list[int]]) -> dict[int, list[int]]:
    """For each served visit, the NEIGHBOURS served visits closest to it (arc costs both ways)."""
    served = sorted(n for r in routes for n in r)
    if len(served) < 2:
        return {}
    arc = np.array(book.arc[0], dtype=np.int64)[np.ix_(served, served)]
    both = arc + arc.T
    np.fill_diagonal(both, np.iinfo(np.int64).max)
    ranked = np.argsort(both, axis=1, kind="stable")[:, :NEIGHBOURS]
    return {u: [served[k] for k in row] for u, row in zip(served, ranked.tolist(), strict=True)}


def _first_better(
    book: Routes, routes: list[list[int]], costs: list[int | None], a: int, b: int, u: int, w: int
) -> bool:
    """Apply the first move of u (on vehicle a) with its neighbour w (on b) that lowers the
    cost; whether one did."""
    for new_a, new_b in _moves(routes[a], routes[b], u, w, a == b):
        before = (costs[a] or 0) + (0 if a == b else costs[b] or 0)
        if a == b:
            if book.arcs(a, new_a) >= before or not book.fits(a, new_a):
                continue
            cost = book.cost(a, new_a)
            if cost is not None and cost < before:
                routes[a], costs[a] = new_a, cost
                return True
            continue
        if book.arcs(a, new_a) + book.arcs(b, new_b) >= before:
            continue
        if not (book.fits(a, new_a) and book.fits(b, new_b)):
            continue
        cost_a = book.cost(a, new_a)
        cost_b = None if cost_a is None else book.cost(b, new_b)
        if cost_a is not None and cost_b is not None and cost_a + cost_b < before:
            routes[a], costs[a], routes[b], costs[b] = new_a, cost_a, new_b, cost_b
            return True
    return False


def _to_idle(
    book: Routes,
    routes: list[list[int]],
    costs: list[int | None],
    a: int,
    u: int,
    frozen: set[int],
) -> int | None:
    """Move u alone to an idle master-day that may take it when that is cheaper; which one."""
    rest = [n for n in routes[a] if n != u]
    for b in sorted(book.allowed[u]):
        if routes[b] or b in frozen or b == a:
            continue
        before = costs[a] or 0
        if book.arcs(a, rest) + book.arcs(b, [u]) >= before or not book.fits(b, [u]):
            continue
        cost_a, cost_b = book.cost(a, rest), book.cost(b, [u])
        if cost_a is not None and cost_b is not None and cost_a + cost_b < before:
            routes[a], costs[a], routes[b], costs[b] = rest, cost_a, [u], cost_b
            return b
    return None


def _moves(
    ra: list[int], rb: list[int], u: int, w: int, same: bool
) -> Iterator[tuple[list[int], list[int]]]:
    """Candidate (route of u, route of w) pairs: u, or u with the next one or two visits of its
    route, put next to w; u and w swapped; the stretch between them reversed; tails swapped."""
    i, j = ra.index(u), rb.index(w)
    for size in SEGMENTS:
        segment = ra[i : i + size]
        if len(segment) < size or w in segment:
            break
        rest = ra[:i] + ra[i + size :]
        target = rest if same else rb
        k = target.index(w)
        for at in (k, k + 1):  # just before or just after w
            moved = target[:at] + segment + target[at:]
            if same and moved != ra:
                yield moved, moved
            elif not same:
                yield rest, moved
    if same:
        swapped = list(ra)
        swapped[i], swapped[j] = w, u
        yield swapped, swapped
        low, high = min(i, j), max(i, j)
        if high - low > 1:  # 2-opt: the stretch between them reversed
            flipped = ra[: low + 1] + ra[low + 1 : high + 1][::-1] + ra[high + 1 :]
            yield flipped, flipped
        return
    for size in EXCHANGES:  # u and w, or the stretches they begin, swapped (cross-exchange)
        if i + size <= len(ra) and j + size <= len(rb):
            yield (
                ra[:i] + rb[j : j + size] + ra[i + size :],
                rb[:j] + ra[i : i + size] + rb[j + size :],
            )
    yield ra[: i + 1] + rb[j + 1 :], rb[: j + 1] + ra[i + 1 :]  # 2-opt*: tails after u and w
    yield ra[:i] + rb[j:], rb[:j] + ra[i:]  # tails from u and from w
