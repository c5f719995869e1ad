"""Scope: a bench technician sees shipments, but the order link only of orders he sees and a
client counterparty only of clients he sees; he cannot link a shipment to an order out of his
scope, filter by one, or read its delivery costs; without the section nothing is shown."""

from __future__ import annotations

import datetime as dt

import httpx
from litestar import Litestar

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.deliveries.helpers import ship
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import error_fields


async def _logged_in(app: Litestar, login: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50003))  # type: ignore[arg-type]
    http = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
    await login_as(http, login)
    return http


async def test_a_technician_does_not_see_the_order_of_anothers_shipment(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    boss = admin_client
    me = await make_employee("tech1", roles=["technician"])
    other = await make_employee("tech2", roles=["technician"])
    await make_employee("field1", roles=["field_technician"])
    mine_client = await make_client("Свой Клиент", phone="+79160000001")
    foreign_client = await make_client("Чужой Клиент", phone="+79160000002")
    mine = await intake(boss, mine_client, technician_id=me.id)
    foreign = await intake(boss, foreign_client, technician_id=other.id)
    to_mine = await ship(boss, direction="to_client", order_id=mine["id"], cost="100")
    to_foreign = await ship(boss, direction="to_client", order_id=foreign["id"], cost="200")

    tech = await _logged_in(app, "tech1")
    try:
        seen = (await tech.get(f"/api/v1/deliveries/{to_foreign['id']}")).json()
        assert "order_id" not in seen and "order_number" not in seen and seen["order_hidden"]
        assert "client_id" not in seen and seen["client_hidden"]
        assert seen["counterparty_name"] == "" and "Чужой" not in str(seen)
        assert foreign["number"] not in str(seen)
        own = (await tech.get(f"/api/v1/deliveries/{to_mine['id']}")).json()
        assert (own["order_number"], own["counterparty_name"]) == (mine["number"], "Свой Клиент")

        listed = (await tech.get("/api/v1/deliveries")).json()["items"]
        assert foreign["number"] not in str(listed) and "Чужой" not in str(listed)
        by_order = await tech.get("/api/v1/deliveries", params={"order_id": foreign["id"]})
        assert by_order.json()["items"] == []
        by_client = await tech.get("/api/v1/deliveries", params={"client_id": foreign_client})
        assert by_client.json()["items"] == []
        costs = (await tech.get(f"/api/v1/deliveries/orders/{foreign['id']}/costs")).json()
        assert costs["shipments"] == [] and costs["total"] == "0.00"
        assert (await tech.get(f"/api/v1/deliveries/orders/{mine['id']}/costs")).json()[
            "total"
        ] == "100.00"

        card = await tech.get(f"/deliveries/{to_foreign['id']}")
        assert card.status_code == 200 and foreign["number"] not in card.text
        assert "Чужой" not in card.text and 'data-testid="shipment-order-hidden"' in card.text
        refused = await tech.post("/api/v1/deliveries", json={"direction": "to_supplier",
                                  "carrier": "other", "supplier_name": "X"})  # fmt: skip
        assert refused.status_code == 403  # view only
    finally:
        await tech.aclose()

    field = await _logged_in(app, "field1")
    try:
        assert (await field.get("/api/v1/deliveries")).status_code == 403
        assert (await field.get(f"/deliveries/{to_mine['id']}")).status_code == 403
    finally:
        await field.aclose()


async def test_one_cannot_link_an_order_one_does_not_see(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    boss = admin_client
    now = dt.datetime.now(dt.UTC)
    await Role(
        code="shipper",
        name="Экспедитор",
        description="",
        is_builtin=False,
        permissions={"deliveries": ["view", "create", "edit"], "orders": ["view"],
                     "clients": ["view"]},
        field_permissions={},
        created_at=now,
        updated_at=now,
    ).save()  # fmt: skip
    me = await make_employee("shipper1", roles=["shipper"])
    foreign_client = await make_client("Чужой Клиент", phone="+79160000002")
    foreign = await intake(boss, foreign_client)
    mine = await intake(boss, await make_client("Свой", phone="+79160000003"), technician_id=me.id)
    shipper = await _logged_in(app, "shipper1")
    try:
        for fields, field in [
            ({"order_id": foreign["id"]}, "order_id"),
            ({"order_number": foreign["number"]}, "order_number"),
        ]:
            answer = await shipper.post(
                "/api/v1/deliveries",
                json={
                    "direction": "to_supplier",
                    "carrier": "other",
                    "supplier_name": "X",
                    **fields,
                },
            )
            assert answer.status_code == 422 and error_fields(answer) == {field}, answer.text
        client_answer = await shipper.post(
            "/api/v1/deliveries",
            json={"direction": "to_client", "carrier": "other", "client_id": foreign_client},
        )
        assert client_answer.status_code == 422 and error_fields(client_answer) == {"client_id"}
        made = await ship(shipper, order_id=mine["id"])
        assert made["order_number"] == mine["number"]
        theirs = await ship(boss, order_id=foreign["id"])
        relink = await shipper.patch(f"/api/v1/deliveries/{theirs['id']}", json={"order_id": None})
        assert relink.status_code == 422 and error_fields(relink) == {"order_id"}
        assert foreign["number"] not in relink.text and str(foreign["id"]) not in relink.text
        note = await shipper.patch(f"/api/v1/deliveries/{theirs['id']}", json={"note": "ok"})
        assert note.status_code == 200 and note.json()["order_hidden"]
    finally:
        await shipper.aclose()
