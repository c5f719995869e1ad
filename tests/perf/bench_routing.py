"""Routing benchmark: our OR-Tools solver vs VROOM on Solomon instances, and a field-sized day.

Run with `python -m tests.perf routing` (or `make bench`). Flags: `--time-limit=S` (default 10),
`--quick` (2 s, Solomon only). Instances come from `<repo>/../shared/data/vrptw` or
$SERVIO_VRPTW_DIR. Figures are reported, not asserted.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

from routing import (
    Break,
    GeodesicMatrix,
    Location,
    Master,
    Options,
    Priority,
    Problem,
    Shift,
    TimeWindow,
    Visit,
    explain_no_option,
    insert_visit,
    points,
    solve,
)
from routing.solomon import load, route_errors, solve_instance, total_distance

INSTANCES = ["C101", "R101", "RC101", "C201", "R201", "RC201", "c1_2_1", "r1_2_1"]
SKILLS = ["washer", "fridge", "boiler", "tv", "oven", "aircon"]


def data_dir() -> Path:
    """Where the VRPTW instances live."""
    if found := os.environ.get("SERVIO_VRPTW_DIR"):
        return Path(found)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "vrptw"


def references(folder: Path) -> dict[str, tuple[float, str]]:
    """Best-known distance per instance: distance-only where known, else the classic BKS (*)."""
    found: dict[str, tuple[float, str]] = {}
    for name, mark in (("BKS_distance.tsv", ""), ("BKS.tsv", "*")):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cells = line.split("\t")
            found.setdefault(cells[0], (float(cells[2]), mark))
    return found


def _run(label: str, solver, instance, limit: float) -> tuple[int, float, float, bool]:
    started = time.perf_counter()
    routes = solver(instance, limit)
    wall = time.perf_counter() - started
    ok = not route_errors(instance, routes)
    return len(routes), total_distance(instance, routes), wall, ok


def solomon_table(limit: float) -> None:
    """Print ours vs VROOM per instance with gaps to the best-known distance."""
    from routing.vroom_bench import solve_solomon_with_vroom

    folder = data_dir()
    refs = references(folder)
    print(f"Solomon / Gehring-Homberger, time limit {limit:g} s per instance, data {folder}")
    print(
        f"{'instance':<9}{'BKS':>10} | {'ours veh':>8}{'distance':>10}{'gap %':>8}{'wall s':>8} "
        f"| {'vroom veh':>9}{'distance':>10}{'gap %':>8}{'wall s':>8}"
    )
    gaps: dict[str, list[float]] = {"ours": [], "vroom": []}
    walls: dict[str, list[float]] = {"ours": [], "vroom": []}
    for name in INSTANCES:
        path = folder / f"{name}.txt"
        if not path.exists():
            continue
        instance = load(path)
        bks, mark = refs.get(name, (float("nan"), "?"))
        cells = []
        for label, solver in (("ours", solve_instance), ("vroom", solve_solomon_with_vroom)):
            vehicles, dist, wall, ok = _run(label, solver, instance, limit)
            gap = 100 * (dist / bks - 1)
            gaps[label].append(gap)
            walls[label].append(wall)
            flag = "" if ok else " INFEASIBLE"
            cells.append(f"{vehicles:>8}{dist:>10.2f}{gap:>8.2f}{wall:>8.2f}{flag}")
        print(f"{name:<9}{bks:>9.2f}{mark or ' '} | {cells[0]} | {' ' + cells[1]}", flush=True)
    for label in ("ours", "vroom"):
        if gaps[label]:
            six = gaps[label][:6]
            print(
                f"{label:<6} mean gap {statistics.mean(gaps[label]):.2f}% "
                f"(all {len(gaps[label])}), "
                f"{statistics.mean(six):.2f}% (6 Solomon, distance-only BKS); "
                f"mean wall {statistics.mean(walls[label]):.2f} s"
            )
    print("* reference is the classic BKS (fewest vehicles first); no distance-only BKS published")


def field_problem(seed: int = 7, masters: int = 30, visits: int = 300) -> Problem:
    """A believable Moscow day: masters with skills and lunch, visits with windows and SLA."""
    rng = random.Random(seed)

    def spot() -> Location:
        return Location(round(rng.uniform(55.58, 55.92), 5), round(rng.uniform(37.37, 37.85), 5))

    team = tuple(
        Master(
            id=f"m{i:02}",
            start_location=spot(),
            shifts=(Shift(480, 1140, (Break(TimeWindow(720, 900), 45),)),),
            skills=frozenset(rng.sample(SKILLS, rng.randint(2, 4))),
            max_visits_per_day=12,
        )
        for i in range(masters)
    )
    slots = [(480, 720), (720, 900), (900, 1140), (600, 840), (480, 1140)]
    jobs = []
    for j in range(visits):
        window = rng.choice(slots)
        jobs.append(
            Visit(
                id=f"v{j:03}",
                location=spot(),
                duration=rng.choice([20, 30, 30, 45, 60]),
                windows=(TimeWindow(window[0], window[1] - 20),),
                skills=frozenset({rng.choice(SKILLS)}),
                priority=rng.choices(list(Priority), weights=[2, 6, 2, 1])[0],
                deadline=rng.choice([None, None, 1020, 960]),
            )
        )
    return Problem(masters=team, visits=tuple(jobs), skills=frozenset(SKILLS))


def field_table(limits: list[float]) -> None:
    """Plan a 30-master, 300-visit day; time an urgent insertion; compare with VROOM."""
    from routing.vroom_bench import solve_field_with_vroom

    problem = field_problem()
    provider = GeodesicMatrix(road_factor=1.4, speed_kmh=25)
    started = time.perf_counter()
    pts = points(problem)
    table = provider.table(pts, pts)
    matrix_s = time.perf_counter() - started
    print(
        f"\nField day: {len(problem.masters)} masters, {len(problem.visits)} visits, skills, "
        f"windows, lunch, SLA; geodesic matrix {len(pts)}x{len(pts)} in {matrix_s:.1f} s"
    )
    head = ("solver", "limit s", "wall s", "served", "routes", "drive min", "km")
    print(f"{head[0]:<18}" + "".join(f"{h:>10}" for h in head[1:]))
    plan = None
    for limit in limits:
        plan = solve(problem, Options(time_limit_s=limit), table=table)
        served = sum(len(r.stops) for r in plan.routes)
        drive = sum(r.travel_minutes for r in plan.routes)
        km = sum(r.travel_meters for r in plan.routes) / 1000
        row = (f"{limit:g}", f"{plan.wall_s:.1f}", served, len(plan.routes), drive, f"{km:.0f}")
        print(f"{'ours (OR-Tools)':<18}" + "".join(f"{c:>10}" for c in row))
    for limit in limits[-1:]:
        started = time.perf_counter()
        served, drive = solve_field_with_vroom(problem, table.durations, limit)
        wall = time.perf_counter() - started
        row = (f"{limit:g}", f"{wall:.1f}", served, "", drive, "")
        print(f"{'vroom (2 threads)':<18}" + "".join(f"{c:>10}" for c in row))
    assert plan is not None
    reasons: dict[str, int] = {}
    for left in plan.unassigned:
        reasons[left.reason] = reasons.get(left.reason, 0) + 1
    print(f"unassigned by reason: {reasons or 'none'}")
    _insertion(problem, plan, provider)


def _insertion(problem: Problem, plan, provider: GeodesicMatrix) -> None:
    rng = random.Random(11)
    walls = []
    found = 0
    blocked: list[str] = []
    for k in range(10):
        urgent = Visit(
            id=f"urgent{k}",
            location=Location(rng.uniform(55.6, 55.9), rng.uniform(37.4, 37.8)),
            duration=45,
            windows=(TimeWindow(720, 1000),),
            skills=frozenset({rng.choice(SKILLS)}),
            priority=Priority.URGENT,
        )
        started = time.perf_counter()
        options = insert_visit(problem, plan, urgent, provider=provider, now=700, top=3)
        walls.append(time.perf_counter() - started)
        found += bool(options)
        if not options:
            reason, detail = explain_no_option(problem, plan, urgent, now=700)
            blocked.append(f"{urgent.id}: {reason} ({detail})")
    print(
        f"single urgent insertion (10 tries, matrix rows included): median "
        f"{statistics.median(walls) * 1000:.0f} ms, max {max(walls) * 1000:.0f} ms; "
        f"{found}/10 got ranked options"
    )
    for line in blocked:
        print(f"  no option for {line}")


def main(argv: list[str]) -> None:
    """Print the Solomon side-by-side table and the field-sized case."""
    quick = "--quick" in argv
    limit = 2.0 if quick else 10.0
    for arg in argv:
        if arg.startswith("--time-limit="):
            limit = float(arg.split("=", 1)[1])
    solomon_table(limit)
    if not quick:
        field_table([5.0, 10.0, 30.0])
