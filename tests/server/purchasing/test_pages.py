"""The pages of purchasing: suppliers added through their form (a wrong INN and phone shown at
their fields, what was typed kept), a supplier order made, sent and received through the pages
(a receipt beyond what was ordered refused at the line's field), the list with its filters and
the navigation link; «Order» on a repair's card with its small form, and what the card shows
of the supplier order afterwards."""

from __future__ import annotations

import httpx

from tests.server.builders import login_as, make_employee
from tests.server.purchasing.helpers import repair_waiting, stocked, supplier


async def test_suppliers_and_a_supplier_order_through_the_pages(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    token = client.headers["X-CSRFToken"]
    stock = await stocked(client)
    page = await client.get("/purchasing/suppliers")
    assert page.status_code == 200 and 'data-testid="supplier-form"' in page.text
    form = {"name": "ООО Насосы", "inn": "7707083894", "contact_person": "Пётр Сидоров",
            "phone": "12", "email": "", "note": "", "_csrf_token": token}  # fmt: skip
    wrong = await client.post("/purchasing/suppliers", data=form)
    assert wrong.status_code == 400 and 'id="e-inn"' in wrong.text
    assert "Пётр Сидоров" in wrong.text and "7707083894" in wrong.text
    form |= {"inn": "7707083893"}
    wrong = await client.post("/purchasing/suppliers", data=form)
    assert wrong.status_code == 400 and 'id="e-phone"' in wrong.text
    form |= {"phone": "+7 495 123-45-67"}
    added = await client.post("/purchasing/suppliers", data=form)
    assert added.status_code in (302, 303), added.text
    listed = await client.get("/purchasing/suppliers?q=7707083893")
    assert "ООО Насосы" in listed.text and "+7 495 123-45-67" in listed.text
    firm = (await client.get("/api/v1/purchasing/suppliers")).json()["items"][0]

    new = await client.get(f"/purchasing/new?supplier_id={firm['id']}")
    assert new.status_code == 200 and stock.item["name"] in new.text
    order_form = {
        "supplier_id": str(firm["id"]), "warehouse_id": str(stock.store["id"]),
        "expected_on": "2030-02-01", "note": "Срочно", "line_count": "2",
        "lines.0.item_id": str(stock.item["id"]), "lines.0.quantity": "1,5",
        "lines.0.unit_price": "1000", "lines.1.item_id": "", "lines.1.quantity": "",
        "lines.1.unit_price": "", "_csrf_token": token,
    }  # fmt: skip
    wrong = await client.post("/purchasing/new", data=order_form)
    assert wrong.status_code == 400 and "Срочно" in wrong.text and 'value="1,5"' in wrong.text
    assert "целыми" in wrong.text  # pieces are counted whole
    order_form |= {"lines.0.quantity": "2"}
    made = await client.post("/purchasing/new", data=order_form)
    assert made.status_code in (302, 303), made.text
    card_url = made.headers["location"]
    card = await client.get(card_url)
    assert card.status_code == 200 and "ЗП-000001" in card.text
    assert 'data-testid="purchase-steps"' in card.text and "ООО Насосы" in card.text
    sent = await client.post(f"{card_url}/status", data={"status": "sent", "_csrf_token": token})
    assert sent.status_code in (302, 303)
    card = await client.get(card_url)
    assert 'data-testid="purchase-receive"' in card.text
    line_id = (
        await client.get(f"/api/v1{card_url}".replace("/purchasing/", "/purchasing/orders/"))
    ).json()["lines"][0]["id"]
    receive = {"line_count": "1", "lines.0.line_id": str(line_id), "lines.0.quantity": "3",
               "supplier_document": "СЧ-77", "_csrf_token": token}  # fmt: skip
    over = await client.post(f"{card_url}/receive", data=receive)
    assert over.status_code == 422 and 'id="e-r-0"' in over.text and 'value="3"' in over.text
    receive |= {"lines.0.quantity": "2"}
    got = await client.post(f"{card_url}/receive", data=receive)
    assert got.status_code in (302, 303), got.text
    card = await client.get(card_url)
    assert 'data-status="received"' in card.text and "ПР-000001" in card.text

    listed = await client.get(f"/purchasing?status=received&supplier_id={firm['id']}&q=зп")
    assert listed.status_code == 200 and 'data-testid="purchase-ЗП-000001"' in listed.text
    none = await client.get("/purchasing?status=draft")
    assert 'data-testid="purchase-ЗП-000001"' not in none.text
    assert 'href="/purchasing"' in (await client.get("/")).text


async def test_order_from_the_repair_card_asks_for_the_supplier_once(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    token = client.headers["X-CSRFToken"]
    stock = await stocked(client)
    firm = await supplier(client, "ООО Насосы")
    order, part = await repair_waiting(client, stock, "1")
    card = await client.get(f"/orders/{order['id']}")
    assert 'data-testid="line-purchase"' in card.text and "ООО Насосы" in card.text
    url = f"/orders/{order['id']}/lines/{part['id']}/purchase"
    wrong = await client.post(url, data={"supplier_id": "", "_csrf_token": token})
    assert wrong.status_code == 400 and 'class="error"' in wrong.text
    done = await client.post(url, data={"supplier_id": str(firm["id"]), "_csrf_token": token})
    assert done.status_code == 200, done.text
    assert "ЗП-000001" in done.text and 'role="status"' in done.text
    assert (
        'data-testid="line-purchases"' in done.text
        and 'data-testid="line-purchase"' not in done.text
    )

    second, line = await repair_waiting(client, stock, "1")  # the supplier is known now
    card = await client.get(f"/orders/{second['id']}")
    assert 'data-testid="line-purchase"' in card.text and 'name="supplier_id"' not in card.text
    done = await client.post(f"/orders/{second['id']}/lines/{line['id']}/purchase",
                             data={"_csrf_token": token})  # fmt: skip
    assert done.status_code == 200 and "ЗП-000001" in done.text  # the same draft

    await make_employee("recv", roles=["receiver"])
    await login_as(client, "recv")
    card = await client.get(f"/orders/{order['id']}")
    assert 'data-testid="line-purchases"' in card.text, "the receiver sees purchasing"
    assert 'data-testid="line-purchase"' not in card.text, "but may not order"
    await make_employee("field1", roles=["field_technician"])
    await login_as(client, "field1")
    assert (await client.get("/purchasing")).status_code == 403
