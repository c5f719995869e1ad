"""Visits: planning, who sees what, status moves and their trace on the order's timeline."""

from __future__ import annotations

import datetime as dt

import httpx

from server.dispatch.services import today
from server.orders.tables import Order
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.builders import field_order
from tests.server.orders.builders import intake, make_client


def _field(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["field"])


async def _plan(client: httpx.AsyncClient, order_id: int, master_id: int, **extra: object) -> dict:
    body = {"order_id": order_id, "master_id": master_id, "day": today().isoformat(), **extra}
    response = await client.post("/api/v1/visits", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_visit_takes_the_client_address_and_makes_the_master_the_technician(
    client: httpx.AsyncClient,
) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await _plan(
        client, order["id"], master.id, window_start="10:00", window_end="12:00", comment="Код 12"
    )
    assert visit["address"].startswith("Москва, ул. Ленина")
    assert (visit["latitude"], visit["longitude"]) == (55.75, 37.61)
    assert visit["status"] == "planned" and visit["sequence"] == 1
    assert visit["window_start"] == "10:00" and visit["planned_start"] is not None
    technician = await Order.select(Order.technician).where(Order.id == order["id"]).first()
    assert technician == {"technician": master.id}
    second = await _plan(client, order["id"], master.id)
    assert second["sequence"] == 2
    listed = (await client.get("/api/v1/visits", params={"master": master.id})).json()["items"]
    assert [v["id"] for v in listed] == [visit["id"], second["id"]]


async def test_planning_validates_its_input(client: httpx.AsyncClient) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    day = today().isoformat()
    cases = [
        ({"window_start": "12:00", "window_end": "10:00"}, "window_end"),
        ({"master_id": 99999}, "master_id"),
        ({"latitude": 55.7}, "latitude"),
        ({"duration_min": 0}, None),
    ]
    for extra, field in cases:
        body = {"order_id": order["id"], "master_id": master.id, "day": day, **extra}
        response = await client.post("/api/v1/visits", json=body)
        assert response.status_code in (400, 422), (extra, response.text)
        if field:
            assert _field(response) == field, response.text
    shop = await intake(client, await make_client("Анна", phone="+79160000001"))
    response = await client.post(
        "/api/v1/visits", json={"order_id": shop["id"], "master_id": master.id, "day": day}
    )
    assert response.status_code == 422 and _field(response) == "order_id"


async def test_the_master_moves_own_visit_and_the_timeline_shows_it(
    client: httpx.AsyncClient,
) -> None:
    master = await make_employee("field1", roles=["field_technician"])
    await make_employee("field2", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await _plan(client, order["id"], master.id)

    await login_as(client, "field2")
    assert (await client.get(f"/api/v1/visits/{visit['id']}")).status_code == 404
    move = await client.post(f"/api/v1/visits/{visit['id']}/status", json={"status": "en_route"})
    assert move.status_code == 404
    assert (await client.get("/api/v1/visits")).json()["items"] == []

    await login_as(client, "field1")
    url = f"/api/v1/visits/{visit['id']}/status"
    assert (await client.post(url, json={"status": "done"})).status_code == 422
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)).isoformat()
    moved = await client.post(
        url, json={"status": "en_route", "at": at, "latitude": 55.7, "longitude": 37.6}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "en_route" and moved.json()["version"] == 2
    failed = await client.post(url, json={"status": "failed"})
    assert failed.status_code == 422 and _field(failed) == "reason"
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert (await client.post(url, json={"status": "on_site", "at": future})).status_code == 422
    assert (await client.post(url, json={"status": "on_site"})).status_code == 200
    assert (await client.post(url, json={"status": "done"})).status_code == 200
    assert (await client.post(url, json={"status": "planned"})).status_code == 422

    events = (await client.get(f"/api/v1/orders/{order['id']}/timeline")).json()["items"]
    moves = [e["changes"]["visit_status"] for e in events if e["kind"] == "visit_status"]
    assert moves == [["Planned", "En route"], ["En route", "On site"], ["On site", "Done"]]

    await login_as(client, "disp")
    reopened = await client.post(url, json={"status": "planned"})
    assert reopened.status_code == 200, reopened.text


async def test_replanning_checks_the_version_and_follows_the_master(
    client: httpx.AsyncClient,
) -> None:
    first = await make_employee("field1", roles=["field_technician"])
    second = await make_employee("field2", roles=["field_technician"])
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order(client)
    visit = await _plan(client, order["id"], first.id)
    url = f"/api/v1/visits/{visit['id']}"
    moved = await client.patch(url, json={"version": 1, "master_id": second.id, "comment": "Х"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["master_id"] == second.id and moved.json()["version"] == 2
    stale = await client.patch(url, json={"version": 1, "comment": "Позвонить заранее"})
    assert stale.status_code == 409
    technician = await Order.select(Order.technician).where(Order.id == order["id"]).first()
    assert technician == {"technician": second.id}

    await login_as(client, "field1")
    assert (await client.get(url)).status_code == 404
    assert (await client.patch(url, json={"comment": "моё"})).status_code == 403


async def test_a_receiver_cannot_see_visits(client: httpx.AsyncClient) -> None:
    await make_employee("rec", roles=["receiver"])
    await login_as(client, "rec")
    assert (await client.get("/api/v1/visits")).status_code == 403
