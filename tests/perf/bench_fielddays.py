"""Field days of different shapes: routing.solve at 2, 5, 10 and 30 s against VROOM at 10 s.

Run with `python -m tests.perf fielddays` (or `make bench`). Flags: `--limits=2,5,10,30`,
`--vroom-limit=10`, `--days=city30,big50` (a subset), `--seed=2` (other days of the same
shapes: settings chosen on seed 1 must hold there). VROOM runs twice per day: with the
priorities routing.solve gives it (like for like) and with the 0/10/40/100 of earlier runs
(VROOM_RUNS). Both solvers plan on the same table as routing.solve reads it (each drive in
whole minutes, to the nearest), so both meet the same windows and shift ends, and both
minimise the table's seconds; driving is recomputed from the table's seconds along each plan's
routes. VROOM runs with 2 threads and exploration 5; ours: VROOM's plan, ruin and recreate (on
days with breaks: parts re-planned from scratch), a descent on the routes (routing.polish),
then OR-Tools. "weight" is the served visits' priorities as routing.solve weighs them (2, 5,
20 and 100 for low to urgent, as VROOM gets them in the "vroom" run): both solvers put it
before the count of visits, so a plan may serve fewer visits of more weight. The wall time of
ours is measured around the call to routing.solve, matrix reading and model building
included. Figures are reported, not asserted; the machine has 2
cores and other work may run beside it.
"""

from __future__ import annotations

import itertools
import random
import statistics
import time
from dataclasses import dataclass

from routing import (
    Break,
    GeodesicMatrix,
    Location,
    Master,
    Options,
    Plan,
    Priority,
    Problem,
    Shift,
    TimeWindow,
    TravelTable,
    Visit,
    points,
    solve,
)
from routing.vroom_bench import BENCH_PRIORITIES, model_priorities

SKILLS = ["washer", "fridge", "boiler", "tv", "oven", "aircon", "dishwasher", "coffee"]


@dataclass(frozen=True)
class Shape:
    """How a generated day looks."""

    name: str
    masters: int
    visits: int
    skills: int  # size of the skill catalogue
    per_master: tuple[int, int]  # skills per master (min, max)
    windows: tuple[int, ...]  # window lengths in minutes (0: any time in the shift)
    breaks: tuple[tuple[int, int, int], ...]  # (window start, window end, duration)
    max_visits: int | None
    urgent_share: float
    spread_deg: float  # half-size of the area in degrees of latitude


SHAPES = (
    Shape("city30", 30, 300, 6, (2, 4), (120, 180, 240), ((720, 900, 45),), 12, 0.08, 0.17),
    Shape("big50", 50, 500, 3, (1, 3), (120, 240), ((720, 840, 30),), 14, 0.05, 0.2),
    Shape(
        "special25",
        25,
        250,
        8,
        (1, 2),
        (120, 120, 240),
        ((690, 840, 30), (900, 1020, 15)),
        None,
        0.1,
        0.15,
    ),
    Shape("open40", 40, 400, 6, (2, 5), (0, 240, 240), (), 10, 0.2, 0.18),
    Shape("tight20", 20, 300, 4, (2, 3), (180, 240), ((720, 900, 60),), 16, 0.1, 0.15),
    Shape("region35", 35, 350, 6, (2, 4), (120, 180), ((720, 900, 45),), 12, 0.05, 0.45),
)


def field_day(shape: Shape, seed: int = 1) -> Problem:
    """A generated Moscow-area day of the given shape."""
    rng = random.Random(f"{shape.name}-{seed}")
    skills = SKILLS[: shape.skills]

    def spot() -> Location:
        lat = 55.75 + rng.uniform(-shape.spread_deg, shape.spread_deg)
        lon = 37.61 + rng.uniform(-1.7 * shape.spread_deg, 1.7 * shape.spread_deg)
        return Location(round(lat, 5), round(lon, 5))

    team = []
    for i in range(shape.masters):
        start = rng.choice([480, 480, 540])
        breaks = tuple(Break(TimeWindow(a, b), d) for a, b, d in shape.breaks)
        team.append(
            Master(
                id=f"m{i:02}",
                start_location=spot(),
                shifts=(Shift(start, start + 600, breaks),),
                skills=frozenset(rng.sample(skills, rng.randint(*shape.per_master))),
                max_visits_per_day=shape.max_visits,
            )
        )
    jobs = []
    for j in range(shape.visits):
        length = rng.choice(shape.windows)
        windows: tuple[TimeWindow, ...] = ()
        if length:
            begin = rng.randrange(540, 1080 - length + 1, 30)
            windows = (TimeWindow(begin, begin + length),)
        urgent = rng.random() < shape.urgent_share
        priority = Priority.URGENT if urgent else rng.choice(list(Priority)[:3])
        jobs.append(
            Visit(
                id=f"v{j:03}",
                location=spot(),
                duration=rng.choice([20, 30, 30, 45, 60]),
                windows=windows,
                skills=frozenset({rng.choice(skills)}),
                priority=priority,
            )
        )
    return Problem(masters=tuple(team), visits=tuple(jobs), skills=frozenset(skills))


def driven_seconds(problem: Problem, plan: Plan, table: TravelTable) -> int:
    """Seconds of driving along the plan's routes, read from the table."""
    node = {v.id: i for i, v in enumerate(problem.visits)}
    master_index = {m.id: i for i, m in enumerate(problem.masters)}
    n = len(problem.visits)
    total = 0
    for route in plan.routes:
        mi = master_index[route.master_id]
        path = [n + 2 * mi, *(node[s.visit_id] for s in route.stops), n + 2 * mi + 1]
        total += sum(table.durations[a][b] for a, b in itertools.pairwise(path))
    return total


def _row(label: str, limit: float, wall: float, served: int, seconds: int, weight: int) -> str:
    per = seconds / 60 / max(1, served)
    return (
        f"  {label:<10}{limit:>7g}{wall:>8.2f}{served:>8}{seconds / 60:>10.0f}{per:>10.2f}"
        f"{weight:>8}"
    )


Result = tuple[int, float, int]  # served, driving minutes per served visit, weight served


def weight(problem: Problem, served: list[int]) -> int:
    """The served visits' priorities as routing.solve weighs them (model_priorities)."""
    weights = model_priorities()
    return sum(weights[int(problem.visits[n].priority)] for n in served)


VROOM_RUNS = {"vroom": None, "vroom-0/10": BENCH_PRIORITIES}  # label: priorities (None: the
# model's, as routing.solve gives them to VROOM, so both weigh visits alike; 0/10/40/100: the
# weights of earlier runs, where a low-priority visit counts only by number)


def run_day(
    shape: Shape, limits: list[float], vroom_limit: float, seed: int = 1
) -> dict[str, Result]:
    """Print one day's rows; return (served, driving minutes per visit, weight) per solver and
    limit."""
    from routing.vroom_bench import field_served

    problem = field_day(shape, seed)
    pts = points(problem)
    table = GeodesicMatrix(road_factor=1.4, speed_kmh=25).table(pts, pts)
    print(
        f"{shape.name}: {shape.masters} masters, {shape.visits} visits, {shape.skills} skills, "
        f"windows {shape.windows} min, breaks {len(shape.breaks)}, max {shape.max_visits}"
    )
    out: dict[str, Result] = {}
    for label, priorities in VROOM_RUNS.items():
        started = time.perf_counter()
        nodes, seconds = field_served(problem, table.durations, vroom_limit, priorities=priorities)
        wall = time.perf_counter() - started
        print(_row(label, vroom_limit, wall, len(nodes), seconds, weight(problem, nodes)))
        out[label] = (len(nodes), seconds / 60 / max(1, len(nodes)), weight(problem, nodes))
    node = {v.id: i for i, v in enumerate(problem.visits)}
    for limit in limits:
        started = time.perf_counter()
        plan = solve(problem, Options(time_limit_s=limit), table=table)
        wall = time.perf_counter() - started
        nodes = [node[s.visit_id] for r in plan.routes for s in r.stops]
        seconds = driven_seconds(problem, plan, table)
        print(_row("ours", limit, wall, len(nodes), seconds, weight(problem, nodes)), flush=True)
        out[f"ours {limit:g}"] = (
            len(nodes),
            seconds / 60 / max(1, len(nodes)),
            weight(problem, nodes),
        )
    return out


def _arg(argv: list[str], name: str, default: str) -> str:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return default


def main(argv: list[str]) -> None:
    """Print every day's table and a summary against VROOM."""
    import vroom  # noqa: F401  (pyvroom's import, about 2 s with pandas, is not timed)

    limits = [float(x) for x in _arg(argv, "limits", "2,5,10,30").split(",")]
    vroom_limit = float(_arg(argv, "vroom-limit", "10"))
    wanted = _arg(argv, "days", ",".join(s.name for s in SHAPES)).split(",")
    seed = int(_arg(argv, "seed", "1"))
    print(
        f"  {'solver':<10}{'limit s':>7}{'wall s':>8}{'served':>8}{'drive':>10}{'per visit':>10}"
        f"{'weight':>8}"
    )
    results = [
        run_day(shape, limits, vroom_limit, seed) for shape in SHAPES if shape.name in wanted
    ]
    print("summary over days (ours minus VROOM): served visits, driving minutes per served visit")
    for other in VROOM_RUNS:
        for key in results[0]:
            if key in VROOM_RUNS:
                continue
            served = [r[key][0] - r[other][0] for r in results]
            per = [100 * (r[key][1] / r[other][1] - 1) for r in results]
            fewer = sum(1 for s in served if s < 0)
            more = sum(1 for p in per if p > 0)
            lighter = sum(1 for r in results if r[key][2] < r[other][2])
            print(
                f"  {key:<8} vs {other:<11} served {sum(served):+d} in total ({fewer} days "
                f"fewer), driving per visit {statistics.mean(per):+.2f}% on average "
                f"({more} days more), weight served less on {lighter} days"
            )
