"""The demo's field masters have a day of visits today and the next days, and some history."""

from __future__ import annotations

import datetime as dt

import httpx

from fixtures.demo import DEMO_PASSWORD, build_demo
from server.audit.tables import AuditEntry
from server.dispatch.services import today
from server.dispatch.tables import Visit
from server.orders.tables import Order
from tests.server.builders import login_as


async def test_field1_has_todays_visits_in_window_order(client: httpx.AsyncClient) -> None:
    await build_demo()
    await login_as(client, "field1", DEMO_PASSWORD)
    response = await client.get("/api/v1/visits", params={"day": today().isoformat()})
    assert response.status_code == 200, response.text
    visits = response.json()["items"]
    assert 5 <= len(visits) <= 8
    assert all(v["status"] == "planned" and v["address"] for v in visits)
    assert all(v["latitude"] is not None and v["longitude"] is not None for v in visits)
    assert [v["sequence"] for v in visits] == list(range(1, len(visits) + 1))
    starts = [v["window_start"] for v in visits]
    assert starts == sorted(starts)
    master = visits[0]["master_id"]
    orders = await Order.select(Order.technician, Order.order_type._.is_field).where(
        Order.id.is_in([v["order_id"] for v in visits])
    )
    assert all(o["technician"] == master and o["order_type.is_field"] for o in orders)


async def test_every_field_master_has_work_for_the_next_days_and_a_history(db: None) -> None:
    await build_demo()
    first = today()
    rows = await Visit.select(Visit.master._.login, Visit.day, Visit.status, Visit.status_at)
    for login in ("field1", "field2"):
        mine = [r for r in rows if r["master.login"] == login]
        # today a full day, the next days what is left (a demo master has 10-20 open orders)
        for offset, least in ((0, 5), (1, 2), (2, 2)):
            day = first + dt.timedelta(days=offset)
            assert least <= sum(r["day"] == day for r in mine) <= 8, (login, day)
        done = [r for r in mine if r["status"] == "done"]
        assert done and all(r["day"] < first for r in done)
        assert all(r["status_at"] <= dt.datetime.now(dt.UTC) for r in done)
    planned = await AuditEntry.count().where(AuditEntry.action == "visit_create")
    assert planned == len(rows)
