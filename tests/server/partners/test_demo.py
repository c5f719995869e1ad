"""The demo center's partner: the demo `dealer` works for the authorized service center and
sees, through the partner scope, the orders it filed, and only those."""

from __future__ import annotations

import httpx

from fixtures.demo import build_demo
from server.clients import validation
from server.orders.tables import Order
from server.partners.tables import Organization
from server.staff.tables import Employee
from tests.server.builders import login_as


async def test_the_demo_dealer_belongs_to_the_service_center_and_sees_its_orders(
    client: httpx.AsyncClient,
) -> None:
    await build_demo(orders=1000)
    dealer = (
        await Employee.select(Employee.id, Employee.organization)
        .where(Employee.login == "dealer")
        .first()
    )
    assert dealer is not None and dealer["organization"] is not None
    for partner in await Organization.select(Organization.inn):
        assert validation.inn(partner["inn"])  # the partners' form would refuse a bad one
    filed = await Order.select(Order.id, Order.source_org, Order.channel).where(
        Order.created_by == dealer["id"]
    )
    assert filed and all(o["source_org"] == dealer["organization"] for o in filed)
    assert {o["channel"] for o in filed} == {"partner"}
    await login_as(client, "dealer", "servio-demo")
    partners = (await client.get("/api/v1/partners")).status_code
    assert partners == 403  # a partner does not keep the center's partner list
    seen = (await client.get("/api/v1/orders", params={"limit": 100})).json()["items"]
    assert sorted(o["id"] for o in seen) == sorted(o["id"] for o in filed)
