"""A partner's employee sees only the organization's work: requests it filed or that are
assigned to it, orders it filed (source) or repairs (service center), and their clients —
by id, in lists, in search and in exports; never another partner's."""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl

from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import REQUEST


async def _org(client: httpx.AsyncClient, kind: str, name: str) -> int:
    answer = await client.post("/api/v1/partners", json={"kind": kind, "name": name})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


async def _world(client: httpx.AsyncClient) -> dict[str, Any]:
    a = await _org(client, "dealer", "Дилер А")
    b = await _org(client, "service_center", "АСЦ Б")
    await make_employee("dealer_a", roles=["dealer"], organization_id=a)
    await make_employee("dealer_b", roles=["dealer"], organization_id=b)
    await make_employee("dealer_a_boss", roles=["manager"], organization_id=a)
    client_a = await make_client("Клиент Альфа", phone="+79160000001")
    client_b = await make_client("Клиент Бета", phone="+79160000002")
    order_a = await intake(client, client_a, declared_fault="альфа", source_org_id=a)
    order_b = await intake(client, client_b, declared_fault="бета", source_org_id=b)
    order_b_center = await intake(client, client_b, declared_fault="бета2", service_center_id=b)
    return {
        "a": a,
        "b": b,
        "orders_a": [order_a],
        "orders_b": [order_b, order_b_center],
        "client_a": client_a,
        "client_b": client_b,
    }


async def test_a_dealer_sees_only_the_organizations_orders_and_clients(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    world = await _world(client)
    for login in ("dealer_a", "dealer_a_boss"):  # even a manager's role stays within A
        await login_as(client, login)
        listed = (await client.get("/api/v1/orders")).json()["items"]
        assert {o["id"] for o in listed} == {o["id"] for o in world["orders_a"]}, login
        for order in world["orders_b"]:
            assert (await client.get(f"/api/v1/orders/{order['id']}")).status_code == 404
            found = (await client.get("/api/v1/orders", params={"q": order["number"]})).json()
            assert found["items"] == []
        assert (await client.get(f"/api/v1/orders/{world['orders_a'][0]['id']}")).status_code == 200
        assert (await client.get(f"/api/v1/clients/{world['client_b']}")).status_code == 404
        assert (await client.get(f"/api/v1/clients/{world['client_a']}")).status_code == 200
        clients = (await client.get("/api/v1/clients", params={"q": "Клиент"})).json()["items"]
        assert [c["id"] for c in clients] == [world["client_a"]]
        export = await client.get("/api/v1/orders/export", params={"format": "xlsx"})
        if export.status_code == 200:
            book = openpyxl.load_workbook(io.BytesIO(export.content))
            cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row)
            assert world["orders_a"][0]["number"] in cells
            assert all(o["number"] not in cells for o in world["orders_b"])
        else:
            assert export.status_code == 403  # dealers may not export
    await login_as(client, "dealer_b")
    listed = (await client.get("/api/v1/orders")).json()["items"]
    assert {o["id"] for o in listed} == {o["id"] for o in world["orders_b"]}


async def test_a_dealer_files_requests_for_the_organization_and_sees_only_those(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    world = await _world(client)
    await login_as(client, "dealer_a")
    mine = await client.post("/api/v1/requests", json={**REQUEST, "channel": "phone"})
    assert mine.status_code == 201, mine.text
    filed = mine.json()
    assert filed["channel"] == "partner" and filed["source_org"]["id"] == world["a"]
    await login_as(client, "dealer_b")
    theirs = (await client.post("/api/v1/requests", json={**REQUEST, "name": "Борис"})).json()
    assert (await client.get(f"/api/v1/requests/{filed['id']}")).status_code == 404
    assert (await client.get(f"/requests/{filed['id']}")).status_code == 404
    listed = (await client.get("/api/v1/requests")).json()["items"]
    assert [r["id"] for r in listed] == [theirs["id"]]
    searched = (await client.get("/api/v1/requests", params={"q": filed["number"]})).json()
    assert searched["items"] == []
    # a dealer may view and file, not review
    assert (await client.post(f"/api/v1/requests/{theirs['id']}/accept")).status_code == 403
    await login_as(client, "boss")
    everything = (await client.get("/api/v1/requests")).json()["items"]
    assert {r["id"] for r in everything} == {filed["id"], theirs["id"]}
