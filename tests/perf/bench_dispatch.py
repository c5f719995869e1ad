"""Plan the day through the whole server path: rows → problem → solve → proposal saved →
accepted, with time and SQL statements per phase, and VROOM on the same problem beside it.

Usage: python -m tests.perf dispatch [--masters=30] [--visits=300] [--seconds=10] [--runs=1]

Seeds a fresh database `servio_bench_dispatch` (masters with homes and skills in one city,
open field orders at client addresses around it), then in a child process over the server's
own services: reads the day, solves it in a thread as the job does, stores the proposal, accepts
it (every visit written with its audit row, the order's technician and status). Prints figures;
never passes or fails on time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any

DATABASE = "servio_bench_dispatch"
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_dispatch_base")
CENTER = (56.3269, 44.0059)


def _options(argv: list[str]) -> dict[str, float]:
    options = {"masters": 30.0, "visits": 300.0, "seconds": 10.0, "runs": 1.0}
    for arg in argv:
        name, _, value = arg.lstrip("-").partition("=")
        if name in options:
            options[name] = float(value)
    return options


def main(argv: list[str]) -> None:
    """Migrate a fresh database, then measure in a child process that uses it."""
    from tests.live import fresh_database, servio

    options = _options(argv)
    url = fresh_database(DATABASE)
    servio("migrate", database_url=url)
    code = (
        "import asyncio; from tests.perf.bench_dispatch import measure; "
        f"asyncio.run(measure({int(options['masters'])}, {int(options['visits'])}, "
        f"{options['seconds']}, {int(options['runs'])}))"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DATABASE_URL": url, "SERVIO_WORKER": "0"},
        check=True,
        timeout=3600,
    )


def _spot(rng: random.Random, spread_km: float) -> tuple[float, float]:
    return (
        CENTER[0] + rng.uniform(-1, 1) * spread_km / 111,
        CENTER[1] + rng.uniform(-1, 1) * spread_km / 62,
    )


async def _seed(http: Any, masters: int, visits: int) -> None:
    from server.clients.tables import Brand, DeviceType
    from server.staff.tables import MasterProfile
    from tests.server.builders import login_as, make_employee
    from tests.server.dispatch.planbuilders import field_order_at

    rng = random.Random(7)
    await make_employee("bench_disp", roles=["dispatcher"], full_name="Диспетчер")
    await login_as(http, "bench_disp")
    brands = ["Bosch", "Indesit", "LG", "Samsung", "Atlant"]
    for i in range(masters):
        employee = await make_employee(f"bench_m{i}", roles=["field_technician"])
        lat, lon = _spot(rng, 12)
        await MasterProfile(
            employee=employee.id,
            lunch_start=dt.time(12, 30),
            lunch_end=dt.time(14, 30),
            lunch_minutes=30,
            start_address=f"Дом мастера {i}",
            start_lat=lat,
            start_lon=lon,
            updated_at=dt.datetime.now(dt.UTC),
        ).save()
    for i in range(visits):
        await field_order_at(http, f"Клиент {i}", *_spot(rng, 15), brand=rng.choice(brands))
    # a third of the masters service only two of the brands
    ids = {r["name"]: r["id"] for r in await Brand.select(Brand.id, Brand.name)}
    kinds = [r["id"] for r in await DeviceType.select(DeviceType.id)]
    for i in range(0, masters, 3):
        await MasterProfile.update(
            {
                MasterProfile.brand_ids: [ids["Bosch"], ids["LG"]],
                MasterProfile.device_type_ids: kinds,
            }
        ).where(MasterProfile.employee == (await _employee(f"bench_m{i}")))


async def _employee(login: str) -> int:
    from server.staff.tables import Employee

    row = await Employee.select(Employee.id).where(Employee.login == login).first()
    assert row is not None
    return int(row["id"])


async def _phase(name: str, figures: dict[str, list[Any]], work: Any) -> Any:
    from tests.querycount import count_queries

    started = time.perf_counter()
    with count_queries() as counted:
        result = await work
    figures.setdefault(name, []).append((time.perf_counter() - started, len(counted)))
    return result


async def measure(masters: int, visits: int, seconds: float, runs: int) -> None:
    """Seed, then plan and accept the same day `runs` times (each on a copy of the queue)."""
    import httpx
    import msgspec

    import routing
    from routing.vroom_bench import solve_field_with_vroom
    from server.app import create_app
    from server.dispatch import accept, daywork, planning
    from server.dispatch.schemas import PlanRequest
    from server.dispatch.tables import DispatchPlan, Visit
    from server.dispatch.travel import matrix
    from server.staff.services import load_actor
    from tests.server.dispatch.planbuilders import next_weekday

    app = create_app()
    figures: dict[str, list[Any]] = {}
    results = []
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            started = time.perf_counter()
            await _seed(http, masters, visits)
            took = time.perf_counter() - started
            print(f"seeded {masters} masters, {visits} field orders: {took:.1f} s")
            actor = await load_actor(await _employee("bench_disp"))
            assert actor is not None
            day = next_weekday()
            for _ in range(runs):
                await Visit.delete(force=True)
                plan_id = await planning.request_plan(
                    actor, PlanRequest(day=day, take_over=True), time_limit_s=seconds
                )
                row = await DispatchPlan.select().where(DispatchPlan.id == plan_id).first()
                work = await _phase("1 rows → problem", figures, daywork.read_day(actor, day))
                found = await _phase(
                    "2 solve (thread)",
                    figures,
                    asyncio.to_thread(planning._solve, work, row, True),
                )
                await _phase(
                    "3 proposal saved",
                    figures,
                    DispatchPlan.update(
                        {
                            DispatchPlan.status: planning.READY,
                            DispatchPlan.proposal: found,
                            DispatchPlan.basis: {str(k): v for k, v in work.basis.items()},
                            DispatchPlan.finished_at: dt.datetime.now(dt.UTC),
                        }
                    ).where(DispatchPlan.id == plan_id),
                )
                await _phase("4 read back", figures, planning.get_plan(actor, plan_id))
                saved, _ = await _phase(
                    "5 accepted", figures, accept.accept_plan(actor, plan_id, None)
                )
                problem = work.day.problem
                points = routing.points(problem)
                table = matrix().table(points, points)
                v_served, v_driving = solve_field_with_vroom(problem, table.durations, seconds)
                ours_driving = _driving(found, table, work)
                results.append(
                    (
                        len(found["assignments"]),
                        len(found["unassigned"]),
                        ours_driving,
                        v_served,
                        v_driving,
                        len(saved),
                        len(msgspec.json.encode(found)),
                    )
                )
    print(f"\n{masters} masters, {visits} queued orders, solve limit {seconds:g} s, {runs} run(s)")
    print(f"{'phase':<22}{'median s':>10}{'SQL statements':>16}")
    for name, rows in sorted(figures.items()):
        wall = statistics.median(r[0] for r in rows)
        print(f"{name:<22}{wall:>10.2f}{statistics.median(r[1] for r in rows):>16.0f}")
    total = sum(statistics.median(r[0] for r in rows) for rows in figures.values())
    print(f"{'whole path':<22}{total:>10.2f}")
    served, left, driving, v_served, v_driving, saved_n, size = results[-1]
    print(f"\n{'':<22}{'served':>8}{'left':>6}{'driving h':>11}")
    print(f"{'Servio (OR-Tools)':<22}{served:>8}{left:>6}{driving / 3600:>11.1f}")
    print(f"{'VROOM, same limit':<22}{v_served:>8}{visits - v_served:>6}{v_driving / 3600:>11.1f}")
    print(f"visits written on accept: {saved_n}; proposal {size / 1024:.0f} KiB")


def _driving(found: dict[str, Any], table: Any, work: Any) -> int:
    """Driving seconds of the proposal's routes on the table (start → visits → end)."""
    problem = work.day.problem
    node = {v.id: i for i, v in enumerate(problem.visits)}
    key = {(w.order_id, w.visit_id): k for k, w in work.day.works.items()}
    masters = {m.id: i for i, m in enumerate(problem.masters)}
    n = len(problem.visits)
    total = 0
    by_master: dict[int, list[dict[str, Any]]] = {}
    for a in found["assignments"]:
        by_master.setdefault(a["master_id"], []).append(a)
    for master_id, items in by_master.items():
        items.sort(key=lambda a: a["sequence"])
        start = n + 2 * masters[str(master_id)]
        path = [start, *(node[key[(a["order_id"], a["visit_id"])]] for a in items), start + 1]
        total += sum(table.durations[a][b] for a, b in itertools.pairwise(path))
    return total
