"""The intake page (issue 14): one client card, «ФИО» for a person and «Название» for a
company, the address stored on the client (new or chosen), a failed save keeping all that was
typed, and the card opening with «Заказ № … принят» and the receipt at hand."""

from __future__ import annotations

import re

import httpx

from server.clients.tables import Client, ClientAddress
from tests.server.builders import make_employee, open_cash_shift
from tests.server.orders.builders import make_client
from tests.server.web.test_pages import csrf_of, form_login


async def _receiver(client: httpx.AsyncClient) -> str:
    await make_employee("anna", roles=["receiver"])
    await form_login(client, "anna")
    await open_cash_shift(client)
    return csrf_of((await client.get("/orders/new")).text)


def _label(html: str, name: str) -> str:
    found = re.search(rf'<label for="f-{name}">([^<]*)</label>', html)
    assert found, name
    return found.group(1)


async def test_one_client_card_and_the_name_label_by_kind(client: httpx.AsyncClient) -> None:
    await _receiver(client)
    page = (await client.get("/orders/new")).text
    assert page.count("<h2>Клиент</h2>") == 1
    assert _label(page, "new_client_name") == "ФИО"
    assert _label(page, "new_client_address") == "Адрес"
    assert 'form="client-search"' in page and "data-combobox-url" in page
    assert 'data-name-label="Название"' in page  # what the label becomes for a company
    found = (await client.get("/orders/new", params={"client_q": "Иван"})).text
    assert found.count("<h2>Клиент</h2>") == 1


async def test_new_client_gets_the_address_and_the_card_confirms(client: httpx.AsyncClient) -> None:
    token = await _receiver(client)
    form = {
        "_csrf_token": token,
        "new_client_kind": "company",
        "new_client_name": "ООО Ромашка",
        "new_client_phone": "+7 916 555-12-34",
        "new_client_address": "Москва, ул. Тверская, 7",
        "declared_fault": "Не включается",
        "prepayment": "много",
    }
    failed = await client.post("/orders/new", data=form)
    assert failed.status_code == 400
    assert 'value="Москва, ул. Тверская, 7"' in failed.text and "Не включается" in failed.text
    assert _label(failed.text, "new_client_name") == "Название"  # the company stays a company
    assert re.search(r'value="company" checked', failed.text)
    assert not await Client.exists().where(Client.name == "ООО Ромашка")

    form["prepayment"] = "500"
    done = await client.post("/orders/new", data=form)
    assert done.status_code in (302, 303), done.text
    location = done.headers["location"]
    assert location.endswith("?accepted=1")
    created = await Client.select(Client.id, Client.kind).where(Client.name == "ООО Ромашка")
    assert created[0]["kind"] == "company"
    addresses = await ClientAddress.select(ClientAddress.address).where(
        ClientAddress.client == created[0]["id"]
    )
    assert [a["address"] for a in addresses] == ["Москва, ул. Тверская, 7"]

    card = (await client.get(location)).text
    number = re.search(r"<h1>(\d\d-\d{6})", card)
    assert number
    notice = card.split('data-testid="accepted"', 1)[1].split("</div>", 1)[0]
    assert f"Заказ № {number.group(1)} принят" in notice
    assert "/documents/receipt?format=pdf" in notice
    plain = (await client.get(location.split("?")[0])).text
    assert 'data-testid="accepted"' not in plain


async def test_a_chosen_client_without_an_address_gets_the_typed_one(
    client: httpx.AsyncClient,
) -> None:
    token = await _receiver(client)
    client_id = await make_client("Мария Ким", "+79031112233")
    page = (await client.get("/orders/new", params={"client": client_id})).text
    assert page.count("<h2>Клиент</h2>") == 1 and "Мария Ким" in page
    assert 'name="new_client_address"' in page
    done = await client.post(
        "/orders/new",
        data={
            "_csrf_token": token,
            "client_id": str(client_id),
            "new_client_address": "Химки, Ленинский пр., 3",
            "declared_fault": "Шумит",
        },
    )
    assert done.status_code in (302, 303), done.text
    stored = await ClientAddress.select(ClientAddress.address).where(
        ClientAddress.client == client_id
    )
    assert [a["address"] for a in stored] == ["Химки, Ленинский пр., 3"]
    again = (await client.get("/orders/new", params={"client": client_id})).text
    assert 'name="new_client_address"' not in again and "Химки, Ленинский пр., 3" in again
