"""The demo center ships working rules: a request to the director goes to its queue, an order
taken at the counter gets a bench master by workload and a washing machine its expert."""

from __future__ import annotations

import httpx

from fixtures.demo import build_demo
from server.staff.tables import Employee
from tests.server.builders import login_as
from tests.server.responsibles.builders import order_for, preview


async def test_the_demo_rules_route_requests_and_orders(client: httpx.AsyncClient) -> None:
    await build_demo(orders=20)
    await login_as(client, "admin", "servio-demo")
    ids = {r["login"]: r["id"] for r in await Employee.select(Employee.id, Employee.login)}
    director = await preview(client, kind="request", fields={"addressee": "director"})
    assert director["queue"] == "director"
    assert [(c["role"], c["id"]) for c in director["chosen"]] == [("manager", ids["admin"])]
    tree = (await client.get("/api/v1/problem-classes")).json()["items"]
    assert "Стиральные машины / Не сливает воду" in [c["path"] for c in tree]
    order = await order_for(client, "Bosch")
    assert order["technician_id"] in (ids["master1"], ids["master2"])
    assert order["expert_id"] == ids["master2"]
    assert order["assignment"]["technician"]["rule_name"] == "Приём в мастерской"
