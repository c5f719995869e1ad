"""Routing benchmark: routing.solve vs VROOM on every Solomon / Gehring-Homberger instance.

Run with `python -m tests.perf routing` (or `make bench`). Flags: `--time-limit=S` (default 10),
`--quick` (2 s, no insertion), `--unseen` (the same instances perturbed: settings must hold on
instances they were not chosen on). Instances come from `<repo>/../shared/data/vrptw` or
$SERVIO_VRPTW_DIR. Then the insertion of one urgent visit into a 30 x 300 plan is timed.
Field days of several shapes are in bench_fielddays. Figures are reported, not asserted.
"""

from __future__ import annotations

import math
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
from routing.solomon import (
    Customer,
    Instance,
    load,
    route_errors,
    solve_instance,
    total_distance,
)

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


def _run(solver, instance, limit: float) -> tuple[int, float, float, bool]:
    started = time.perf_counter()
    routes = solver(instance, limit)
    wall = time.perf_counter() - started
    ok = not route_errors(instance, routes)
    return len(routes), total_distance(instance, routes), wall, ok


def instance_files(folder: Path) -> list[Path]:
    """Every instance in the folder: Solomon (upper case) first, then Gehring-Homberger."""
    return sorted(folder.glob("*.txt"), key=lambda p: (p.stem.islower(), p.stem))


def perturbed(instance: Instance, seed: int) -> Instance:
    """An unseen Solomon-like instance: coordinates jittered, windows shifted, still reachable."""
    rng = random.Random(seed)
    depot, horizon = instance.depot, instance.depot.due
    customers = []
    for c in instance.customers:
        x = min(100.0, max(0.0, c.x + rng.randint(-3, 3)))
        y = min(100.0, max(0.0, c.y + rng.randint(-3, 3)))
        reach = math.ceil(math.hypot(x - depot.x, y - depot.y))
        shift = rng.randint(-horizon // 20, horizon // 20)
        ready = max(0, c.ready + shift)
        due = min(ready + c.due - c.ready, horizon - c.service - reach)
        due = max(due, reach)
        customers.append(Customer(c.number, x, y, c.demand, min(ready, due), due, c.service))
    name = f"{instance.name}~{seed}"
    return Instance(name, instance.vehicles, instance.capacity, depot, tuple(customers))


def solomon_table(limit: float, unseen: bool = False) -> None:
    """Print ours vs VROOM per instance with gaps to the best-known distance."""
    from routing.vroom_bench import solve_solomon_with_vroom

    folder = data_dir()
    refs = references(folder)
    instances = [load(path) for path in instance_files(folder)]
    if unseen:
        instances = [perturbed(inst, seed) for seed, inst in enumerate(instances, start=1)]
    print(f"Solomon / Gehring-Homberger, time limit {limit:g} s per instance, data {folder}")
    if unseen:
        print("unseen: each instance perturbed (coordinates +-3, windows shifted); gap to VROOM")
    print(
        f"{'instance':<10}{'BKS':>10} | {'ours veh':>8}{'distance':>10}{'gap %':>8}{'wall s':>8} "
        f"| {'vroom veh':>9}{'distance':>10}{'gap %':>8}{'wall s':>8}"
    )
    rows: list[tuple[str, dict[str, tuple[float, float]]]] = []
    for instance in instances:
        bks, mark = refs.get(instance.name, (float("nan"), "?"))
        runs = {
            label: _run(solver, instance, limit)
            for label, solver in (("ours", solve_instance), ("vroom", solve_solomon_with_vroom))
        }
        if unseen:
            bks, mark = runs["vroom"][1], "v"
        cells, row = [], {}
        for label, (vehicles, dist, wall, ok) in runs.items():
            row[label] = (dist, wall)
            gap = 100 * (dist / bks - 1)
            flag = "" if ok else " INFEASIBLE"
            cells.append(f"{vehicles:>8}{dist:>10.2f}{gap:>8.2f}{wall:>8.2f}{flag}")
        rows.append((instance.name, {k: (100 * (d / bks - 1), w) for k, (d, w) in row.items()}))
        print(
            f"{instance.name:<10}{bks:>9.2f}{mark or ' '} | {cells[0]} | {' ' + cells[1]}",
            flush=True,
        )
    _summary(rows)
    print("* reference is the classic BKS (fewest vehicles first); no distance-only BKS published")


def _summary(rows: list[tuple[str, dict[str, tuple[float, float]]]]) -> None:
    """Mean gap and wall per family and solver, and where ours is worse than VROOM."""
    families = {
        "Solomon": [r for n, r in rows if not n.islower()],
        "Gehring-Homberger": [r for n, r in rows if n.islower()],
    }
    for family, found in families.items():
        if not found:
            continue
        worse = sum(1 for r in found if r["ours"][0] > r["vroom"][0] + 1e-6)
        parts = [
            f"{label} gap {statistics.mean(r[label][0] for r in found):+.2f}% "
            f"wall {statistics.mean(r[label][1] for r in found):.2f} s"
            for label in ("ours", "vroom")
        ]
        print(f"{family} ({len(found)}): {'; '.join(parts)}; ours worse on {worse}")


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


def insertion_table(limit: float) -> None:
    """Plan the 30-master, 300-visit day, then time the insertion of one urgent visit."""
    problem = field_problem()
    provider = GeodesicMatrix(road_factor=1.4, speed_kmh=25)
    pts = points(problem)
    plan = solve(problem, Options(time_limit_s=limit), table=provider.table(pts, pts))
    served = sum(len(r.stops) for r in plan.routes)
    print(
        f"\nInsertion into a {len(problem.masters)} x {len(problem.visits)} plan ({served} served):"
    )
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
    """Print the Solomon / Gehring-Homberger side-by-side table and the insertion latency."""
    import vroom  # noqa: F401  (pyvroom's import, about 2 s with pandas, is not timed)

    quick = "--quick" in argv
    limit = 2.0 if quick else 10.0
    for arg in argv:
        if arg.startswith("--time-limit="):
            limit = float(arg.split("=", 1)[1])
    solomon_table(limit, unseen="--unseen" in argv)
    if not quick:
        insertion_table(limit)
