"""Managing employees through the HTTP API: rules, audit, sessions."""

from __future__ import annotations

import httpx

from server.audit.tables import AuditEntry
from server.staff.tables import Employee
from tests.server.builders import PASSWORD, login_as, make_employee, role_ids


async def test_admin_creates_employee_with_roles_and_normalised_contacts(
    admin_client: httpx.AsyncClient,
) -> None:
    response = await admin_client.post(
        "/api/v1/employees",
        json={
            "login": "  Ivan.Petrov ",
            "full_name": "Иван Петров",
            "password": "repair-all-day",
            "email": "Ivan@Example.RU",
            "phone": "8 (916) 123-45-67",
            "role_ids": await role_ids(["technician"]),
            "manufacturers": ["Bosch", " bosch ", "LG"],
            "ip_allowlist": ["192.168.1.10", "10.0.0.0/8"],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["login"] == "ivan.petrov"
    assert body["email"] == "ivan@example.ru"
    assert body["phone"] == "+79161234567"
    assert body["manufacturers"] == ["Bosch", "LG"]
    assert body["ip_allowlist"] == ["192.168.1.10/32", "10.0.0.0/8"]
    assert [r["code"] for r in body["roles"]] == ["technician"]
    assert body["permissions"]["orders"] == ["view", "edit"]
    listed = (await admin_client.get("/api/v1/employees", params={"q": "петров"})).json()
    assert [e["login"] for e in listed["items"]] == ["ivan.petrov"]


async def test_every_change_is_audited_with_old_and_new_values(
    admin_client: httpx.AsyncClient,
) -> None:
    employee = await make_employee("anna", roles=["receiver"], position="Приёмщица")
    response = await admin_client.patch(
        f"/api/v1/employees/{employee.id}",
        json={"position": "Старшая приёмщица", "role_ids": await role_ids(["manager"])},
    )
    assert response.status_code == 200
    entries = (
        await admin_client.get(
            "/api/v1/audit", params={"entity": "employee", "entity_id": employee.id}
        )
    ).json()["items"]
    update = next(e for e in entries if e["action"] == "update")
    assert update["changes"]["position"] == ["Приёмщица", "Старшая приёмщица"]
    assert update["changes"]["roles"] == [["receiver"], ["manager"]]
    assert update["actor_name"] == "Test boss"


async def test_password_reset_by_admin_is_audited_without_the_hash(
    admin_client: httpx.AsyncClient,
) -> None:
    employee = await make_employee("anna", roles=["receiver"])
    await admin_client.patch(
        f"/api/v1/employees/{employee.id}", json={"password": "brand-new-secret"}
    )
    rows = (
        await AuditEntry.select(AuditEntry.changes)
        .where(AuditEntry.action == "update")
        .output(load_json=True)
    )
    assert rows[0]["changes"]["password_hash"] == ["•••", "•••"]


async def test_deactivation_ends_sessions_and_keeps_the_record(
    app: object, admin_client: httpx.AsyncClient
) -> None:
    employee = await make_employee("anna", roles=["receiver"])
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as anna:
        await login_as(anna, "anna")
        assert (await anna.get("/api/v1/auth/me")).status_code == 200
        response = await admin_client.patch(
            f"/api/v1/employees/{employee.id}", json={"is_active": False}
        )
        assert response.status_code == 200
        assert response.json()["is_active"] is False
        assert (await anna.get("/api/v1/auth/me")).status_code == 401
    assert await Employee.exists().where(Employee.login == "anna")
    assert (await admin_client.delete(f"/api/v1/employees/{employee.id}")).status_code == 405


async def test_login_and_email_must_be_unique(admin_client: httpx.AsyncClient) -> None:
    await make_employee("anna", email="anna@example.ru")
    same_login = await admin_client.post(
        "/api/v1/employees",
        json={"login": "ANNA", "full_name": "Другая Анна", "password": PASSWORD},
    )
    assert same_login.status_code == 409
    assert same_login.json()["errors"][0]["field"] == "login"
    same_email = await admin_client.post(
        "/api/v1/employees",
        json={
            "login": "anna2",
            "full_name": "Анна",
            "password": PASSWORD,
            "email": "anna@example.ru",
        },
    )
    assert same_email.status_code == 409
    assert same_email.json()["errors"][0]["field"] == "email"


async def test_password_policy(admin_client: httpx.AsyncClient) -> None:
    async def create(password: str) -> httpx.Response:
        return await admin_client.post(
            "/api/v1/employees", json={"login": "pavel", "full_name": "Павел", "password": password}
        )

    short = await create("short1")
    assert short.status_code == 422
    assert short.json()["errors"][0] == {
        "field": "password",
        "message": "Пароль должен быть не короче 8 символов",
    }
    assert (await create("password123")).status_code == 422  # common
    assert (await create("qwertyuiop")).status_code == 422  # common
    assert (await create("pavel")).status_code == 422
    long_ok = "длинный-пароль-" + "x" * 49
    assert len(long_ok) == 64
    assert (await create(long_ok)).status_code == 201
    assert (await admin_client.post("/api/v1/auth/logout")).status_code == 204
    assert (
        await admin_client.post("/api/v1/auth/login", json={"login": "pavel", "password": long_ok})
    ).status_code == 200


async def test_manager_cannot_escalate_to_admin(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    manager = await make_employee(
        "olga", roles=["manager"], permission_overrides={"staff": {"edit": True, "create": True}}
    )
    await login_as(client, "olga")
    admin_role = await role_ids(["admin"])
    to_admin = await client.patch(f"/api/v1/employees/{manager.id}", json={"role_ids": admin_role})
    assert to_admin.status_code == 403
    grant = await client.post(
        "/api/v1/employees",
        json={
            "login": "crony",
            "full_name": "Приятель",
            "password": PASSWORD,
            "permission_overrides": {"settings": {"edit": True}},
        },
    )
    assert grant.status_code == 403
    assert grant.json()["errors"][0]["field"] == "permission_overrides"


async def test_last_active_admin_cannot_be_removed(admin_client: httpx.AsyncClient) -> None:
    me = (await admin_client.get("/api/v1/auth/me")).json()
    demote = await admin_client.patch(
        f"/api/v1/employees/{me['id']}", json={"role_ids": await role_ids(["manager"])}
    )
    assert demote.status_code == 422
    assert (
        await admin_client.patch(f"/api/v1/employees/{me['id']}", json={"is_active": False})
    ).status_code == 422


async def test_personal_override_grants_and_revokes(client: httpx.AsyncClient) -> None:
    await make_employee(
        "tech",
        roles=["technician"],
        permission_overrides={"staff": {"view": True}, "orders": {"edit": False}},
    )
    await login_as(client, "tech")
    me = (await client.get("/api/v1/auth/me")).json()
    assert me["permissions"]["staff"] == ["view"]
    assert me["permissions"]["orders"] == ["view"]
    assert (await client.get("/api/v1/employees")).status_code == 200


async def test_employee_edits_own_contact_data_but_not_own_roles(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await login_as(client, "tech")
    ok = await client.patch(
        f"/api/v1/employees/{tech.id}", json={"phone": "+7 916 000-11-22", "language": "en"}
    )
    assert ok.status_code == 200
    assert ok.json()["phone"] == "+79160001122"
    roles = await client.patch(
        f"/api/v1/employees/{tech.id}", json={"role_ids": await role_ids(["admin"])}
    )
    assert roles.status_code == 403


async def test_custom_role_lifecycle(admin_client: httpx.AsyncClient) -> None:
    created = await admin_client.post(
        "/api/v1/roles",
        json={
            "name": "Кладовщик",
            "permissions": {"stock": ["view", "create", "edit"], "orders": ["view"]},
        },
    )
    assert created.status_code == 201
    role = created.json()
    assert role["code"] == "custom_1"
    assert role["is_builtin"] is False
    unknown = await admin_client.patch(
        f"/api/v1/roles/{role['id']}", json={"permissions": {"spaceships": ["view"]}}
    )
    assert unknown.status_code == 422
    employee = await make_employee("keeper", roles=[])
    await admin_client.patch(f"/api/v1/employees/{employee.id}", json={"role_ids": [role["id"]]})
    assert (await admin_client.delete(f"/api/v1/roles/{role['id']}")).status_code == 409
    await admin_client.patch(f"/api/v1/employees/{employee.id}", json={"role_ids": []})
    assert (await admin_client.delete(f"/api/v1/roles/{role['id']}")).status_code == 204
    builtin = (await admin_client.get("/api/v1/roles")).json()["items"][0]
    assert (await admin_client.delete(f"/api/v1/roles/{builtin['id']}")).status_code == 422
    admin_role = next(
        r for r in (await admin_client.get("/api/v1/roles")).json()["items"] if r["code"] == "admin"
    )
    locked = await admin_client.patch(f"/api/v1/roles/{admin_role['id']}", json={"permissions": {}})
    assert locked.status_code == 422


async def test_admin_sets_field_access_of_a_role_through_the_api_and_the_page(
    admin_client: httpx.AsyncClient, app: object
) -> None:
    from tests.server.orders.builders import intake, make_client
    from tests.server.web.test_pages import csrf_of

    receiver_role = next(
        r
        for r in (await admin_client.get("/api/v1/roles")).json()["items"]
        if r["code"] == "receiver"
    )
    bad = await admin_client.patch(
        f"/api/v1/roles/{receiver_role['id']}",
        json={"field_permissions": {"order.spaceship": "hidden"}},
    )
    assert bad.status_code == 422
    ok = await admin_client.patch(
        f"/api/v1/roles/{receiver_role['id']}",
        json={"field_permissions": {"order.total": "hidden", "client.comment": "read"}},
    )
    assert ok.json()["field_permissions"] == {"client.comment": "read", "order.total": "hidden"}
    await make_employee("anna", roles=["receiver"])
    order = await intake(admin_client, await make_client())
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 3))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as anna:
        await login_as(anna, "anna")
        assert "total" not in (await anna.get(f"/api/v1/orders/{order['id']}")).json()
    page = await admin_client.get(f"/staff/roles/{receiver_role['id']}")
    assert '<option value="hidden" selected>' in page.text
    saved = await admin_client.post(
        f"/staff/roles/{receiver_role['id']}",
        data={
            "_csrf_token": csrf_of(page.text),
            "name": "Receiver",
            "perm[]": ["orders:view"],
            "field:order.paid": "hidden",
        },
    )
    assert saved.status_code in (302, 303)
    role = (await admin_client.get(f"/api/v1/roles/{receiver_role['id']}")).json()
    assert role["field_permissions"] == {"order.paid": "hidden"}
