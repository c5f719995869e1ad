"""Converting an accepted request in one step: the client matched by phone or email (the
duplicates shown first, the operator may pick one or a new client), or created; the device
matched by serial or created; the order with the request's channel, partner and
responsibles, and what set them."""

from __future__ import annotations

from typing import Any

import httpx

from server.clients.tables import Client, ClientEmail, ClientPhone, Device
from server.orders.tables import Order
from server.requests.tables import ServiceRequest
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import make_client, make_device
from tests.server.requests.builders import REQUEST, send_request


async def _accepted(client: httpx.AsyncClient, **fields: Any) -> int:
    sent = await send_request(client, **fields)
    row = (
        await ServiceRequest.select(ServiceRequest.id)
        .where(ServiceRequest.number == sent["number"])
        .first()
    )
    assert row is not None
    accepted = await client.post(f"/api/v1/requests/{row['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return int(row["id"])


async def test_the_client_and_device_are_matched_by_phone_and_serial(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    known = await make_client("Мария Петровна")
    await ClientPhone(client=known, number="+79165551234", is_primary=True).save()
    machine = await make_device(known, serial="WAT28461")
    request_id = await _accepted(client, serial="wat28461")
    preview = (await client.get(f"/api/v1/requests/{request_id}/convert")).json()
    assert preview == {
        "duplicates": [{"id": known, "name": "Мария Петровна"}],
        "device_id": machine,
    }
    card = await client.get(f"/requests/{request_id}")
    assert f'data-testid="req-duplicate-{known}"' in card.text
    clients_before, devices_before = await Client.count(), await Device.count()
    done = (await client.post(f"/api/v1/requests/{request_id}/convert", json={})).json()
    assert done["client_id"] == known and not done["client_created"]
    assert done["device_id"] == machine and not done["device_created"]
    assert (await Client.count(), await Device.count()) == (clients_before, devices_before)
    order = await Order.select().where(Order.id == done["order_id"]).first()
    assert order is not None and order["client"] == known and order["device"] == machine


async def test_the_operator_picks_a_duplicate_or_a_new_client(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    first = await make_client("Мария (старая карточка)")
    second = await make_client("Мария Петрова")
    for known in (first, second):
        await ClientEmail(client=known, email="maria@example.ru", is_primary=True).save()
    picked = await _accepted(client)
    preview = (await client.get(f"/api/v1/requests/{picked}/convert")).json()
    assert {c["id"] for c in preview["duplicates"]} == {first, second}
    done = (
        await client.post(f"/api/v1/requests/{picked}/convert", json={"client_id": second})
    ).json()
    assert done["client_id"] == second and not done["client_created"]
    fresh = await _accepted(client, email="maria@example.ru")
    made = (
        await client.post(f"/api/v1/requests/{fresh}/convert", json={"create_client": True})
    ).json()
    assert made["client_created"] and made["client_id"] not in (first, second)
    phones = await ClientPhone.select().where(ClientPhone.client == made["client_id"])
    assert [p["number"] for p in phones] == ["+79165551234"]
    assert made["device_created"]  # no serial to match: the device as written
    outside = await _accepted(client)
    missing = await client.post(f"/api/v1/requests/{outside}/convert", json={"client_id": 999999})
    assert missing.status_code == 404


async def test_the_order_gets_the_channel_partner_and_responsibles_of_the_request(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    dealer = (
        await client.post("/api/v1/partners", json={"kind": "dealer", "name": "Дилер"})
    ).json()
    center = (
        await client.post("/api/v1/partners", json={"kind": "service_center", "name": "АСЦ"})
    ).json()
    expert = await make_employee("expert", roles=["technician"])
    await make_employee("dealer1", roles=["dealer"], organization_id=dealer["id"])
    await login_as(client, "dealer1")
    filed = (await client.post("/api/v1/requests", json=REQUEST)).json()
    assert filed["channel"] == "partner"
    rule = {"rule_id": 7, "rule_name": "Bosch к АСЦ"}
    await ServiceRequest.update(
        {
            ServiceRequest.service_center: center["id"],
            ServiceRequest.expert: expert.id,
            ServiceRequest.assignment: {"service_center": rule, "expert": rule},
        }
    ).where(ServiceRequest.id == filed["id"])
    await login_as(client, "boss")
    await client.post(f"/api/v1/requests/{filed['id']}/take")
    await client.post(f"/api/v1/requests/{filed['id']}/accept")
    done = await client.post(f"/api/v1/requests/{filed['id']}/convert", json={})
    assert done.status_code == 201, done.text
    order = (
        await Order.select()
        .where(Order.id == done.json()["order_id"])
        .output(load_json=True)
        .first()
    )
    assert order is not None
    assert order["channel"] == "partner" and order["source_org"] == dealer["id"]
    assert order["service_center"] == center["id"] and order["expert"] == expert.id
    assert order["assignment"]["service_center"] == rule
    assert order["assignment"]["expert"] == rule
    # the dealer now sees the order made of the organization's request
    await login_as(client, "dealer1")
    assert (await client.get(f"/api/v1/orders/{order['id']}")).status_code == 200
    card = (await client.get(f"/api/v1/requests/{filed['id']}")).json()
    assert card["order_number"] == order["number"]
