"""Responsibles on orders: set by rule at the counter (the intake page, real HTTP), shown on
the card «by rule», changed by a person as an override recorded in `assignment` and on the
timeline; expert and service center changed through the update API and the card."""

from __future__ import annotations

import re

import httpx

from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import make_client, make_device
from tests.server.responsibles.builders import center, order_for, person, rule


async def csrf(client: httpx.AsyncClient, path: str) -> str:
    """The CSRF token of a page's form."""
    page = await client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_an_order_taken_at_the_counter_gets_responsibles_by_rule(
    admin_client: httpx.AsyncClient,
) -> None:
    samsung = await person("sam", manufacturers=["Samsung"], full_name="Семён Самсунгов")
    expert = await person("ex", full_name="Эксперт Экспертов")
    center_id = await center(admin_client, "АСЦ Самсунг", ["Samsung"])
    await rule(admin_client, "Samsung at the counter",
               conditions={"brands": ["Samsung"], "channels": ["counter"]},
               targets={"technician": [samsung], "expert": [expert],
                        "service_center": [center_id]})  # fmt: skip
    client_id = await make_client("Пётр Петров")
    device_id = await make_device(client_id, brand="Samsung")
    token = await csrf(admin_client, f"/orders/new?client={client_id}")
    sent = await admin_client.post(
        "/orders/new",
        data={"_csrf_token": token, "client_id": str(client_id), "device_id": str(device_id),
              "declared_fault": "Не включается", "priority": "normal", "technician_id": ""},
    )  # fmt: skip
    assert sent.status_code in (302, 303), sent.text
    order_id = int(sent.headers["location"].split("?")[0].rsplit("/", 1)[1])
    order = (await admin_client.get(f"/api/v1/orders/{order_id}")).json()
    assert order["technician_id"] == samsung
    assert order["expert_id"] == expert
    assert order["service_center_id"] == center_id
    assert order["assignment"]["technician"]["rule_name"] == "Samsung at the counter"
    card = await admin_client.get(f"/orders/{order_id}")
    assert card.status_code == 200
    block = card.text.split('data-testid="responsibles"', 1)[1].split("</ul>", 1)[0]
    assert "Семён Самсунгов" in block and "АСЦ Самсунг" in block and "Эксперт Экспертов" in block
    assert block.count("по правилу «Samsung at the counter»") == 3


async def test_a_persons_change_overrides_the_rule_on_the_card_and_timeline(
    admin_client: httpx.AsyncClient,
) -> None:
    by_rule = await person("rule", full_name="Назначен Правилом")
    chosen = await person("person", full_name="Выбран Человеком")
    expert = await person("ex", full_name="Эксперт Один")
    center_id = await center(admin_client, "АСЦ Север")
    await rule(admin_client, "Default technician", targets={"technician": [by_rule]})
    order = await order_for(admin_client, "Bosch")
    assert order["technician_id"] == by_rule
    changed = await admin_client.patch(
        f"/api/v1/orders/{order['id']}",
        json={"technician_id": chosen, "expert_id": expert, "service_center_id": center_id},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["technician_id"] == chosen and body["expert_id"] == expert
    assert body["service_center_id"] == center_id
    boss = body["assignment"]["technician"]["by"]
    assert boss and "at" in body["assignment"]["technician"]
    assert body["assignment"]["expert"]["by"] == boss
    feed = (await admin_client.get(f"/api/v1/orders/{order['id']}/timeline")).json()["items"]
    notes = [e for e in feed if e["kind"] == "responsible"]
    texts = [n["text"] for n in notes]
    assert "Ответственный изменён: Мастер (правило «Default technician» переопределено)" in texts
    tech = next(n for n in notes if "technician" in n["changes"])
    assert tech["changes"]["technician"] == ["Назначен Правилом", "Выбран Человеком"]
    center_note = next(n for n in notes if "service_center" in n["changes"])
    assert center_note["changes"]["service_center"] == ["—", "АСЦ Север"]
    card = await admin_client.get(f"/orders/{order['id']}")
    assert "по правилу" not in card.text.split('data-testid="responsible-technician"', 1)[1][:400]
    assert "назначил(а)" in card.text

    wrong = await admin_client.patch(
        f"/api/v1/orders/{order['id']}", json={"service_center_id": 999999}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "service_center_id"
    gone = await admin_client.patch(f"/api/v1/orders/{order['id']}", json={"expert_id": 999999})
    assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "expert_id"


async def test_the_card_form_changes_expert_and_service_center(
    admin_client: httpx.AsyncClient,
) -> None:
    expert = await person("ex", full_name="Эксперт Формы")
    center_id = await center(admin_client, "АСЦ Форма")
    order = await order_for(admin_client)
    token = await csrf(admin_client, f"/orders/{order['id']}")
    sent = await admin_client.post(
        f"/orders/{order['id']}/assign",
        data={"_csrf_token": token, "version": str(order["version"]), "technician_id": "",
              "expert_id": str(expert), "service_center_id": str(center_id),
              "manager_id": str(order["manager_id"]), "priority": "normal"},
    )  # fmt: skip
    assert sent.status_code in (302, 303), sent.text
    after = (await admin_client.get(f"/api/v1/orders/{order['id']}")).json()
    assert after["expert_id"] == expert and after["service_center_id"] == center_id
    assert after["manager_id"] == order["manager_id"], "an unchanged manager is no override"
    assert "manager" not in after["assignment"]


async def test_hidden_responsible_fields_leave_no_trace_in_the_order(
    admin_client: httpx.AsyncClient,
) -> None:
    expert = await person("ex")
    await rule(admin_client, "Experts", targets={"expert": [expert]})
    role = await admin_client.post(
        "/api/v1/roles",
        json={"code": "blind_expert", "name": "Без эксперта",
              "permissions": {"orders": ["view", "edit", "create"], "special": ["all_orders"]},
              "field_permissions": {"order.expert_id": "hidden"}},
    )  # fmt: skip
    assert role.status_code == 201, role.text
    order = await order_for(admin_client)
    assert order["expert_id"] == expert
    await make_employee("blind", roles=["blind_expert"])
    await login_as(admin_client, "blind")
    seen = await admin_client.get(f"/api/v1/orders/{order['id']}")
    assert seen.status_code == 200, seen.text
    assert "expert_id" not in seen.json()
    assert "expert" not in seen.json().get("assignment", {})


async def test_an_expert_sees_the_orders_they_are_the_expert_of(
    admin_client: httpx.AsyncClient,
) -> None:
    expert = await person("expert1")
    await rule(admin_client, "Experts", conditions={"brands": ["Samsung"]},
               targets={"expert": [expert]})  # fmt: skip
    theirs = await order_for(admin_client, "Samsung")
    other = await order_for(admin_client, "Bosch")
    assert theirs["expert_id"] == expert and other.get("expert_id") is None
    await login_as(admin_client, "expert1")
    assert (await admin_client.get(f"/api/v1/orders/{theirs['id']}")).status_code == 200
    assert (await admin_client.get(f"/api/v1/orders/{other['id']}")).status_code == 404
    listed = (await admin_client.get("/api/v1/orders")).json()["items"]
    assert [o["id"] for o in listed] == [theirs["id"]]


async def test_a_dispatchers_bulk_assignment_is_an_override_too(
    admin_client: httpx.AsyncClient,
) -> None:
    from server.orders import api as orders
    from server.staff.services import load_actor

    by_rule, chosen = await person("rule1"), await person("chosen1")
    await rule(admin_client, "Default", targets={"technician": [by_rule]})
    order = await order_for(admin_client)
    assert order["assignment"]["technician"]["rule_name"] == "Default"
    boss = await load_actor(order["manager_id"])
    assert boss is not None
    await orders.assign_technicians(boss, {order["id"]: chosen})
    after = (await admin_client.get(f"/api/v1/orders/{order['id']}")).json()
    assert after["technician_id"] == chosen
    assert after["assignment"]["technician"]["by"] == boss.employee_id
    assert after["assignment"]["technician"]["at"]
    assert after["version"] == order["version"] + 1
