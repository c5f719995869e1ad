"""Orders settings: workflow, price list and custom fields are data that admins change."""

from __future__ import annotations

import httpx

from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client
from tests.server.web.test_pages import csrf_of, form_login

API = "/api/v1/settings/orders"


async def test_custom_fields_are_validated_searchable_and_filterable(
    admin_client: httpx.AsyncClient,
) -> None:
    types = (await admin_client.get(f"{API}/order-types")).json()["items"]
    warranty = next(t for t in types if t["code"] == "warranty")
    created = await admin_client.post(
        f"{API}/custom-fields",
        json={
            "entity": "order",
            "order_type": warranty["id"],
            "code": "coupon",
            "label": "Номер талона",
            "kind": "text",
            "required": True,
        },
    )
    assert created.status_code == 201, created.text
    await admin_client.post(
        f"{API}/custom-fields",
        json={
            "entity": "order",
            "code": "channel",
            "label": "Канал",
            "kind": "choice",
            "choices": ["сайт", "звонок"],
        },
    )
    client_id = await make_client()
    missing = await admin_client.post(
        "/api/v1/orders", json={"client_id": client_id, "order_type_id": warranty["id"]}
    )
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "custom.coupon"
    bad_choice = await admin_client.post(
        "/api/v1/orders", json={"client_id": client_id, "custom": {"channel": "голубиная почта"}}
    )
    assert bad_choice.json()["errors"][0]["field"] == "custom.channel"
    order = await intake(
        admin_client,
        client_id,
        order_type_id=warranty["id"],
        custom={"coupon": "GT-7781", "channel": "сайт"},
    )
    assert order["custom"] == {"coupon": "GT-7781", "channel": "сайт"}
    await intake(admin_client, client_id, custom={"channel": "звонок"})
    found = (await admin_client.get("/api/v1/orders", params={"q": "GT-7781"})).json()["items"]
    assert [o["id"] for o in found] == [order["id"]]
    filtered = (await admin_client.get("/api/v1/orders", params={"custom.channel": "сайт"})).json()[
        "items"
    ]
    assert [o["id"] for o in filtered] == [order["id"]]


async def test_new_status_and_transition_change_the_workflow(
    admin_client: httpx.AsyncClient,
) -> None:
    status = await admin_client.post(
        f"{API}/order-statuses",
        json={
            "code": "waiting_client",
            "name": "Ждём клиента",
            "color": "#8e24aa",
            "group": "waiting",
        },
    )
    assert status.status_code == 201
    bad = await admin_client.post(
        f"{API}/order-statuses", json={"code": "x y", "name": "A", "group": "nope"}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "code"
    order = await intake(admin_client, await make_client())
    new_id = order["status"]["id"]
    url = f"{API}/transitions/{order['type']['id']}"
    put = await admin_client.put(
        url,
        json={"from_status": new_id, "to_status": status.json()["id"], "role_codes": ["receiver"]},
    )
    assert put.status_code == 200
    moved = await admin_client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "waiting_client"}
    )
    assert moved.status_code == 200
    assert moved.json()["status"]["name"] == "Ждём клиента"


async def test_price_change_applies_to_new_lines_only(admin_client: httpx.AsyncClient) -> None:
    items = (await admin_client.get(f"{API}/price-items")).json()["items"]
    diag = next(i for i in items if i["code"] == "DIAG")
    order = await intake(admin_client, await make_client())
    await admin_client.post(
        f"/api/v1/orders/{order['id']}/lines", json={"price_item_id": diag["id"]}
    )
    changed = await admin_client.patch(f"{API}/price-items/{diag['id']}", json={"price": "950.00"})
    assert changed.json()["price"] == "950.00"
    refused = await admin_client.patch(f"{API}/price-items/{diag['id']}", json={"price": "-5"})
    assert refused.status_code == 422
    lines = (await admin_client.get(f"/api/v1/orders/{order['id']}/lines")).json()
    assert lines["items"][0]["unit_price"] == "800.00"


async def test_settings_need_the_settings_permission(client: httpx.AsyncClient) -> None:
    await make_employee("tech", roles=["technician"])
    await login_as(client, "tech")
    assert (await client.get(f"{API}/order-statuses")).status_code == 403
    assert (
        await client.post(f"{API}/price-items", json={"kind": "service", "name": "A", "price": "1"})
    ).status_code == 403
    assert (await client.get("/settings/workflow")).status_code == 403


async def test_settings_pages_add_records_and_show_errors(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    page = await client.get("/settings/prices")
    token = csrf_of(page.text)
    bad = await client.post(
        "/settings/prices",
        data={"_csrf_token": token, "kind": "part", "name": "Ремень", "price": "много"},
    )
    assert bad.status_code == 400
    assert 'value="Ремень"' in bad.text
    ok = await client.post(
        "/settings/prices",
        data={"_csrf_token": token, "kind": "part", "name": "Ремень 1270 J5", "price": "890"},
    )
    assert ok.status_code in (302, 303)
    assert "Ремень 1270 J5" in (await client.get("/settings/prices")).text
    workflow = await client.get("/settings/workflow")
    assert workflow.status_code == 200 and 'data-testid="transitions"' in workflow.text
    fields = await client.get("/settings/custom-fields")
    added = await client.post(
        "/settings/custom-fields",
        data={
            "_csrf_token": csrf_of(fields.text),
            "entity": "order",
            "label": "Гарантийный талон",
            "code": "ticket",
            "kind": "text",
        },
    )
    assert added.status_code in (302, 303)
    assert "Гарантийный талон" in (await client.get("/settings/custom-fields")).text


async def test_custom_fields_on_intake_form_and_order_card(client: httpx.AsyncClient) -> None:
    from server.orders.tables import CustomField

    await CustomField(
        entity="order",
        code="channel",
        label="Канал обращения",
        kind="choice",
        choices=["сайт", "звонок"],
    ).save()
    await CustomField(
        entity="order", code="urgent_call", label="Перезвонить срочно", kind="checkbox"
    ).save()
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    page = await client.get("/orders/new")
    assert "Канал обращения" in page.text
    bad = await client.post(
        "/orders/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "new_client_name": "Вера Листова",
            "custom.channel": "почта",
        },
    )
    assert bad.status_code == 400
    assert "Выберите одно из предложенных значений" in bad.text
    made = await client.post(
        "/orders/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "new_client_name": "Вера Листова",
            "custom.channel": "сайт",
            "custom.urgent_call": "true",
        },
    )
    url = made.headers["location"].split("?")[0]  # the card opens with the «accepted» notice
    card = await client.get(url)
    assert "<dt>Канал обращения</dt><dd>сайт</dd>" in card.text
    assert "<dt>Перезвонить срочно</dt><dd>да</dd>" in card.text
    saved = await client.post(
        f"{url}/custom", data={"_csrf_token": csrf_of(card.text), "custom.channel": "звонок"}
    )
    assert saved.status_code in (302, 303)
    order_id = int(url.rsplit("/", 1)[1])
    order = (await client.get(f"/api/v1/orders/{order_id}")).json()
    assert order["custom"] == {"channel": "звонок", "urgent_call": False}
