"""Who may see and change clients: section permissions and field permissions."""

from __future__ import annotations

import httpx

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.clients.helpers import make_client
from tests.server.orders.builders import intake


async def test_technician_views_but_cannot_create_or_edit(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await login_as(client, "boss")
    card = await make_client(client, "Иван")
    await intake(client, card["id"], technician_id=tech.id)  # the client of an own order
    await login_as(client, "tech")
    assert (await client.get(f"/api/v1/clients/{card['id']}")).status_code == 200
    assert (await client.get("/api/v1/clients")).status_code == 200
    created = await client.post("/api/v1/clients", json={"name": "X"})
    assert created.status_code == 403
    changed = await client.patch(f"/api/v1/clients/{card['id']}", json={"name": "Y"})
    assert changed.status_code == 403
    device = await client.post(f"/api/v1/clients/{card['id']}/devices", json={"serial": "1"})
    assert device.status_code == 403


async def test_receiver_may_not_archive(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    card = await make_client(client, "Иван")
    response = await client.patch(f"/api/v1/clients/{card['id']}", json={"is_archived": True})
    assert response.status_code == 403


async def test_employee_without_clients_view_is_refused(client: httpx.AsyncClient) -> None:
    await make_employee("nobody", roles=[])
    await login_as(client, "nobody")
    for url in ("/api/v1/clients", "/api/v1/clients/1", "/api/v1/devices", "/api/v1/devices/1"):
        assert (await client.get(url)).status_code == 403, url
    assert (await client.get("/api/v1/clients/duplicates?phone=1")).status_code == 403


async def test_hidden_field_is_absent_everywhere_and_read_only_field_refused(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    await Role.update(
        {Role.field_permissions: {"client.comment": "hidden", "client.discount_percent": "read"}}
    ).where(Role.code == "receiver")
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    card = await make_client(client, "Иван Секретов", comment="платит наличными")
    assert card["comment"] == "платит наличными"

    await login_as(client, "anna")
    one = (await client.get(f"/api/v1/clients/{card['id']}")).json()
    assert "comment" not in one and one["discount_percent"] == "0.00"
    listed = (await client.get("/api/v1/clients")).json()["items"]
    assert listed and all("comment" not in c for c in listed)
    found = (await client.get("/api/v1/clients", params={"q": "секретов"})).json()["items"]
    assert found and all("comment" not in c for c in found)

    refused = await client.patch(f"/api/v1/clients/{card['id']}", json={"discount_percent": 10})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "discount_percent"
    hidden_write = await client.patch(f"/api/v1/clients/{card['id']}", json={"comment": "x"})
    assert hidden_write.status_code == 403
    create = await client.post("/api/v1/clients", json={"name": "Новый", "comment": "x"})
    assert create.status_code == 403
    allowed = await client.patch(f"/api/v1/clients/{card['id']}", json={"name": "Иван С."})
    assert allowed.status_code == 200 and "comment" not in allowed.json()
