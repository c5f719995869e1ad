"""A new request gets its responsibles by rule (the rule shown on the card, carried to the
order); what other domains read of requests: a customer's requests and open work per
employee; the list reads a fixed number of statements however many requests it shows."""

from __future__ import annotations

import httpx

from server.orders.tables import Order
from server.requests import api as requests_api
from server.requests.tables import ServiceRequest
from tests.querycount import count_queries
from tests.server.requests.builders import REQUEST, error_fields, send_request
from tests.server.responsibles.builders import center, person, rule


async def test_a_new_request_gets_responsibles_by_rule_and_its_order_keeps_them(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    manager = await person("manager1", roles=["manager"], full_name="Менеджер Бош")
    master = await person("master1", full_name="Мастер Бош")
    asc = await center(client, "АСЦ Бош", ["Bosch"])
    await rule(
        client,
        "Bosch с сайта",
        conditions={"brands": ["bosch"], "channels": ["api"]},
        targets={"manager": [manager], "technician": [master], "service_center": [asc]},
    )
    sent = await send_request(client, brand="BOSCH")
    other = await send_request(client, brand="LG")
    row = await ServiceRequest.select().where(ServiceRequest.number == sent["number"]).first()
    assert row is not None
    assert (row["manager"], row["technician"], row["service_center"]) == (manager, master, asc)
    unassigned = (
        await ServiceRequest.select().where(ServiceRequest.number == other["number"]).first()
    )
    assert unassigned is not None and unassigned["manager"] is None
    card = await client.get(f"/requests/{row['id']}")
    assert "Менеджер Бош" in card.text and 'data-testid="req-manager-rule"' in card.text
    assert "Bosch с сайта" in card.text
    assert await requests_api.counts_open([manager, master]) == {manager: 1, master: 1}
    await client.post(f"/api/v1/requests/{row['id']}/accept")
    done = (await client.post(f"/api/v1/requests/{row['id']}/convert", json={})).json()
    order = await Order.select().where(Order.id == done["order_id"]).output(load_json=True).first()
    assert order is not None
    assert (order["manager"], order["technician"], order["service_center"]) == (
        manager,
        master,
        asc,
    )
    assert order["assignment"]["technician"]["rule_name"] == "Bosch с сайта"
    assert await requests_api.counts_open([manager]) == {manager: 0}  # converted: not open


async def test_a_customer_finds_their_requests_by_email_or_phone(client: httpx.AsyncClient) -> None:
    first = await send_request(client)
    await send_request(client, email="other@example.ru", phone="+79990000000")
    by_email = await requests_api.for_contact("MARIA@example.ru", "")
    assert [r.number for r in by_email] == [first["number"]]
    by_phone = await requests_api.for_contact("", "+79165551234")
    assert [r.number for r in by_phone] == [first["number"]]
    assert by_phone[0].status == "new" and by_phone[0].status_label
    link = await requests_api.open_for_contact(first["number"], "", "+79165551234")
    assert link is not None
    followed = await client.get("/r/" + link.rsplit("/r/", 1)[1])
    assert followed.status_code == 200 and first["number"] in followed.text
    assert await requests_api.open_for_contact(first["number"], "other@example.ru", "") is None
    assert await requests_api.for_contact("", "") == []


async def test_the_list_reads_a_fixed_number_of_statements(admin_client: httpx.AsyncClient) -> None:
    client = admin_client

    async def statements() -> int:
        with count_queries() as counted:
            answer = await client.get("/api/v1/requests")
        assert answer.status_code == 200
        return len(counted)

    await send_request(client)
    await statements()  # the reference cache filled
    one = await statements()
    for _ in range(4):
        await send_request(client)
    assert await statements() == one


async def test_the_list_pages_with_a_signed_cursor_and_filters(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    numbers = [(await send_request(client, name=f"Клиент {i}"))["number"] for i in range(3)]
    first = (await client.get("/api/v1/requests", params={"limit": 2})).json()
    assert [r["number"] for r in first["items"]] == numbers[:0:-1]
    answer = await client.get("/api/v1/requests", params={"limit": 2, "cursor": first["next"]})
    assert answer.status_code == 200, answer.text
    rest = answer.json()
    assert [r["number"] for r in rest["items"]] == numbers[:1] and rest["next"] is None
    damaged = await client.get("/api/v1/requests", params={"cursor": first["next"][:-3] + "abc"})
    assert damaged.status_code in (400, 422)
    found = (await client.get("/api/v1/requests", params={"q": numbers[1]})).json()["items"]
    assert [r["number"] for r in found] == [numbers[1]]
    by_channel = (await client.get("/api/v1/requests", params={"channel": "phone"})).json()
    assert by_channel["items"] == []
    wrong = await client.get("/api/v1/requests", params={"status": "lost"})
    assert wrong.status_code == 400


async def test_custom_fields_of_requests_are_set_up_like_the_orders_ones(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    created = await client.post(
        "/api/v1/settings/orders/custom-fields",
        json={
            "entity": "request",
            "code": "floor",
            "label": "Этаж",
            "kind": "number",
            "required": True,
        },
    )
    assert created.status_code == 201, created.text
    form = await client.get("/request")
    assert 'name="custom.floor"' in form.text and "Этаж" in form.text
    missing = await client.post("/api/v1/public/requests", json={**REQUEST})
    assert missing.status_code == 422 and "custom.floor" in error_fields(missing)
    sent = await send_request(client, custom={"floor": "5"})
    query = ServiceRequest.select().where(ServiceRequest.number == sent["number"])
    row = await query.output(load_json=True).first()
    assert row is not None and row["custom"] == {"floor": "5"}
