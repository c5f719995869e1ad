"""The generated leak matrix (issue 9): no role sees rows out of scope or fields it may not read.

Built from the field catalogue and the app's routes, so a new field or endpoint is covered
without editing this file:
- every catalogue field gets a marker in the seeded data (tests/server/leaks/markers.py says
  how; a field it does not know fails the matrix), and a custom role hides every field;
- every GET route is called with each path parameter filled by objects in and out of the
  caller's scope (a parameter with no filler fails the matrix), and with the query variants
  its handler takes: search by forbidden words, every sort (by hidden fields too), every page
  through the cursor, every document format, flags and filters;
- every answer (JSON, HTML, PDF, XLSX, DOCX, images, decoded cursors) is searched for the
  markers the caller may not see. All leaks are collected and reported at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest
from litestar import Litestar

import printforms
from server.fieldaccess import FIELD_CATALOGUE
from tests.server.builders import login_as
from tests.server.leaks.bodies import read
from tests.server.leaks.markers import FIELD_MARKERS
from tests.server.leaks.probe import Probe, summary
from tests.server.leaks.routes import Route, get_routes, with_query
from tests.server.leaks.scan import Scanner
from tests.server.leaks.seed import seed
from tests.server.leaks.world import Viewer, World

pytestmark = [pytest.mark.app_worker, pytest.mark.slow]  # plans are solved by the app's worker


async def _controls(http: httpx.AsyncClient, world: World) -> list[str]:
    """The matrix can see a leak: markers are searchable and shown to those who may read them."""
    problems = []
    await login_as(http, world.viewers["admin"].login)
    order = world.of_kind("order")[0]
    fault = world.admin_orders[order.id]["declared_fault"].split()[-1]
    found = (await http.get(with_query("/api/v1/orders", q=fault))).json()["items"]
    if [o["id"] for o in found] != [order.id]:
        problems.append(f"CONTROL: the admin's search for {fault!r} did not find {order.label}")
    client = world.of_kind("client")[0]
    legal = world.admin_clients[client.id]["legal_name"].split()[-1]
    found = (await http.get(with_query("/api/v1/clients", q=legal))).json()["items"]
    if [c["id"] for c in found] != [client.id]:
        problems.append(f"CONTROL: the admin's search for {legal!r} did not find {client.label}")
    scanner = Scanner(world.markers)
    number = {"order number"}
    checks = [
        (f"/api/v1/orders/{order.id}", {*number, "order.declared_fault (changed)", "order.total"}),
        (with_query("/api/v1/orders/export", columns="number,total"), {*number, "order.total"}),
    ]
    for kind, label in (("receipt", "order.declared_fault (changed)"), ("work-act", "order.total")):
        for fmt in printforms.FORMATS[kind]:
            url = with_query(f"/api/v1/orders/{order.id}/documents/{kind}", format=fmt)
            checks.append((url, {*number, label}))
    for url, expected in checks:
        text, _data = read(await http.get(url))
        missing = expected - {m.label for m in scanner.find(text)}
        if missing:
            problems.append(f"CONTROL: the admin's {url} lacks {sorted(missing)}")
    return problems


async def _probe(app: Litestar, world: World, viewer: Viewer, routes: list[Route]) -> Probe:
    """Every generated request as one viewer, on a client of their own."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
        await login_as(http, viewer.login)
        probe = Probe(world, viewer, http)
        for route in routes:
            await probe.route(route)
    return probe


SHARDS = 3  # the matrix runs as this many tests (each seeds its world), shared by the workers


@pytest.mark.parametrize("shard", range(SHARDS))
async def test_no_role_sees_rows_out_of_scope_or_fields_it_may_not_read(
    client: httpx.AsyncClient, app: Litestar, shard: int
) -> None:
    started = time.monotonic()
    problems = [
        f"{key}: add a marker for field {key} in tests/server/leaks/markers.py FIELD_MARKERS"
        for key in (f"{e}.{f}" for e, fields in FIELD_CATALOGUE.items() for f in fields)
        if key not in FIELD_MARKERS
    ]
    world = await seed(client)
    problems += world.problems
    if shard == 0:
        problems += await _controls(client, world)
    routes = sorted(get_routes(app), key=lambda r: (r.path, r.handler))[shard::SHARDS]
    probes = await asyncio.gather(*(_probe(app, world, v, routes) for v in world.viewers.values()))
    leaks = [leak for probe in probes for leak in probe.leaks]
    problems += sorted({text for probe in probes for text in probe.unfilled})
    lines = summary(leaks)
    elapsed = time.monotonic() - started
    report = "\n".join([*problems, *lines])
    requests = sum(p.requests for p in probes)
    statuses = sum((p.statuses for p in probes), Counter())
    print(
        f"\nleak matrix, part {shard + 1} of {SHARDS}: {len(world.viewers)} roles, "
        f"{len(routes)} GET routes, {requests} requests, {len(world.markers)} markers, "
        f"{len(leaks)} leaks in {len(lines)} groups, "
        f"{elapsed:.1f} s; answers by status {dict(sorted(statuses.items()))}\n{report}"
    )
    assert not problems and not leaks, f"{len(leaks)} leaks in {len(lines)} groups:\n{report}"
