"""Order pages through real form posts: intake with a new client and device, the card's actions."""

from __future__ import annotations

import re

import httpx

from server.clients.tables import Client, Device
from tests.server.builders import make_employee, open_cash_shift
from tests.server.web.test_pages import csrf_of, form_login


async def test_intake_form_creates_client_device_and_order(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    master = await make_employee("master", roles=["technician"])
    await form_login(client, "anna")
    page = await client.get("/orders/new")
    assert page.status_code == 200
    token = csrf_of(page.text)
    form = {
        "_csrf_token": token,
        "new_client_name": "Ольга Петрова",
        "new_client_phone": "8 (905) 111-22-33",
        "new_device_brand": "Samsung",
        "new_device_model": "Galaxy A52",
        "new_device_serial": "R58N12345",
        "declared_fault": "Разбит экран",
        "accessories": "Чехол",
        "prepayment": "abc",
        "technician_id": str(master.id),
    }
    bad = await client.post("/orders/new", data=form)
    assert bad.status_code == 400
    assert "Разбит экран" in bad.text  # nothing typed is lost
    # the failed intake left no half-made client or device behind
    assert not await Client.exists().where(Client.name == "Ольга Петрова")
    assert 'value="Ольга Петрова"' in bad.text and 'value="R58N12345"' in bad.text
    form.update(prepayment="1000")
    no_shift = await client.post("/orders/new", data=form)
    assert no_shift.status_code == 400  # money is taken only with the desk's shift open
    assert 'id="e-prepayment"' in no_shift.text and 'value="R58N12345"' in no_shift.text
    assert not await Client.exists().where(Client.name == "Ольга Петрова")
    await open_cash_shift(client)
    response = await client.post("/orders/new", data=form)
    assert response.status_code in (302, 303), response.text
    order_url = response.headers["location"]
    card = await client.get(order_url)
    assert "Разбит экран" in card.text and "R58N12345" in card.text
    assert await Device.count().where(Device.serial == "R58N12345") == 1
    assert await Client.count().where(Client.name == "Ольга Петрова") == 1
    assert re.search(r"\d\d-\d{6}", card.text)


async def test_card_actions_add_line_move_status_and_comment(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    page = await client.get("/orders/new")
    created = await client.post(
        "/orders/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "new_client_name": "Антон Ким",
            "declared_fault": "Не греет",
        },
    )
    url = created.headers["location"].split("?")[0]  # the card opens with ?accepted=1
    card = await client.get(url)
    token = csrf_of(card.text)
    price_id = re.search(r'<option value="(\d+)"[^>]*>Диагностика', card.text)
    assert price_id
    added = await client.post(
        f"{url}/lines",
        data={"_csrf_token": token, "price_item_id": price_id.group(1), "quantity": "1"},
    )
    assert added.status_code in (302, 303)
    wrong = await client.post(f"{url}/status", data={"_csrf_token": token, "status": "ready"})
    assert wrong.status_code == 400
    assert "нельзя перевести" in wrong.text
    moved = await client.post(
        f"{url}/status",
        data={"_csrf_token": token, "status": "diagnostics", "comment": "Взял в работу"},
    )
    assert moved.status_code in (302, 303)
    said = await client.post(
        f"{url}/events",
        data={"_csrf_token": token, "text": "Клиент просил перезвонить", "kind": "call"},
    )
    assert said.status_code in (302, 303)
    card = (await client.get(url)).text
    assert "Диагностика" in card and "Взял в работу" in card and "Клиент просил перезвонить" in card
    assert "800.00" in card
    listing = await client.get("/orders?group=in_work")
    assert "Антон Ким" in listing.text
    columns = await client.post(
        "/orders/columns",
        data={
            "_csrf_token": token,
            "columns[]": ["client", "number"],
            "pos:client": "1",
            "pos:number": "2",
        },
    )
    assert columns.status_code in (302, 303)
    table = (await client.get("/orders")).text
    head = table.split('data-testid="order-table"')[1].split("</thead>")[0]
    assert head.index("Клиент") < head.index("Номер")


async def test_orders_page_filters_and_names_in_assignment_history(
    client: httpx.AsyncClient,
) -> None:
    from tests.server.orders.builders import intake, make_client

    await make_employee("boss", roles=["admin"])
    master = await make_employee("master", roles=["technician"], full_name="Семён Мастеров")
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    first = await intake(
        client, await make_client("Первый Клиент", "+79001110001"), priority="urgent"
    )
    await intake(client, await make_client("Второй Клиент", "+79001110002"))
    urgent = await client.get("/orders", params={"priority": "urgent"})
    assert "Первый Клиент" in urgent.text and "Второй Клиент" not in urgent.text
    assert 'data-testid="filters"' in urgent.text
    await client.patch(f"/api/v1/orders/{first['id']}", json={"technician_id": master.id})
    feed = (await client.get(f"/api/v1/orders/{first['id']}/timeline")).json()["items"]
    update = next(e for e in feed if e["kind"] == "update")
    assert update["changes"]["technician"] == [None, "Семён Мастеров"]
    mine = await client.get("/orders", params={"assignee": str(master.id)})
    assert "Первый Клиент" in mine.text and "Второй Клиент" not in mine.text


async def test_home_shows_my_orders_by_stage(client: httpx.AsyncClient) -> None:
    from tests.server.orders.builders import intake, make_client

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    mine = await intake(client, await make_client(), technician_id=tech.id)
    await intake(client, await make_client("Другой", "+79001112233"))
    await client.post(f"/api/v1/orders/{mine['id']}/status", json={"status": "diagnostics"})
    boss_home = (await client.get("/")).text
    assert "Новые: 1" in boss_home and "В работе: 1" in boss_home
    await client.post("/logout", data={"_csrf_token": csrf_of(boss_home)})
    await form_login(client, "tech")
    tech_home = (await client.get("/")).text
    assert "Мои заказы" in tech_home
    assert "Новые: 0" in tech_home and "В работе: 1" in tech_home


async def test_list_pages_offer_export_with_the_current_filters(client: httpx.AsyncClient) -> None:
    await make_employee("olga", roles=["manager"])
    await make_employee("tech", roles=["technician"])
    await form_login(client, "olga")
    orders = (await client.get("/orders", params={"priority": "urgent", "q": "насос"})).text
    link = re.search(r'href="(/api/v1/orders/export[^"]+)"', orders)
    assert link
    href = link.group(1).replace("&amp;", "&")
    assert "priority=urgent" in href and "q=" in href
    exported = await client.get(href)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'data-testid="export"' in (await client.get("/clients")).text
    await client.post("/logout", data={"_csrf_token": csrf_of(orders)})
    await form_login(client, "tech")
    assert 'data-testid="export"' not in (await client.get("/orders")).text


async def test_card_locks_an_event_and_prints_with_a_chosen_template(
    client: httpx.AsyncClient, app: object
) -> None:
    import printforms
    from tests.server.orders.builders import intake, make_client

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    order = await intake(client, await make_client(), technician_id=tech.id)
    url = f"/orders/{order['id']}"
    await client.post(f"/api/v1/orders/{order['id']}/timeline", json={"text": "Только для своих"})
    card = await client.get(url)
    event_id = re.search(r"/events/(e\d+)/lock", card.text)
    assert event_id
    locked = await client.post(
        f"{url}/events/{event_id.group(1)}/lock",
        data={"_csrf_token": csrf_of(card.text), "hidden_from_roles[]": ["technician"]},
    )
    assert locked.status_code in (302, 303)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 4))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as bench:
        await form_login(bench, "tech")
        assert "Только для своих" not in (await bench.get(url)).text
    template = await client.post(
        "/api/v1/print-templates",
        json={
            "kind": "receipt",
            "name": "Квитанция с печатью",
            "source": printforms.default_template("receipt"),
        },
    )
    assert template.status_code == 201, template.text
    card = (await client.get(url)).text
    link = re.search(rf'href="([^"]+template={template.json()["id"]})"', card)
    assert link and "Квитанция с печатью</a>" in card
    pdf = await client.get(link.group(1).replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
