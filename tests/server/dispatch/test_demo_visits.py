"""The demo's field masters have a day of visits today and the next days, and some history."""

from __future__ import annotations

import datetime as dt

import httpx

from fixtures.demo import DEMO_PASSWORD, build_demo
from fixtures.visits import DAYS, TODAY_AT_LEAST, _spread
from server.audit.tables import AuditEntry
from server.dispatch.services import today
from server.dispatch.tables import Visit
from server.orders.tables import Order
from tests.server.builders import login_as

# The field orders fixtures/visits.py plans: open, the master's, with a client address.
OPEN_FIELD_ORDERS = """
SELECT e.login, count(*) AS n FROM service_order o
JOIN order_type t ON t.id = o.order_type AND t.is_field
JOIN order_status s ON s.id = o.status AND s."group" NOT IN ('closed', 'cancelled')
JOIN employee e ON e.id = o.technician
WHERE EXISTS (SELECT 1 FROM client_address a WHERE a.client = o.client)
GROUP BY e.login
"""


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
    open_orders = {r["login"]: r["n"] for r in await Visit.raw(OPEN_FIELD_ORDERS)}
    for login in ("field1", "field2"):
        mine = [r for r in rows if r["master.login"] == login]
        # How many open orders a demo master has depends on the hour it is built (8-17 seen):
        # every one is planned, today a full day, the next days what is left.
        assert open_orders[login] >= TODAY_AT_LEAST, open_orders
        days = [sum(r["day"] == first + dt.timedelta(days=d) for r in mine) for d in range(DAYS)]
        assert days == _spread(open_orders[login]) and days[0] >= TODAY_AT_LEAST, (login, days)
        done = [r for r in mine if r["status"] == "done"]
        assert done and all(r["day"] < first for r in done)
        assert all(r["status_at"] <= dt.datetime.now(dt.UTC) for r in done)
    planned = await AuditEntry.count().where(AuditEntry.action == "visit_create")
    assert planned == len(rows)
