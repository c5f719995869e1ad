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
