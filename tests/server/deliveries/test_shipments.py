"""Shipments through the API: numbering, counterparties, the order link, the list's filters
and cursor, changes and status moves with their history and audit entries, and bad input
answered at the field; with the CDEK integration off nothing calls out."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from tests.server.deliveries.helpers import ship, shipment
from tests.server.orders.builders import intake, make_client
from tests.server.requests.builders import error_fields


async def test_a_shipment_to_the_client_of_an_order(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    client_id = await make_client("Анна Смирнова")
    order = await intake(client, client_id)
    made = await ship(
        client,
        direction="to_client",
        carrier="own_courier",
        order_number=order["number"],
        to_address="Тула, ул. Болдина, 98",
        cost="350.50",
        weight_kg=2.5,
        places=2,
    )
    assert made["number"] == "ОТ-000001"
    assert (made["client_id"], made["counterparty_name"]) == (client_id, "Анна Смирнова")
    assert (made["order_id"], made["order_number"]) == (order["id"], order["number"])
    assert (made["cost"], made["weight_kg"], made["places"]) == ("350.50", "2.500", 2)
    assert made["status"] == "draft" and made["next_statuses"] == ["sent", "in_transit"]
    assert not made["tracked"]
    second = await ship(client)
    assert second["number"] == "ОТ-000002" and second["counterparty_name"] == "ООО Запчасть"

    costs = (await client.get(f"/api/v1/deliveries/orders/{order['id']}/costs")).json()
    assert costs["total"] == "350.50" and [s["number"] for s in costs["shipments"]] == ["ОТ-000001"]


async def test_status_moves_are_in_the_history_and_the_audit(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    made = await ship(client)
    url = f"/api/v1/deliveries/{made['id']}/status"
    sent = await client.post(url, json={"status": "sent", "note": "Отдали курьеру"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["sent_on"] is not None
    backwards = await client.post(url, json={"status": "draft"})
    assert backwards.status_code == 409 and error_fields(backwards) == {"status"}
    unknown = await client.post(url, json={"status": "flying"})
    assert unknown.status_code == 422 and error_fields(unknown) == {"status"}
    done = await client.post(url, json={"status": "delivered"})
    assert done.json()["delivered_at"] is not None and done.json()["next_statuses"] == []
    history = (await shipment(client, made["id"]))["history"]
    assert [(h["status_from"], h["status_to"], h["source"]) for h in history] == [
        ("", "draft", "person"),
        ("draft", "sent", "person"),
        ("sent", "delivered", "person"),
    ]
    assert history[1]["note"] == "Отдали курьеру" and history[1]["author_name"] == "Test boss"
    actions = (
        await AuditEntry.select(AuditEntry.action)
        .where(AuditEntry.entity == "shipment", AuditEntry.entity_id == str(made["id"]))
        .order_by(AuditEntry.id)
    )
    assert [a["action"] for a in actions] == ["create", "status", "status"]


async def test_changes_are_checked_and_audited(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    made = await ship(client, carrier="other", tracking_number="RA123456789RU")
    url = f"/api/v1/deliveries/{made['id']}"
    changed = await client.patch(url, json={"cost": 1200, "note": "Хрупкое"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["cost"], changed.json()["note"]) == ("1200.00", "Хрупкое")
    to_cdek = await client.patch(url, json={"carrier": "cdek"})  # its number is not CDEK's
    assert to_cdek.status_code == 422 and error_fields(to_cdek) == {"tracking_number"}
    same = await client.patch(url, json={"note": "Хрупкое"})
    assert same.status_code == 200
    entries = await (
        AuditEntry.select(AuditEntry.action, AuditEntry.changes)
        .where(AuditEntry.entity == "shipment", AuditEntry.entity_id == str(made["id"]))
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    assert [e["action"] for e in entries] == ["create", "update"]
    assert set(entries[1]["changes"]) >= {"cost", "note"}


async def test_bad_input_is_named_at_its_field(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    cases = [
        ({"direction": "to_client", "carrier": "other", "client_id": 999999}, "client_id"),
        ({"direction": "to_client", "carrier": "other"}, "client_id"),
        ({"direction": "to_partner", "carrier": "other", "partner_id": 999999}, "partner_id"),
        ({"supplier_name": "  "}, "supplier_name"),
        ({"direction": "to_mars", "carrier": "other"}, "direction"),
        ({"direction": "to_supplier", "carrier": "pigeon", "supplier_name": "X"}, "carrier"),
        ({"order_id": 999999}, "order_id"),
        ({"order_number": "З-404"}, "order_number"),
        ({"carrier": "cdek", "tracking_number": "ABC-12"}, "tracking_number"),
        ({"carrier": "other", "tracking_number": "<script>"}, "tracking_number"),
        ({"cost": "-1"}, "cost"),
        ({"cost": "1.005"}, "cost"),
        ({"cost": "NaN"}, "cost"),
        ({"cost": "1e30"}, "cost"),
        ({"weight_kg": -2}, "weight_kg"),
        ({"places": 0}, "places"),
        ({"sent_on": "2026-12-10", "expected_on": "2026-12-01"}, "expected_on"),
        ({"status": "teleported"}, "status"),
        ({"cost": "много"}, "cost"),
    ]
    base = {"direction": "to_supplier", "carrier": "other", "supplier_name": "ООО Запчасть"}
    for fields, field in cases:
        answer = await client.post("/api/v1/deliveries", json={**base, **fields})
        assert answer.status_code in (400, 422), (fields, answer.text)
        assert error_fields(answer) == {field}, (fields, answer.text)
    listed = (await client.get("/api/v1/deliveries")).json()
    assert listed["items"] == []  # nothing half-made
    assert (await client.get("/api/v1/deliveries/999999")).status_code == 404
    assert (await client.get("/api/v1/deliveries?cursor=broken")).status_code == 422


async def test_the_list_filters_and_pages(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    client_id = await make_client("Пётр Волков")
    made = [await ship(client, supplier_name=f"Поставщик {i}") for i in range(3)]
    mine = await ship(client, direction="from_client", client_id=client_id, carrier="cdek",
                      tracking_number="1106207236")  # fmt: skip
    assert mine["status"] == "draft" and mine["carrier_status"] == "" and not mine["tracked"]
    page = (await client.get("/api/v1/deliveries", params={"limit": 2})).json()
    assert [s["id"] for s in page["items"]] == [mine["id"], made[2]["id"]]
    rest = await client.get("/api/v1/deliveries", params={"limit": 2, "cursor": page["next"]})
    assert [s["id"] for s in rest.json()["items"]] == [made[1]["id"], made[0]["id"]]
    assert rest.json()["next"] is None
    for params, expected in [
        ({"client_id": client_id}, [mine["id"]]),
        ({"carrier": "cdek"}, [mine["id"]]),
        ({"direction": "from_client"}, [mine["id"]]),
        ({"q": "1106207236"}, [mine["id"]]),
        ({"q": "поставщик 1"}, [made[1]["id"]]),
        ({"status": "sent"}, []),
    ]:
        found = (await client.get("/api/v1/deliveries", params=params)).json()["items"]
        assert [s["id"] for s in found] == expected, params


async def test_cdek_is_off_without_keys(admin_client: httpx.AsyncClient) -> None:
    client = admin_client
    carriers = (await client.get("/api/v1/deliveries/carriers")).json()["items"]
    assert [(c["code"], c["integrated"], c["on"]) for c in carriers] == [
        ("cdek", True, False),
        ("own_courier", False, False),
        ("other", False, False),
    ]
    made = await ship(client, carrier="cdek", tracking_number="1106 2072 36")
    assert made["tracking_number"] == "1106207236" and made["carrier_error"] == ""
    refreshed = await client.post(f"/api/v1/deliveries/{made['id']}/refresh")
    assert refreshed.status_code == 409 and "SERVIO_CDEK_CLIENT_ID" in refreshed.text
    by_hand = await ship(client, carrier="own_courier")
    kept = await client.post(f"/api/v1/deliveries/{by_hand['id']}/refresh")
    assert kept.status_code == 422 and error_fields(kept) == {"carrier"}
