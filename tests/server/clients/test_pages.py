"""Client pages: list, new-client form with errors and the duplicate warning, card, settings."""

from __future__ import annotations

import re

import httpx

from server.clients.tables import Client, Reminder
from tests.server.builders import make_employee
from tests.server.web.test_pages import csrf_of, form_login


async def logged_in(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")


async def test_new_client_form_error_next_to_field_keeps_input(client: httpx.AsyncClient) -> None:
    await logged_in(client)
    page = await client.get("/clients/new")
    assert page.status_code == 200
    response = await client.post(
        "/clients/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "kind": "company",
            "name": "ООО Ромашка",
            "inn": "7707083894",
            "phones": "+7 916 123-45-67",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert 'value="ООО Ромашка"' in html and "+7 916 123-45-67" in html
    assert re.search(r'id="e-inn">Неверное контрольное число ИНН', html)
    assert not await Client.exists()


async def test_duplicate_warning_before_saving_then_confirm(client: httpx.AsyncClient) -> None:
    await logged_in(client)
    page = await client.get("/clients/new")
    form = {"_csrf_token": csrf_of(page.text), "name": "Иван", "phones": "89161234567"}
    first = await client.post("/clients/new", data=form)
    assert first.status_code in (302, 303)
    warned = await client.post("/clients/new", data={**form, "name": "Иван Второй"})
    assert warned.status_code == 200
    assert 'data-testid="duplicates"' in warned.text and 'href="/clients/1"' in warned.text
    assert await Client.count() == 1
    confirmed = await client.post(
        "/clients/new", data={**form, "name": "Иван Второй", "confirm_duplicates": "1"}
    )
    assert confirmed.status_code in (302, 303)
    assert await Client.count() == 2


async def test_list_card_and_reminder_flow(client: httpx.AsyncClient) -> None:
    await logged_in(client)
    page = await client.get("/clients/new")
    await client.post(
        "/clients/new",
        data={"_csrf_token": csrf_of(page.text), "name": "Мария Иванова", "phones": "9031112233"},
    )
    listing = await client.get("/clients", params={"q": "1112233"})
    assert "Мария Иванова" in listing.text and 'data-testid="client-cards"' in listing.text
    card = await client.get("/clients/1")
    assert 'href="tel:+79031112233"' in card.text
    added = await client.post(
        "/clients/1/reminders",
        data={"_csrf_token": csrf_of(card.text), "text": "Позвонить", "due_at": "2020-01-01T10:00"},
    )
    assert added.status_code in (302, 303)
    reminders = await client.get("/reminders")
    assert "Позвонить" in reminders.text and "badge off" in reminders.text
    done = await client.post("/reminders/1/done", data={"_csrf_token": csrf_of(reminders.text)})
    assert done.status_code in (302, 303)
    assert (await Reminder.select(Reminder.done_at).first() or {}).get("done_at") is not None
    edit = await client.get("/clients/1/edit")
    assert edit.status_code == 200 and "Мария Иванова" in edit.text
    device = await client.get("/clients/1/devices/new")
    saved = await client.post(
        "/clients/1/devices/new",
        data={"_csrf_token": csrf_of(device.text), "brand_name": "Bosch", "serial": "SN1"},
    )
    assert saved.status_code in (302, 303)
    assert "Bosch" in (await client.get("/clients/1")).text


async def test_settings_pages(client: httpx.AsyncClient) -> None:
    await logged_in(client)
    page = await client.get("/settings/directories")
    assert page.status_code == 200
    token = csrf_of(page.text)
    await client.post("/settings/directories/brand", data={"_csrf_token": token, "name": "LG"})
    again = await client.post(
        "/settings/directories/brand", data={"_csrf_token": token, "name": "lg"}
    )
    assert again.status_code == 400 and "Такое название уже есть" in again.text
    loyalty = await client.get("/settings/loyalty")
    bad = await client.post(
        "/settings/loyalty",
        data={"_csrf_token": csrf_of(loyalty.text), "name": "Постоянный", "percent": "10"},
    )
    assert bad.status_code == 400 and 'value="Постоянный"' in bad.text
    good = await client.post(
        "/settings/loyalty",
        data={
            "_csrf_token": csrf_of(loyalty.text),
            "name": "Постоянный",
            "percent": "10",
            "min_completed_orders": "5",
        },
    )
    assert good.status_code in (302, 303)
    assert "Постоянный" in (await client.get("/settings/loyalty")).text
