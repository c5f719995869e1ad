"""The pages of deliveries: the list with its filters, a new shipment through the form (its
errors next to the fields, what was typed kept), the card with its history, status steps and
edit form, and the notice that the CDEK integration is off."""

from __future__ import annotations

import httpx

from tests.server.builders import login_as, make_employee
from tests.server.deliveries.helpers import ship
from tests.server.orders.builders import intake, make_client


async def test_a_shipment_made_and_moved_through_the_pages(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    token = client.headers["X-CSRFToken"]
    order = await intake(client, await make_client("Анна Смирнова"))
    new = await client.get(f"/deliveries/new?order_id={order['id']}")
    assert new.status_code == 200 and 'data-testid="shipment-form"' in new.text
    assert 'data-testid="cdek-off"' in new.text and "СДЭК" in new.text
    form = {
        "direction": "to_client", "carrier": "cdek", "order_id": str(order["id"]),
        "order_number": "", "client_id": "", "partner_id": "", "supplier_name": "",
        "carrier_name": "", "tracking_number": "12-34", "status": "draft",
        "from_address": "", "to_address": "Тула, ул. Болдина, 98", "contact": "",
        "weight_kg": "1,5", "places": "1", "cost": "-5", "sent_on": "", "expected_on": "",
        "note": "", "_csrf_token": token,
    }  # fmt: skip
    wrong = await client.post("/deliveries/new", data=form)
    assert wrong.status_code == 400 and "Тула, ул. Болдина, 98" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    form |= {"tracking_number": "1106207236", "cost": "-5"}
    wrong = await client.post("/deliveries/new", data=form)
    assert wrong.status_code == 400 and 'id="e-cost"' in wrong.text
    form |= {"cost": "450,00"}
    made = await client.post("/deliveries/new", data=form)
    assert made.status_code in (302, 303), made.text
    card_url = made.headers["location"]
    card = await client.get(card_url)
    assert card.status_code == 200 and "ОТ-000001" in card.text and order["number"] in card.text
    assert "Анна Смирнова" in card.text and 'data-testid="shipment-history"' in card.text
    assert "450,00" in card.text

    moved = await client.post(f"{card_url}/status", data={"status": "sent", "_csrf_token": token})
    assert moved.status_code in (302, 303)
    wrong_move = await client.post(
        f"{card_url}/status", data={"status": "draft", "_csrf_token": token}
    )
    assert wrong_move.status_code == 409 and 'role="alert"' in wrong_move.text
    refreshed = await client.post(f"{card_url}/refresh", data={"_csrf_token": token})
    assert refreshed.status_code == 409 and "SERVIO_CDEK_CLIENT_ID" in refreshed.text

    edit = {k: v for k, v in form.items() if k not in ("status", "order_id")}
    edit |= {"order_number": order["number"], "note": "Хрупкое", "cost": "abc"}
    bad = await client.post(card_url, data=edit)
    assert bad.status_code == 400 and "Хрупкое" in bad.text
    edit |= {"cost": "500"}
    saved = await client.post(card_url, data=edit)
    assert saved.status_code in (302, 303), saved.text
    listed = await client.get("/deliveries?status=sent&carrier=cdek&q=1106207236")
    assert listed.status_code == 200 and 'data-testid="shipment-ОТ-000001"' in listed.text
    assert "Хрупкое" in (await client.get(card_url)).text
    none = await client.get("/deliveries?status=lost")
    assert 'data-testid="shipment-ОТ-000001"' not in none.text
    assert (await client.get("/deliveries?status=flying")).status_code == 400
    assert (await client.get("/deliveries/999999")).status_code == 404


async def test_the_list_pages_on(admin_client: httpx.AsyncClient) -> None:
    for i in range(52):
        await ship(admin_client, supplier_name=f"Поставщик {i}")
    first = await admin_client.get("/deliveries")
    assert first.text.count('data-testid="shipment-ОТ-') == 50 and "cursor=" in first.text
    following = first.text.split('href="/deliveries?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    second = await admin_client.get(f"/deliveries?{following}")
    assert second.text.count('data-testid="shipment-ОТ-') == 2


async def test_the_order_card_shows_its_shipments_and_their_cost(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    master = await make_employee("field1", roles=["field_technician"])  # sees neither
    order = await intake(client, await make_client("Анна Смирнова"), technician_id=master.id)
    await ship(client, direction="to_client", order_number=order["number"], cost="350.50")
    made = await ship(client, direction="from_client", order_number=order["number"], cost="120")
    await ship(client, cost="999")  # another order's expense: not this one's
    card = (await client.get(f"/orders/{order['id']}")).text
    section = card.split('data-testid="order-deliveries"', 1)[1].split("</section>", 1)[0]
    assert "ОТ-000001" in section and made["number"] in section and "ОТ-000003" not in section
    total = section.split('data-testid="delivery-total">', 1)[1].split("<", 1)[0]
    assert total.replace("\xa0", " ").startswith("470,50")
    assert f'href="/deliveries/new?order_id={order["id"]}"' in section

    await login_as(client, "field1")
    hidden = await client.get(f"/orders/{order['id']}")
    assert hidden.status_code == 200 and 'data-testid="order-deliveries"' not in hidden.text
