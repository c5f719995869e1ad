"""Clients through the JSON API: the contract, validation, duplicates, audit."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from server.clients.tables import ClientPhone
from tests.server.clients.helpers import VALID_COMPANY, errors_of, make_client


async def test_minimal_person_is_created_with_normalized_phones(
    admin_client: httpx.AsyncClient,
) -> None:
    response = await admin_client.post(
        "/api/v1/clients",
        json={
            "kind": "person",
            "name": "Иван Петров",
            "phones": ["8 (916) 123-45-67", {"number": "+7 495 111 22 33", "contact_name": "жена"}],
        },
    )
    assert response.status_code == 201, response.text
    card = response.json()
    assert card["kind"] == "person"
    assert [p["number"] for p in card["phones"]] == ["+79161234567", "+74951112233"]
    assert card["phones"][1]["contact_name"] == "жена"
    assert card["phones"][0]["is_primary"] is True
    assert card["duplicates"] == []
    assert card["emails"] == [] and card["devices"] == [] and card["reminders"] == []
    assert card["totals"] == {"completed_orders": 0, "total_spend": "0"}
    assert card["discount"] == {"percent": "0", "reason": ""}
    again = await admin_client.get(f"/api/v1/clients/{card['id']}")
    assert again.json()["name"] == "Иван Петров"


async def test_company_with_requisites_and_lower_cased_email(
    admin_client: httpx.AsyncClient,
) -> None:
    card = await make_client(admin_client, **{**VALID_COMPANY, "emails": ["Office@Romashka.RU"]})
    assert card["kind"] == "company"
    assert card["inn"] == "7707083893" and card["ogrn"] == "1027700132195"
    assert card["emails"][0]["email"] == "office@romashka.ru"


async def test_requisites_errors_name_the_field(admin_client: httpx.AsyncClient) -> None:
    cases = [
        ({"inn": "7707083894"}, "inn"),
        ({"inn": "12345"}, "inn"),
        ({"inn": "77070838AB"}, "inn"),
        ({"kpp": "1234"}, "kpp"),
        ({"ogrn": "1027700132196"}, "ogrn"),
        ({"ogrn": "123"}, "ogrn"),
        ({"bik": "04452522"}, "bik"),
        ({"bank_account": "4070281093800000000"}, "bank_account"),
        ({"bank_account": "40702810938000000002"}, "bank_account"),
        ({"corr_account": "30101810400000000226"}, "corr_account"),
        ({"phones": ["12"]}, "phones[0]"),
        ({"emails": ["nope"]}, "emails[0]"),
        ({"discount_percent": 150}, "discount_percent"),
        ({"addresses": [{"address": "Москва", "lat": 95, "lon": 10}]}, "addresses[0].lat"),
        ({"name": "  "}, "name"),
        ({"name": "A\x00B"}, "name"),
        ({"kind": "alien"}, "kind"),
        ({"custom": {"nope": 1}}, "custom.nope"),
    ]
    for change, field in cases:
        body = {**VALID_COMPANY, **change}
        response = await admin_client.post("/api/v1/clients", json=body)
        assert 400 <= response.status_code < 500, (change, response.text)
        assert field in await errors_of(response), (change, response.text)


async def test_duplicate_phone_or_email_is_a_warning_not_a_refusal(
    admin_client: httpx.AsyncClient,
) -> None:
    first = await make_client(
        admin_client, "Иван Петров", phones=["+7 916 123-45-67"], emails=["ivan@mail.ru"]
    )
    second = await make_client(admin_client, "Иван П.", phones=["89161234567"])
    assert second["duplicates"] == [{"id": first["id"], "name": "Иван Петров"}]
    by_email = await admin_client.get(
        "/api/v1/clients/duplicates", params={"email": "IVAN@mail.ru"}
    )
    assert by_email.json()["items"] == [{"id": first["id"], "name": "Иван Петров"}]
    by_phone = await admin_client.get("/api/v1/clients/duplicates", params={"phone": "9161234567"})
    assert {c["id"] for c in by_phone.json()["items"]} == {first["id"], second["id"]}
    nothing = await admin_client.get("/api/v1/clients/duplicates", params={"phone": "abc"})
    assert nothing.json()["items"] == []


async def test_patch_replaces_contacts_and_is_audited(admin_client: httpx.AsyncClient) -> None:
    card = await make_client(admin_client, "Анна", phones=["+79160000001"])
    response = await admin_client.patch(
        f"/api/v1/clients/{card['id']}",
        json={"phones": ["+7 916 000-00-02"], "comment": "VIP", "tags": ["vip", "VIP", "опт"]},
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert [p["number"] for p in changed["phones"]] == ["+79160000002"]
    assert changed["tags"] == ["vip", "опт"]
    assert await ClientPhone.count().where(ClientPhone.client == card["id"]) == 1
    entries = (
        await AuditEntry.select()
        .where(AuditEntry.entity == "client")
        .order_by(AuditEntry.id)
        .output(load_json=True)
    )
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["scope"] == f"client:{card['id']}"
    assert entries[1]["changes"]["phones"] == [["+79160000001"], ["+79160000002"]]
    missing = await admin_client.patch("/api/v1/clients/999999", json={"comment": "x"})
    assert missing.status_code == 404


async def test_archiving_hides_from_the_list(admin_client: httpx.AsyncClient) -> None:
    card = await make_client(admin_client, "Старый клиент")
    await admin_client.patch(f"/api/v1/clients/{card['id']}", json={"is_archived": True})
    listed = (await admin_client.get("/api/v1/clients")).json()["items"]
    assert card["id"] not in {c["id"] for c in listed}
    archived = (await admin_client.get("/api/v1/clients", params={"archived": "1"})).json()
    assert [c["id"] for c in archived["items"]] == [card["id"]]


async def test_history_lists_devices_and_totals(admin_client: httpx.AsyncClient) -> None:
    card = await make_client(admin_client, "Мария")
    await admin_client.post(
        f"/api/v1/clients/{card['id']}/devices", json={"brand_name": "Bosch", "serial": "A1"}
    )
    history = (await admin_client.get(f"/api/v1/clients/{card['id']}/history")).json()
    assert history["orders"] == []
    assert [d["serial"] for d in history["devices"]] == ["A1"]
    assert history["totals"]["completed_orders"] == 0
