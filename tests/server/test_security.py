"""CSRF, security headers, no stack traces, health."""

from __future__ import annotations

import httpx

from tests.server.builders import PASSWORD, login_as, make_employee


async def test_state_change_with_session_cookie_needs_the_csrf_header(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    token = client.headers.pop("X-CSRFToken")
    refused = await client.post("/api/v1/roles", json={"name": "Без токена"})
    assert refused.status_code == 403
    assert "Обновите страницу" in refused.json()["detail"]
    forged = await client.post(
        "/api/v1/roles", json={"name": "Чужой"}, headers={"X-CSRFToken": "forged"}
    )
    assert forged.status_code == 403
    accepted = await client.post(
        "/api/v1/roles", json={"name": "С токеном"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


async def test_html_form_post_needs_the_csrf_field(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    page = await client.get("/login")
    assert 'name="_csrf_token"' in page.text
    token = page.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    without = await client.post("/login", data={"login": "anna", "password": PASSWORD})
    assert without.status_code == 403
    with_token = await client.post(
        "/login", data={"login": "anna", "password": PASSWORD, "_csrf_token": token}
    )
    assert with_token.status_code in (301, 302, 303)


async def test_security_headers_on_pages_api_and_errors(client: httpx.AsyncClient) -> None:
    for url in ("/login", "/api/v1/auth/me", "/health", "/nope", "/static/css/app.css"):
        response = await client.get(url)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


async def test_pages_have_no_inline_script_or_style(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    for url in (
        "/",
        "/profile",
        "/staff/employees",
        "/staff/employees/1",
        "/staff/roles",
        "/audit",
    ):
        html = (await client.get(url)).text
        assert "<script>" not in html and "<script " not in html.replace(
            '<script type="module" src=', ""
        )
        assert " style=" not in html and "<style" not in html


async def test_unknown_page_and_api_path(client: httpx.AsyncClient) -> None:
    api = await client.get("/api/v1/nothing-here")
    assert api.status_code == 404
    assert api.json()["detail"] == "Не найдено"
    anonymous_page = await client.get("/staff/employees")
    assert anonymous_page.status_code in (302, 303)
    assert anonymous_page.headers["location"] == "/login?next=/staff/employees"


async def test_health_reports_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_passwords_are_stored_as_argon2id(db: None) -> None:
    from server.staff.tables import Employee
    from tests.server.builders import make_employee

    await make_employee("anna")
    row = await Employee.select(Employee.password_hash).where(Employee.login == "anna").first()
    assert row is not None
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]


async def test_session_cookie_is_secure_over_https(app: object, db: None) -> None:
    await make_employee("anna")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://servio.example") as secure:
        response = await secure.post(
            "/api/v1/auth/login", json={"login": "anna", "password": PASSWORD}
        )
        session_cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("servio_session=")
        )
        assert "Secure" in session_cookie
        assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_password_change_ends_other_sessions_and_renews_this_one(
    client: httpx.AsyncClient, app: object
) -> None:
    await make_employee("anna")
    transport = httpx.ASGITransport(app=app, client=("127.0.0.3", 1))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as phone:
        await login_as(phone, "anna")
        await login_as(client, "anna")
        before = client.cookies["servio_session"]
        changed = await client.post(
            "/api/v1/auth/password",
            json={"current_password": PASSWORD, "new_password": "fresh-and-long-one"},
        )
        assert changed.status_code == 204
        assert client.cookies["servio_session"] != before
        assert (await client.get("/api/v1/auth/me")).status_code == 200
        assert (await phone.get("/api/v1/auth/me")).status_code == 401
        sessions = (await client.get("/api/v1/auth/sessions")).json()["items"]
        assert [s["current"] for s in sessions] == [True]


def test_health_is_503_when_the_database_is_down() -> None:
    """A server whose database does not answer still starts and says so on /health."""
    import os
    import subprocess
    import sys
    import time

    from tests.live import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"postgresql://servio@127.0.0.1:{free_port()}/servio"}
    uvicorn = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "server.app:create_app",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        uvicorn, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}
        login = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/login",
            json={"login": "a", "password": "b"},
            timeout=10,
        )
        assert login.status_code == 503
        assert "traceback" not in login.text.lower()
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_only_responses_without_secrets_are_compressed(client: httpx.AsyncClient) -> None:
    from tests.server.sync.builders import field_day

    await field_day(client)
    gzip = {"Accept-Encoding": "gzip"}
    for url in ("/static/field/sync.js", "/sw.js", "/api/v1/sync/pull"):
        response = await client.get(url, headers=gzip)
        assert response.status_code == 200, url
        assert response.headers.get("content-encoding") == "gzip", url
        assert int(response.headers["content-length"]) < len(response.content), url
    for url in ("/field", "/login", "/api/v1/auth/me", "/orders"):
        response = await client.get(url, headers=gzip)
        assert "content-encoding" not in response.headers, url


async def test_answers_with_personal_data_are_never_stored_by_caches(
    admin_client: httpx.AsyncClient, app: object
) -> None:
    from tests.server.orders.builders import intake, make_client

    order = await intake(admin_client, await make_client())
    photo = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("photo.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    assert photo.status_code == 201, photo.text
    for url in (
        "/",
        "/orders",
        f"/orders/{order['id']}",
        "/profile",
        "/login",
        "/status",
        "/field",
        "/api/v1/auth/me",
        f"/api/v1/orders/{order['id']}",
        f"/api/v1/orders/{order['id']}/documents/receipt?format=pdf",
        "/api/v1/orders/export?format=xlsx",
        f"/api/v1/files/{photo.json()['id']}",
        "/api/v1/sync/pull",
        "/api/v1/downloads",
        "/api/v1/nothing-here",
        "/health",
    ):
        response = await admin_client.get(url)
        assert response.status_code < 500, url
        assert response.headers.get("cache-control") == "no-store", (url, response.status_code)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.9", 1))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as anon:
        for url in ("/login", "/status", "/api/v1/auth/me"):  # anonymous answers too
            anonymous = await anon.get(url)
            assert anonymous.headers.get("cache-control") == "no-store", url
    # The app's own files and the service worker keep their policy.
    assert (await admin_client.get("/sw.js")).headers["cache-control"] == "no-cache"
    assert (await admin_client.get("/manifest.webmanifest")).headers["cache-control"] == "no-cache"
    static = await admin_client.get("/static/field/sync.js")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("cache-control", "")
