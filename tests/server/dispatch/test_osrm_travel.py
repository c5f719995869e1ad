"""With SERVIO_OSRM_URL set, plans drive on the OSRM server's table (asked in blocks it takes,
and cached), not on the geodesic estimate."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server.dispatch import planning, travel
from server.dispatch.schemas import PlanRequest
from tests.osrm import FakeOsrm, osrm_server
from tests.server.dispatch.planbuilders import next_weekday
from tests.server.dispatch.test_planning import _day


@pytest.fixture
def osrm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOsrm]:
    """A local OSRM that takes 6 coordinates a request; every trip 10 minutes and 5 km."""
    with osrm_server(FakeOsrm(max_locations=6)) as fake:
        monkeypatch.setenv("SERVIO_OSRM_URL", fake.url)
        monkeypatch.setenv("SERVIO_OSRM_MAX_TABLE", "6")
        monkeypatch.setenv("SERVIO_PLAN_SECONDS", "1")
        travel.matrix.cache_clear()
        yield fake
    travel.matrix.cache_clear()


async def test_the_plan_drives_on_the_osrm_table(client: httpx.AsyncClient, osrm: FakeOsrm) -> None:
    planner, _first, _second, ids = await _day(client, orders=4)
    day = next_weekday()
    plan_id = await planning.request_plan(planner, PlanRequest(day=day))
    await planning.run_plan(plan_id)
    plan = await planning.get_plan(planner, plan_id)
    assert plan.status == "ready", plan.error
    assert sorted(a.order_id for a in plan.assignments) == sorted(ids)
    assert {a.travel_minutes for a in plan.assignments} == {10}, "OSRM's 600 s a trip"
    for master in plan.masters:
        trips = master.after.visits + 1 if master.after.visits else 0  # there and back home
        assert master.after.km == pytest.approx(5 * trips)
    assert osrm.asked and max(osrm.asked) <= 6, osrm.asked
    asked = len(osrm.asked)
    again = await planning.request_plan(planner, PlanRequest(day=day))
    await planning.run_plan(again)
    assert len(osrm.asked) == asked, "the same points come from the cache"
