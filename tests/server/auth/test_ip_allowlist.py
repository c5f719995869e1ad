"""The IP allow-list is enforced at login and on every request."""

from __future__ import annotations

import httpx
from litestar import Litestar

from tests.live import live_server
from tests.server.builders import PASSWORD, login_as, make_employee


def client_from(app: Litestar, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_login_refused_outside_the_allowlist(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    await make_employee("anna", roles=["receiver"], ip_allowlist=["192.168.10.0/24"])
    async with client_from(app, "10.9.9.9") as outsider:
        response = await outsider.post(
            "/api/v1/auth/login", json={"login": "anna", "password": PASSWORD}
        )
        assert response.status_code == 403
        assert "10.9.9.9" in response.json()["detail"]
    async with client_from(app, "192.168.10.77") as insider:
        await login_as(insider, "anna")


async def test_session_stops_working_when_the_address_leaves_the_allowlist(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    await make_employee("boss", roles=["admin"])
    anna = await make_employee("anna", roles=["receiver"], ip_allowlist=["192.168.10.0/24"])
    async with client_from(app, "192.168.10.77") as office:
        await login_as(office, "anna")
        assert (await office.get("/api/v1/auth/me")).status_code == 200
        await login_as(client, "boss")
        await client.patch(f"/api/v1/employees/{anna.id}", json={"ip_allowlist": ["172.16.0.0/12"]})
        refused = await office.get("/api/v1/auth/me")
        assert refused.status_code == 403
        assert refused.json()["detail"] == "Доступ к этой учётной записи с вашего адреса запрещён"


def test_allowlist_against_a_real_server_process() -> None:
    """Through uvicorn, the address is the real peer's (127.0.0.1 here)."""
    with live_server("servio_live_ip") as server:
        with httpx.Client(base_url=server.url) as admin:
            assert (
                admin.post(
                    "/api/v1/auth/login", json={"login": "admin", "password": "servio-demo"}
                ).status_code
                == 200
            )
            headers = {"X-CSRFToken": admin.cookies["csrftoken"]}
            field1 = next(
                e for e in admin.get("/api/v1/employees").json()["items"] if e["login"] == "field1"
            )
            changed = admin.patch(
                f"/api/v1/employees/{field1['id']}",
                json={"ip_allowlist": ["10.0.0.0/8"]},
                headers=headers,
            )
            assert changed.status_code == 200
        with httpx.Client(base_url=server.url) as phone:
            refused = phone.post(
                "/api/v1/auth/login", json={"login": "field1", "password": "servio-demo"}
            )
            assert refused.status_code == 403
            assert "127.0.0.1" in refused.json()["detail"]
