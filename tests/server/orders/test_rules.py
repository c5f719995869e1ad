"""Transition rules, role limits, own-orders-only, field permissions, prices, status lookup."""

from __future__ import annotations

import httpx
from litestar import Litestar

from server.orders.tables import OrderStatus, StatusTransition
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client, make_device, price_item


def session(app: Litestar, ip: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 1)), base_url="http://t"
    )


async def test_technician_sees_and_moves_only_own_orders(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    mine = await make_employee("mine", roles=["technician"])
    await make_employee("other", roles=["technician"])
    await make_employee("anna", roles=["receiver"])
    client_id = await make_client()
    await login_as(client, "anna")
    own = await intake(client, client_id, technician_id=mine.id, declared_fault="Не включается")
    foreign = await intake(client, client_id, declared_fault="Шумит")
    async with session(app) as tech:
        await login_as(tech, "other")
        assert (await tech.get(f"/api/v1/orders/{own['id']}")).status_code == 404
        moved = await tech.post(
            f"/api/v1/orders/{own['id']}/status", json={"status": "diagnostics"}
        )
        assert moved.status_code == 404
        listed = (await tech.get("/api/v1/orders")).json()["items"]
        assert listed == []
    async with session(app) as tech:
        await login_as(tech, "mine")
        listed = (await tech.get("/api/v1/orders")).json()["items"]
        assert [o["id"] for o in listed] == [own["id"]]
        assert (await tech.get(f"/api/v1/orders/{foreign['id']}")).status_code == 404
        assert (
            await tech.post(f"/api/v1/orders/{own['id']}/status", json={"status": "diagnostics"})
        ).status_code == 200
        found = (await tech.get("/api/v1/orders", params={"q": "Иванов"})).json()["items"]
        assert [o["id"] for o in found] == [own["id"]]


async def test_transition_limited_to_roles_and_unknown_moves(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    client_id = await make_client()
    order = await intake(admin_client, client_id)
    url = f"/api/v1/orders/{order['id']}/status"
    assert (await admin_client.post(url, json={"status": "issued"})).status_code == 422
    assert (await admin_client.post(url, json={"status": "nonsense"})).status_code == 422
    await make_employee("disp", roles=["dispatcher"])
    await make_employee("tech", roles=["technician"])
    async with session(app) as tech:
        await login_as(tech, "tech")
        await admin_client.patch(
            f"/api/v1/orders/{order['id']}",
            json={"technician_id": (await tech.get("/api/v1/auth/me")).json()["id"]},
        )
        assert (await tech.post(url, json={"status": "cancelled"})).status_code == 403
    async with session(app) as disp:
        await login_as(disp, "disp")
        assert (await disp.post(url, json={"status": "cancelled"})).status_code == 200


async def test_closing_unpaid_needs_the_permission(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    client_id = await make_client()
    order = await intake(admin_client, client_id)
    url = f"/api/v1/orders/{order['id']}"
    service = await price_item("DIAG")
    await admin_client.post(f"{url}/lines", json={"price_item_id": service["id"]})
    for status in ("diagnostics", "in_repair", "ready"):
        assert (
            await admin_client.post(f"{url}/status", json={"status": status})
        ).status_code == 200
    await make_employee("anna", roles=["receiver"])
    async with session(app) as counter:
        await login_as(counter, "anna")
        refused = await counter.post(f"{url}/status", json={"status": "issued"})
        assert refused.status_code == 422
        assert "800.00" in refused.json()["detail"]
    closed = await admin_client.post(
        f"{url}/status", json={"status": "issued"}
    )  # managers may close unpaid
    assert closed.status_code == 200
    closed_line = await admin_client.post(f"{url}/lines", json={"price_item_id": service["id"]})
    assert closed_line.status_code == 422


async def test_needs_technician_rule_on_field_orders(admin_client: httpx.AsyncClient) -> None:
    client_id = await make_client()
    types = (await admin_client.get("/api/v1/order-types")).json()["items"]
    field_type = next(t for t in types if t["code"] == "field")
    order = await intake(admin_client, client_id, order_type_id=field_type["id"])
    refused = await admin_client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "scheduled"}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "status"


async def test_price_list_only_without_free_price(client: httpx.AsyncClient, app: Litestar) -> None:
    await make_employee("anna", roles=["receiver"])
    await make_employee("olga", roles=["manager"])
    client_id = await make_client()
    await login_as(client, "anna")
    order = await intake(client, client_id)
    url = f"/api/v1/orders/{order['id']}/lines"
    free = await client.post(url, json={"kind": "service", "name": "Что-то", "unit_price": "10"})
    assert free.status_code == 403
    async with session(app) as manager:
        await login_as(manager, "olga")
        item = await price_item("SCREEN")
        no_reason = await manager.post(
            url, json={"price_item_id": item["id"], "unit_price": "2000"}
        )
        assert no_reason.status_code == 422
        assert no_reason.json()["errors"][0]["field"] == "price_reason"
        ok = await manager.post(
            url,
            json={
                "price_item_id": item["id"],
                "unit_price": "2000",
                "price_reason": "Постоянный клиент",
            },
        )
        assert ok.status_code == 201
        line = ok.json()["lines"][0]
        assert (line["list_price"], line["unit_price"], line["price_reason"]) == (
            "2500.00",
            "2000.00",
            "Постоянный клиент",
        )
        custom = await manager.post(
            url,
            json={
                "kind": "good",
                "name": "Кабель USB-C",
                "unit_price": "350",
                "quantity": "2",
                "discount_percent": "10",
            },
        )
        assert custom.json()["total"] == "2630.00"


async def test_hidden_and_read_only_order_fields(client: httpx.AsyncClient, app: Litestar) -> None:
    await Role.update(
        {
            Role.field_permissions: {
                "order.total": "hidden",
                "order.amount_due": "hidden",
                "order.priority": "read",
                "order_line.purchase_price": "hidden",
            }
        }
    ).where(Role.code == "receiver")
    await make_employee("anna", roles=["receiver"])
    client_id = await make_client()
    await login_as(client, "anna")
    order = await intake(client, client_id, declared_fault="Трещина экрана")
    assert "total" not in order and "amount_due" not in order
    listed = (await client.get("/api/v1/orders")).json()["items"][0]
    assert "total" not in listed and "amount_due" not in listed
    searched = (await client.get("/api/v1/orders", params={"q": "трещина"})).json()["items"][0]
    assert "total" not in searched
    refused = await client.patch(f"/api/v1/orders/{order['id']}", json={"priority": "urgent"})
    assert refused.status_code == 403
    page = await client.get(f"/orders/{order['id']}")
    assert page.status_code == 200
    assert 'data-testid="amount-due"' not in page.text
    listing = await client.get("/orders")
    assert listing.status_code == 200


async def test_status_lookup_answers_the_same_for_wrong_number_and_wrong_code(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    async with session(app, "10.1.1.1") as customer:
        wrong_code = await customer.post(
            "/api/v1/public/status", json={"number": order["number"], "code": "XXXXXX"}
        )
        no_order = await customer.post(
            "/api/v1/public/status", json={"number": "99-999999", "code": order["public_code"]}
        )
        assert wrong_code.status_code == no_order.status_code == 200
        assert (
            wrong_code.json()
            == no_order.json()
            == {
                "found": False,
                "number": None,
                "status": None,
                "status_group": None,
                "device": None,
                "due_at": None,
                "amount_due": None,
                "visit_day": None,
                "visit_window_start": None,
                "visit_window_end": None,
            }
        )
        page = await customer.get(f"/status?number={order['number']}&code={order['public_code']}")
        assert f'value="{order["number"]}"' in page.text


async def test_status_lookup_is_throttled_per_address_not_for_the_customer(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    for attempt in range(5):
        async with session(app, f"10.2.0.{attempt}") as guesser:
            await guesser.post(
                "/api/v1/public/status", json={"number": order["number"], "code": f"AAAAA{attempt}"}
            )
    async with session(app, "10.3.0.1") as customer:  # guessers elsewhere lock nobody out
        found = await customer.post(
            "/api/v1/public/status", json={"number": order["number"], "code": order["public_code"]}
        )
        assert found.status_code == 200 and found.json()["found"] is True
    async with session(app, "10.4.0.1") as scanner:
        for n in range(20):
            await scanner.post(
                "/api/v1/public/status", json={"number": f"SCAN-{n:06d}", "code": "AAAAAA"}
            )
        assert (
            await scanner.post("/api/v1/public/status", json={"number": "x", "code": "y"})
        ).status_code == 429


async def test_list_filters_search_and_keyset_pages(admin_client: httpx.AsyncClient) -> None:
    ivanov = await make_client("Пётр Иванов", "+79031112233")
    sidorova = await make_client("Мария Сидорова", "+79035556677")
    device = await make_device(sidorova, serial="ABC998877")
    created = [
        await intake(admin_client, ivanov, declared_fault=f"Неисправность {i}") for i in range(7)
    ]
    special = await intake(admin_client, sidorova, device_id=device, priority="urgent")
    for q, expected in (
        ("сидорова", [special]),
        ("6677", [special]),
        ("ABC998", [special]),
        (special["number"], [special]),
    ):
        found = (await admin_client.get("/api/v1/orders", params={"q": q})).json()["items"]
        assert [o["id"] for o in found] == [o["id"] for o in expected], q
    urgent = (await admin_client.get("/api/v1/orders", params={"priority": "urgent"})).json()[
        "items"
    ]
    assert [o["id"] for o in urgent] == [special["id"]]
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await admin_client.get("/api/v1/orders", params=params)).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(o["id"] for o in [*created, special])
    assert len(seen) == len(set(seen))
    bad = await admin_client.get("/api/v1/orders", params={"cursor": "broken!"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


async def test_stale_version_is_a_conflict(admin_client: httpx.AsyncClient) -> None:
    order = await intake(admin_client, await make_client())
    url = f"/api/v1/orders/{order['id']}"
    first = await admin_client.patch(url, json={"version": order["version"], "declared_fault": "A"})
    assert first.status_code == 200
    second = await admin_client.patch(
        url, json={"version": order["version"], "declared_fault": "B"}
    )
    assert second.status_code == 409


async def test_locked_timeline_event_is_hidden_from_chosen_roles(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    tech = await make_employee("tech", roles=["technician"])
    order = await intake(admin_client, await make_client(), technician_id=tech.id)
    url = f"/api/v1/orders/{order['id']}/timeline"
    note = await admin_client.post(
        url, json={"text": "Клиент конфликтный", "hidden_from_roles": ["technician"]}
    )
    assert note.status_code == 201
    await admin_client.post(url, json={"text": "Позвонить после 18:00", "kind": "call"})
    async with session(app) as bench:
        await login_as(bench, "tech")
        texts = [e["text"] for e in (await bench.get(url)).json()["items"]]
        assert "Позвонить после 18:00" in texts and "Клиент конфликтный" not in texts
        cursor = (await bench.get(url)).json()["cursor"]
        await admin_client.post(url, json={"text": "Новое событие"})
        newer = (await bench.get(url, params={"after": cursor})).json()["items"]
        assert [e["text"] for e in newer] == ["Новое событие"]


async def test_workflow_is_configurable_data(admin_client: httpx.AsyncClient) -> None:
    order = await intake(admin_client, await make_client())
    new = await OrderStatus.select(OrderStatus.id).where(OrderStatus.code == "new").first()
    ready = await OrderStatus.select(OrderStatus.id).where(OrderStatus.code == "ready").first()
    assert new and ready
    await StatusTransition(
        order_type=order["type"]["id"], from_status=new["id"], to_status=ready["id"], role_codes=[]
    ).save()
    moves = [
        s["code"]
        for s in (await admin_client.get(f"/api/v1/orders/{order['id']}")).json()["next_statuses"]
    ]
    assert "ready" in moves
    refused = await admin_client.post(
        f"/api/v1/orders/{order['id']}/status", json={"status": "ready"}
    )
    assert refused.status_code == 422  # the new transition still checks the target's rules


async def test_loyalty_rule_discount_is_applied_and_explained(
    admin_client: httpx.AsyncClient,
) -> None:
    regular = await make_client("Постоянный Клиент", "+79037778899")
    rule = await admin_client.post(
        "/api/v1/settings/loyalty-rules",
        json={"name": "Постоянный клиент", "min_completed_orders": 1, "percent": "10"},
    )
    assert rule.status_code == 201, rule.text
    first = await intake(admin_client, regular)
    assert first["discount_percent"] == "0.00"
    url = f"/api/v1/orders/{first['id']}"
    await admin_client.post(
        f"{url}/lines", json={"price_item_id": (await price_item("DIAG"))["id"]}
    )
    for status in ("diagnostics", "in_repair", "ready", "issued"):
        assert (
            await admin_client.post(f"{url}/status", json={"status": status})
        ).status_code == 200
    second = await intake(admin_client, regular)
    assert second["discount_percent"] == "10.00"
    assert "Постоянный клиент" in second["discount_reason"]
    line = await admin_client.post(
        f"/api/v1/orders/{second['id']}/lines",
        json={"price_item_id": (await price_item("BATT"))["id"]},
    )
    body = line.json()
    assert (body["subtotal"], body["discount_amount"], body["total"]) == (
        "1200.00",
        "120.00",
        "1080.00",
    )


async def test_keyset_pages_in_every_sort_with_empty_due_dates(
    admin_client: httpx.AsyncClient,
) -> None:
    client_id = await make_client()
    made = [await intake(admin_client, client_id) for _ in range(9)]
    for order in made[::3]:  # a third without a due date
        await admin_client.patch(f"/api/v1/orders/{order['id']}", json={"due_at": None})
    for order in made[1::3]:  # and some sharing one due date
        await admin_client.patch(
            f"/api/v1/orders/{order['id']}", json={"due_at": "2026-12-01T18:00:00+03:00"}
        )
    expected = sorted(o["id"] for o in made)
    for sort in ("-created", "created", "due", "-due"):
        seen, cursor = [], None
        while True:
            params = {"limit": 2, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = (await admin_client.get("/api/v1/orders", params=params)).json()
            seen += [o["id"] for o in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert sorted(seen) == expected, sort
        assert len(seen) == len(set(seen)), sort


async def test_client_change_renews_order_search_in_one_statement(
    admin_client: httpx.AsyncClient,
) -> None:
    from tests.querycount import count_queries

    client_id = await make_client("Алла Старая", "+79001234000")
    made = [await intake(admin_client, client_id, declared_fault=f"Поломка {i}") for i in range(6)]
    with count_queries() as counted:
        renamed = await admin_client.patch(
            f"/api/v1/clients/{client_id}", json={"name": "Алла Новая"}
        )
    assert renamed.status_code == 200, renamed.text
    queries_for_six = len(counted)
    found = (await admin_client.get("/api/v1/orders", params={"q": "Новая поломка 3"})).json()[
        "items"
    ]
    assert [o["id"] for o in found] == [made[3]["id"]]
    assert (await admin_client.get("/api/v1/orders", params={"q": "Старая"})).json()["items"] == []
    await intake(admin_client, client_id)
    with count_queries() as counted:
        await admin_client.patch(f"/api/v1/clients/{client_id}", json={"name": "Алла Третья"})
    assert len(counted) == queries_for_six  # not one batch per order
