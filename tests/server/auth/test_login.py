"""Logging in and out through the HTTP API."""

from __future__ import annotations

import datetime as dt

import httpx

from server.auth.tables import LoginAttempt, Session
from tests.server.builders import PASSWORD, login_as, make_employee


async def test_login_sets_http_only_cookie_and_returns_employee_with_roles(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"], email="anna@example.ru")
    response = await client.post("/api/v1/auth/login", json={"login": "anna", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["login"] == "anna"
    assert [r["code"] for r in body["roles"]] == ["receiver"]
    assert "password_hash" not in body
    set_cookie = ",".join(response.headers.get_list("set-cookie"))
    assert "servio_session=" in set_cookie
    assert "HttpOnly" in set_cookie
    assert "SameSite=lax" in set_cookie or "SameSite=Lax" in set_cookie
    me = await client.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["login"] == "anna"


async def test_login_by_email_in_any_case(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"], email="anna@example.ru")
    response = await client.post(
        "/api/v1/auth/login", json={"login": "Anna@Example.RU", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["login"] == "anna"


async def test_unknown_login_and_wrong_password_answer_the_same(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    wrong = await client.post(
        "/api/v1/auth/login", json={"login": "anna", "password": "nope-nope-1"}
    )
    unknown = await client.post(
        "/api/v1/auth/login", json={"login": "ghost", "password": "nope-nope-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "servio_session" not in wrong.cookies


async def test_each_login_gets_a_new_random_session_stored_only_as_hash(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    tokens = []
    for _ in range(2):
        await client.post("/api/v1/auth/login", json={"login": "anna", "password": PASSWORD})
        tokens.append(client.cookies["servio_session"])
    assert tokens[0] != tokens[1]
    assert all(len(t) >= 43 for t in tokens)  # 32 random bytes, base64url
    stored = {r["token_hash"] for r in await Session.select(Session.token_hash)}
    assert len(stored) == 2
    assert not set(tokens) & stored


async def test_logout_revokes_the_session(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    token = client.cookies["servio_session"]
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.set("servio_session", token)
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_idle_and_absolute_timeouts_end_sessions(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    await Session.update({Session.last_seen_at: long_ago}, force=True)
    assert (await client.get("/api/v1/auth/me")).status_code == 401

    await login_as(client, "anna")
    await Session.update({Session.expires_at: dt.datetime.now(dt.UTC)}).where(
        Session.revoked_at.is_null()
    )
    assert (await client.get("/api/v1/auth/me")).status_code == 401
    reasons = {r["revoke_reason"] for r in await Session.select(Session.revoke_reason)}
    assert reasons == {"idle", "expired"}


async def test_account_throttled_after_repeated_failures_even_with_right_password(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/login", json={"login": "anna", "password": "wrong-password"}
        )
        assert response.status_code == 401
    response = await client.post("/api/v1/auth/login", json={"login": "anna", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "мин" in response.json()["detail"]
    # other accounts are not affected
    await make_employee("boris", roles=["receiver"])
    ok = await client.post("/api/v1/auth/login", json={"login": "boris", "password": PASSWORD})
    assert ok.status_code == 200


async def test_address_throttled_after_failures_across_accounts(client: httpx.AsyncClient) -> None:
    for i in range(30):
        await LoginAttempt.insert(
            LoginAttempt(
                at=dt.datetime.now(dt.UTC), login_key=f"guess{i}", ip="127.0.0.1", success=False
            )
        )
    await make_employee("anna", roles=["receiver"])
    response = await client.post("/api/v1/auth/login", json={"login": "anna", "password": PASSWORD})
    assert response.status_code == 429
    assert "адрес" in response.json()["detail"]


async def test_deactivated_employee_cannot_log_in(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    from server.staff.schemas import EmployeePatch
    from server.staff.services import StaffService, system_actor
    from server.staff.tables import Employee

    row = await Employee.select(Employee.id).where(Employee.login == "anna").first()
    assert row is not None
    await make_employee("boss", roles=["admin"])
    await StaffService(system_actor()).update_employee(row["id"], EmployeePatch(is_active=False))
    response = await client.post("/api/v1/auth/login", json={"login": "anna", "password": PASSWORD})
    assert response.status_code == 401
