"""SLA clocks on the dispatcher's board: each queued order and each visit carries the clock
to watch (state and business time left), read in a fixed number of statements."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from server import clock as center_clock
from server.dispatch import board, services
from server.dispatch.schemas import VisitCreate
from tests.database import reset_database
from tests.querycount import count_queries
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.planbuilders import next_weekday
from tests.server.dispatch.test_planning import _day
from tests.server.sla.builders import round_the_clock, type_id


async def _field_policy(client: httpx.AsyncClient) -> None:
    """Accept a field order within an hour, be on site within four, round the clock."""
    await round_the_clock(client)
    body = {
        "name": "Выезд",
        "order_type_id": await type_id("field"),
        "accept_minutes": 60,
        "first_visit_minutes": 240,
    }
    response = await client.post("/api/v1/sla/policies", json=body)
    assert response.status_code == 201, response.text


async def test_the_board_shows_each_orders_clock_state_and_time_left(
    admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _field_policy(admin_client)
    planner, first, _second, ids = await _day(admin_client, orders=2)
    day = next_weekday()
    await services.create_visit(
        planner, VisitCreate(order_id=ids[0], day=day, master_id=first.employee_id)
    )
    params = {"day": day.isoformat()}
    shown = (await admin_client.get("/api/v1/dispatch/board", params=params)).json()
    (queued,) = shown["queue"]
    assert queued["order_id"] == ids[1]
    assert queued["sla"]["state"] == "on_track" and queued["sla"]["label"] == "В срок"
    assert queued["sla"]["clock"] == "accept" and 55 <= queued["sla"]["left_minutes"] <= 60
    (lane,) = [m for m in shown["masters"] if m["id"] == first.employee_id]
    assert lane["visits"][0]["sla"]["state"] == "on_track"

    now = center_clock.now()
    monkeypatch.setattr(center_clock, "now", lambda: now + dt.timedelta(minutes=50))
    queued = (await admin_client.get("/api/v1/dispatch/board", params=params)).json()["queue"][0]
    assert queued["sla"]["state"] == "at_risk" and 5 <= queued["sla"]["left_minutes"] <= 10
    monkeypatch.setattr(center_clock, "now", lambda: now + dt.timedelta(minutes=75))
    later = (await admin_client.get("/api/v1/dispatch/board", params=params)).json()
    queued = later["queue"][0]
    assert queued["sla"]["state"] == "breached" and -17 <= queued["sla"]["left_minutes"] <= -15
    assert queued["sla"]["color"] == "#e53935"
    page = await admin_client.get("/dispatch", params=params)
    assert '"state":"breached"' in page.text.replace(" ", "")

    # Placing the queued order after its first-visit deadline (four hours on) warns.
    start = dt.datetime.combine(day, dt.time(10), tzinfo=services.zone())
    body = {"order_id": ids[1], "master_id": first.employee_id, "planned_start": start.isoformat()}
    checked = (await admin_client.post("/api/v1/dispatch/check", json=body)).json()
    (late,) = [w for w in checked["warnings"] if w["kind"] == "sla"]
    assert "Первый выезд нужен до" in late["text"] and late["order_id"] == ids[1]
    assert re.search(r"до \d\d\.\d\d\.\d{4} \d\d:\d\d", late["text"])  # with the year
    soon = now + dt.timedelta(hours=3)
    body["planned_start"] = soon.isoformat()
    checked = (await admin_client.post("/api/v1/dispatch/check", json=body)).json()
    assert not [w for w in checked["warnings"] if w["kind"] == "sla"]


async def test_the_board_reads_the_clocks_in_a_fixed_number_of_statements(
    client: httpx.AsyncClient,
) -> None:
    counts = []
    for size in (1, 5):
        await reset_database()
        client.cookies.clear()
        await make_employee("boss", roles=["admin"])
        await login_as(client, "boss")
        await _field_policy(client)
        planner, first, _second, ids = await _day(client, orders=size + 1)
        day = next_weekday()
        for order_id in ids[:size]:
            await services.create_visit(
                planner, VisitCreate(order_id=order_id, day=day, master_id=first.employee_id)
            )
        with count_queries() as counted:
            shown = await board.board(planner, day)
        assert len(shown.queue) == 1 and shown.queue[0].sla is not None
        assert [v.sla is not None for m in shown.masters for v in m.visits] == [True] * size
        counts.append(len(counted))
    assert counts[0] == counts[1], counts
