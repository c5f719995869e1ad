"""The order card (issue 14): essentials at the top with the client's phone and the estimate,
one print menu, one money format, the price list led by the order's kind of device, only
technicians in the technician select, and a timeline newest first with names and one event
per attachment."""

from __future__ import annotations

import re

import httpx

from server import clock
from server.audit import services as audit
from server.clients.tables import Device, DeviceType
from server.staff.services import system_actor
from tests.server.builders import make_employee
from tests.server.files.test_attachments import jpeg
from tests.server.orders.builders import intake, make_client, make_device, price_item
from tests.server.web.test_pages import csrf_of, form_login


async def _boss(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]


def _section(html: str, testid: str) -> str:
    """The HTML of the element marked data-testid=`testid` up to the next section's start."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : start + 6000]


async def test_card_shows_the_essentials_first_and_printing_in_one_menu(
    client: httpx.AsyncClient,
) -> None:
    await _boss(client)
    master = await make_employee("orlov", roles=["technician"], full_name="Иван Орлов")
    made = await client.post(
        "/api/v1/clients", json={"name": "Пётр Сидоров", "phones": ["8 916 123-45-67"]}
    )
    assert made.status_code == 201, made.text
    client_id = made.json()["id"]
    order = await intake(
        client,
        client_id,
        device_id=await make_device(client_id),
        declared_fault="Не сливает воду",
        estimated_cost="5000",
        technician_id=master.id,
    )
    html = (await client.get(f"/orders/{order['id']}")).text
    essentials = html.split('data-testid="essentials"', 1)[1].split("</section>", 1)[0]
    assert 'href="tel:+79161234567"' in essentials and "+7 916 123-45-67" in essentials
    assert "5\u00a0000,00\u00a0₽" in essentials  # the estimate
    assert "Иван Орлов" in essentials and "Не сливает воду" in essentials
    assert "Bosch" in essentials and "Пётр Сидоров" in essentials
    # One «Print» button: the documents are the items of its menu, not blocks above the works.
    assert html.count('data-testid="print"') == 1
    menu = html.split('data-testid="print"', 1)[1].split("</details>", 1)[0]
    assert menu.count("<summary") == 1
    for kind in ("receipt", "handover-act", "work-act", "invoice", "label"):
        assert f'data-testid="print-{kind}"' in menu
    assert html.index('data-testid="essentials"') < html.index('data-testid="works"')


async def test_lines_and_totals_in_one_money_format(client: httpx.AsyncClient) -> None:
    await _boss(client)
    order = await intake(client, await make_client())
    card = await client.get(f"/orders/{order['id']}")
    diagnostics = await price_item("DIAG")
    added = await client.post(
        f"/orders/{order['id']}/lines",
        data={"_csrf_token": csrf_of(card.text), "price_item_id": diagnostics["id"]},
    )
    assert added.status_code in (302, 303), added.text
    html = (await client.get(f"/orders/{order['id']}")).text
    lines = _section(html, "lines")
    price = f"{diagnostics['price']:,.2f}".replace(",", "\u00a0").replace(".", ",")
    assert f"1 × {price}\u00a0₽" in lines, lines[:600]
    assert not re.search(r"\d\.\d+ ×|\d\.\d\d ₽", html.split('data-testid="timeline"')[0])
    assert f"<strong>{price}\u00a0₽</strong>" in _section(html, "amount-due")
    # The timeline tells the line in the same format.
    feed = _section(html, "timeline")
    assert f"Диагностика × 1 = {price}\u00a0₽" in feed


async def test_price_list_offers_the_device_kinds_items_first(client: httpx.AsyncClient) -> None:
    await _boss(client)
    owner = await make_client()
    washer = await make_device(owner, serial="W1")
    phone_type = await DeviceType.objects().get_or_create(DeviceType.name == "Смартфон")
    phone = await make_device(owner, serial="P1")
    await Device.update({Device.device_type: phone_type.id}).where(Device.id == phone)
    earlier = await intake(client, owner, device_id=washer)
    token = csrf_of((await client.get(f"/orders/{earlier['id']}")).text)
    pump = await price_item("WASH-PUMP")
    await client.post(
        f"/orders/{earlier['id']}/lines", data={"_csrf_token": token, "price_item_id": pump["id"]}
    )
    washing = await intake(client, owner, device_id=washer)
    smartphone = await intake(client, owner, device_id=phone)

    html = (await client.get(f"/orders/{washing['id']}")).text
    suggested = html.split('data-testid="prices-suggested"', 1)[1].split("</optgroup>", 1)[0]
    assert f'<option value="{pump["id"]}"' in suggested
    assert "Для «Стиральная машина»" in html
    select = html.split('id="f-price_item_id"', 1)[1].split("</select>", 1)[0]
    assert "data-combobox" in html.split('id="f-price_item_id"', 1)[1][:200]
    assert select.count(f'value="{pump["id"]}"') == 1  # listed once, in its group

    other = (await client.get(f"/orders/{smartphone['id']}")).text
    assert 'data-testid="prices-suggested"' not in other  # nothing used for phones yet
    assert f'<option value="{pump["id"]}"' in other


async def test_technician_select_lists_only_those_who_repair(client: httpx.AsyncClient) -> None:
    await _boss(client)
    for login, role in (
        ("anna", "receiver"),
        ("disp", "dispatcher"),
        ("deal", "dealer"),
        ("bench", "technician"),
        ("road", "field_technician"),
    ):
        await make_employee(login, roles=[role], full_name=f"Сотрудник {login}")
    order = await intake(client, await make_client())
    html = (await client.get(f"/orders/{order['id']}")).text
    select = html.split('id="f-technician"', 1)[1].split("</select>", 1)[0]
    assert "Сотрудник bench" in select and "Сотрудник road" in select
    for other in ("anna", "disp", "deal", "boss"):
        assert f"Сотрудник {other}" not in select and "Test boss" not in select
    intake_page = (await client.get("/orders/new")).text
    chooser = intake_page.split('id="f-technician_id"', 1)[1].split("</select>", 1)[0]
    assert "Сотрудник bench" in chooser and "Сотрудник anna" not in chooser
    # Someone else already assigned stays shown (saving the form must not drop them).
    anna = await make_employee("anna2", roles=["receiver"], full_name="Анна Приёмщица")
    await client.patch(f"/api/v1/orders/{order['id']}", json={"technician_id": anna.id})
    html = (await client.get(f"/orders/{order['id']}")).text
    select = html.split('id="f-technician"', 1)[1].split("</select>", 1)[0]
    assert re.search(rf'<option value="{anna.id}" selected>Анна Приёмщица', select)


async def test_timeline_newest_first_with_names_and_one_event_per_attachment(
    client: httpx.AsyncClient,
) -> None:
    await _boss(client)
    master = await make_employee("orlov", roles=["technician"], full_name="Иван Орлов")
    order = await intake(client, await make_client())
    # A change stored with an employee's id (as the demo's history has them) reads as a name.
    await audit.record(
        system_actor(), "order", order["id"], "update", {"technician": [None, master.id]},
        scope=f"order:{order['id']}",
    )  # fmt: skip
    url = f"/api/v1/orders/{order['id']}/timeline"
    for text in ("Первый", "Второй"):
        assert (await client.post(url, json={"text": text})).status_code == 201
    card = await client.get(f"/orders/{order['id']}")
    uploaded = await client.post(
        f"/orders/{order['id']}/attachments",
        data={"_csrf_token": csrf_of(card.text), "caption": "Шильдик"},
        files={"file": ("plate.jpg", jpeg(), "image/jpeg")},
    )
    assert uploaded.status_code in (302, 303)

    feed = (await client.get(url)).json()["items"]
    assert [e["kind"] for e in feed].count("attachment") == 1
    assert next(e for e in feed if e["kind"] == "update")["changes"]["technician"] == [
        None,
        "Иван Орлов",
    ]
    html = (await client.get(f"/orders/{order['id']}")).text
    timeline = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    assert timeline.index("plate.jpg") < timeline.index("Второй") < timeline.index("Первый")
    assert timeline.count("plate.jpg") == 2  # the picture's alt and its name, in one event
    assert timeline.count('class="event ') == len(feed)
    assert "Мастер: — → Иван Орлов" in timeline and f"→ {master.id}<" not in timeline
    year = str(clock.today().year)
    assert re.search(rf"\d\d\.\d\d\.{year} \d\d:\d\d", timeline)
    assert 'data-testid="hidden-from"' not in timeline  # nothing is hidden from anyone


async def test_hidden_from_shown_only_on_hidden_entries(client: httpx.AsyncClient) -> None:
    await _boss(client)
    order = await intake(client, await make_client())
    url = f"/api/v1/orders/{order['id']}/timeline"
    await client.post(url, json={"text": "Всем"})
    await client.post(url, json={"text": "Не мастеру", "hidden_from_roles": ["technician"]})
    html = (await client.get(f"/orders/{order['id']}")).text
    timeline = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    events = timeline.split('<li class="event')[1:]
    hidden = [e for e in events if 'data-testid="hidden-from"' in e]
    assert len(hidden) == 1 and "Не мастеру" in hidden[0]
    assert "Скрыто от: Мастер" in hidden[0]


async def test_live_refresh_gets_newer_events_as_html(client: httpx.AsyncClient) -> None:
    await _boss(client)
    order = await intake(client, await make_client())
    html = (await client.get(f"/orders/{order['id']}")).text
    cursor = re.search(r'data-cursor="([^"]+)"', html)
    assert cursor
    url = f"/api/v1/orders/{order['id']}/timeline"
    await client.post(url, json={"text": "Позвонил клиент"})
    await client.post(url, json={"text": "Перезвонил"})
    fresh = await client.get(f"/orders/{order['id']}/events", params={"after": cursor.group(1)})
    assert fresh.status_code == 200
    assert fresh.text.index("Перезвонил") < fresh.text.index("Позвонил клиент")
    assert 'data-event="a' not in fresh.text and fresh.headers["x-timeline-cursor"] != cursor.group(
        1
    )
    again = await client.get(
        f"/orders/{order['id']}/events", params={"after": fresh.headers["x-timeline-cursor"]}
    )
    assert "event" not in again.text
    damaged = await client.get(f"/orders/{order['id']}/events", params={"after": "zz"})
    assert damaged.status_code == 422 and "reload the order" not in damaged.text
