"""Devices of clients and the directories of types, brands and models."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from server.clients.tables import Brand
from tests.server.builders import login_as, make_employee
from tests.server.clients.helpers import errors_of, make_client


async def test_directories_and_a_device_with_ids(admin_client: httpx.AsyncClient) -> None:
    kind = await admin_client.post("/api/v1/settings/device-types", json={"name": "Ноутбук"})
    brand = (await admin_client.post("/api/v1/settings/brands", json={"name": "Lenovo"})).json()
    model = await admin_client.post(
        "/api/v1/settings/models",
        json={"name": "ThinkPad T14", "brand_id": brand["id"], "device_type_id": kind.json()["id"]},
    )
    assert model.status_code == 201, model.text
    taken = await admin_client.post("/api/v1/settings/brands", json={"name": "LENOVO"})
    assert taken.status_code == 409 and await errors_of(taken) == {"name"}
    models = (await admin_client.get("/api/v1/settings/models")).json()["items"]
    assert models[0]["brand_name"] == "Lenovo" and models[0]["type_name"] == "Ноутбук"

    owner = await make_client(admin_client, "Ольга")
    created = await admin_client.post(
        f"/api/v1/clients/{owner['id']}/devices",
        json={
            "model_id": model.json()["id"],
            "serial": "PF-2X1Y",
            "purchase_date": "2025-03-01",
            "warranty_until": "2026-03-01",
        },
    )
    assert created.status_code == 201, created.text
    device = created.json()
    assert device["title"] == "Ноутбук Lenovo ThinkPad T14"
    assert device["brand_id"] == brand["id"] and device["client_id"] == owner["id"]
    card = (await admin_client.get(f"/api/v1/clients/{owner['id']}")).json()
    assert [d["id"] for d in card["devices"]] == [device["id"]]
    listed = (await admin_client.get(f"/api/v1/clients/{owner['id']}/devices")).json()
    assert [d["id"] for d in listed["items"]] == [device["id"]]
    history = (await admin_client.get(f"/api/v1/devices/{device['id']}/history")).json()
    assert history["device"]["serial"] == "PF-2X1Y" and history["orders"] == []

    renamed = await admin_client.patch(
        f"/api/v1/settings/brands/{brand['id']}", json={"name": "Lenovo Group", "is_active": False}
    )
    assert renamed.json()["is_active"] is False
    entries = await AuditEntry.select(AuditEntry.entity, AuditEntry.scope).where(
        AuditEntry.entity == "device"
    )
    assert entries == [{"entity": "device", "scope": f"client:{owner['id']}"}]


async def test_brand_by_name_is_found_or_created(admin_client: httpx.AsyncClient) -> None:
    owner = await make_client(admin_client, "Пётр")
    for typed in ("Bosch", "bosch", " BOSCH "):
        response = await admin_client.post(
            f"/api/v1/clients/{owner['id']}/devices",
            json={"brand_name": typed, "model_name": "WLG 2416"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["brand_name"] == "Bosch"
    assert await Brand.count() == 1


async def test_device_search_by_serial_prefix_and_changes(admin_client: httpx.AsyncClient) -> None:
    owner = await make_client(admin_client, "Олег")
    for serial in ("IMEI3512", "imei3599", "SN-100", "SN_1%"):
        await admin_client.post(f"/api/v1/clients/{owner['id']}/devices", json={"serial": serial})
    found = (await admin_client.get("/api/v1/devices", params={"q": "imei35"})).json()
    assert sorted(d["serial"] for d in found["items"]) == ["IMEI3512", "imei3599"]
    literal = (await admin_client.get("/api/v1/devices", params={"q": "SN_"})).json()
    assert [d["serial"] for d in literal["items"]] == ["SN_1%"]
    device_id = found["items"][0]["id"]
    bad = await admin_client.patch(
        f"/api/v1/devices/{device_id}",
        json={"purchase_date": "2025-05-01", "warranty_until": "2024-05-01"},
    )
    assert bad.status_code == 422 and await errors_of(bad) == {"warranty_until"}
    missing = await admin_client.patch(f"/api/v1/devices/{device_id}", json={"brand_id": 999})
    assert missing.status_code == 422 and await errors_of(missing) == {"brand_id"}
    ok = await admin_client.patch(f"/api/v1/devices/{device_id}", json={"notes": "царапина"})
    assert ok.json()["notes"] == "царапина"
    assert (await admin_client.get("/api/v1/devices/999999")).status_code == 404


async def test_directories_need_settings_permissions(client: httpx.AsyncClient) -> None:
    await make_employee("manager", roles=["manager"])
    await login_as(client, "manager")
    assert (await client.get("/api/v1/settings/brands")).status_code == 200
    refused = await client.post("/api/v1/settings/brands", json={"name": "LG"})
    assert refused.status_code == 403
