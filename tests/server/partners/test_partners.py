"""Partner organizations: kept through the API and the settings page (settings section);
an employee's organization on the employee form and API."""

from __future__ import annotations

import httpx

from server.staff.services import load_actor
from tests.server.builders import login_as, make_employee
from tests.server.requests.builders import error_fields


async def test_organizations_are_created_listed_and_changed(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    created = await client.post(
        "/api/v1/partners",
        json={
            "kind": "service_center",
            "name": "АСЦ Север",
            "inn": "7701234567",
            "manufacturers": ["Bosch", " Bosch", "LG"],
        },
    )
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["manufacturers"] == ["Bosch", "LG"] and org["is_active"]
    dealer = await client.post("/api/v1/partners", json={"kind": "dealer", "name": "Дилер Юг"})
    assert dealer.status_code == 201
    twin = await client.post("/api/v1/partners", json={"kind": "dealer", "name": "асц север"})
    assert twin.status_code == 409 and "name" in error_fields(twin)
    for bad, field in (
        ({"kind": "shop"}, "kind"),
        ({"inn": "12ab"}, "inn"),
        ({"email": "x@"}, "email"),
    ):
        answer = await client.post(
            "/api/v1/partners", json={"kind": "dealer", "name": "Ещё", **bad}
        )
        assert answer.status_code in (400, 422) and field in error_fields(answer), answer.text
    changed = await client.patch(f"/api/v1/partners/{org['id']}", json={"is_active": False})
    assert changed.status_code == 200 and not changed.json()["is_active"]
    listed = (await client.get("/api/v1/partners")).json()["items"]
    assert [o["name"] for o in listed] == ["Дилер Юг", "АСЦ Север"]  # active ones first
    centers = (await client.get("/api/v1/partners", params={"kind": "service_center"})).json()
    assert [o["id"] for o in centers["items"]] == [org["id"]]
    assert (await client.patch("/api/v1/partners/999999", json={"name": "x"})).status_code == 404


async def test_only_settings_editors_change_organizations(client: httpx.AsyncClient) -> None:
    await make_employee("tech", roles=["technician"])
    await make_employee("mgr", roles=["manager"])
    await login_as(client, "tech")
    assert (await client.get("/api/v1/partners")).status_code == 403
    await login_as(client, "mgr")  # settings:view only
    assert (await client.get("/api/v1/partners")).status_code == 200
    answer = await client.post("/api/v1/partners", json={"kind": "dealer", "name": "Дилер"})
    assert answer.status_code == 403


async def test_the_settings_page_adds_and_edits_organizations(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    token = client.headers["X-CSRFToken"]
    page = await client.get("/settings/partners")
    assert page.status_code == 200 and 'data-testid="partner-form"' in page.text
    added = await client.post(
        "/settings/partners",
        data={
            "kind": "dealer",
            "name": "Дилер Запад",
            "manufacturers": "Bosch\nSiemens",
            "is_active": "1",
            "_csrf_token": token,
        },
    )
    assert added.status_code in (302, 303), added.text
    listed = (await client.get("/api/v1/partners")).json()["items"]
    assert listed[0]["manufacturers"] == ["Bosch", "Siemens"]
    wrong = await client.post(
        f"/settings/partners/{listed[0]['id']}",
        data={"kind": "dealer", "name": "Дилер Запад", "inn": "1", "_csrf_token": token},
    )
    assert wrong.status_code == 400 and "ИНН" in wrong.text
    assert "Дилер Запад" in (await client.get("/settings/partners")).text


async def test_an_employee_gets_an_organization_and_the_actor_carries_it(
    admin_client: httpx.AsyncClient,
) -> None:
    client = admin_client
    org = (await client.post("/api/v1/partners", json={"kind": "dealer", "name": "Дилер"})).json()
    dealer_role = next(
        r["id"]
        for r in (await client.get("/api/v1/roles")).json()["items"]
        if r["code"] == "dealer"
    )
    created = await client.post(
        "/api/v1/employees",
        json={
            "login": "partner1",
            "full_name": "Пётр Партнёров",
            "password": "correct-horse-battery",
            "role_ids": [dealer_role],
            "organization_id": org["id"],
        },
    )
    assert created.status_code == 201, created.text
    employee = created.json()
    assert employee["organization_id"] == org["id"]
    actor = await load_actor(employee["id"])
    assert actor is not None and actor.organization_id == org["id"]
    wrong = await client.patch(
        f"/api/v1/employees/{employee['id']}", json={"organization_id": 99999}
    )
    assert wrong.status_code in (400, 422) and "organization_id" in error_fields(wrong)
    cleared = await client.patch(
        f"/api/v1/employees/{employee['id']}", json={"organization_id": None}
    )
    assert cleared.json()["organization_id"] is None
    form = await client.get(f"/staff/employees/{employee['id']}")
    assert 'data-testid="employee-organization"' in form.text and "Дилер" in form.text
