"""CSRF: the token is bound to the session, the login takes JSON from this site only, and a
response racing the login page never makes its form stale."""

from __future__ import annotations

import json
import re

import httpx
from litestar import Litestar

from tests.server.builders import PASSWORD, login_as, make_employee


def csrf_of(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def other_client(app: Litestar, ip: str = "127.0.0.2") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40001))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def test_a_token_of_one_session_is_refused_with_another_sessions_cookie(
    client: httpx.AsyncClient, app: Litestar
) -> None:
    await make_employee("boss", roles=["admin"])
    await make_employee("anna", roles=["receiver"])
    async with other_client(app) as attacker:
        await login_as(attacker, "anna")
        attackers_token = attacker.cookies["csrftoken"]
    await login_as(client, "boss")
    # The attacker planted his own token as the victim's CSRF cookie (a sibling subdomain can)
    # and sends it in the header: the victim's session must not accept it.
    client.cookies.set("csrftoken", attackers_token, domain="testserver.local")
    forged = await client.post(
        "/api/v1/roles", json={"name": "Чужой"}, headers={"X-CSRFToken": attackers_token}
    )
    assert forged.status_code == 403
    assert "Обновите страницу" in forged.json()["detail"]
    page_form = await client.post(
        "/profile/logout-everywhere",
        data={"_csrf_token": attackers_token},
        headers={"X-CSRFToken": ""},
    )
    assert page_form.status_code == 403


async def test_every_answer_of_one_session_carries_the_same_token(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    token = client.cookies["csrftoken"]
    for url in ("/", "/profile", "/staff/roles"):
        assert csrf_of((await client.get(url)).text) == token
    # A lost cookie comes back with the same value from any answer of the session.
    client.cookies.delete("csrftoken")
    again = await client.get("/api/v1/auth/me")
    assert again.status_code == 200
    assert client.cookies["csrftoken"] == token
    accepted = await client.post("/api/v1/roles", json={"name": "С токеном"})
    assert accepted.status_code == 201


async def test_the_login_page_form_survives_answers_to_requests_sent_without_cookies(
    client: httpx.AsyncClient,
) -> None:
    """A shared phone: the field app's pull and the service worker's update check left
    before the login page was asked for (the cookies were just cleared) and answer after it;
    their answers must not replace the CSRF cookie the login form was rendered with."""
    await make_employee("field2", roles=["field_technician"])
    page = await client.get("/login?next=/field")
    token = csrf_of(page.text)
    no_cookies = {"Cookie": "servio_lang=ru"}  # sent before the login page set any cookie
    for url in ("/api/v1/sync/pull", "/sw.js", "/manifest.webmanifest", "/api/v1/auth/me"):
        answer = await client.get(url, headers=no_cookies)
        assert answer.status_code < 500
    logged_in = await client.post(
        "/login",
        data={"login": "field2", "password": PASSWORD, "next": "/field", "_csrf_token": token},
    )
    assert logged_in.status_code in (302, 303), logged_in.text[:300]
    assert logged_in.headers["location"] == "/field"


async def test_login_page_works_after_logout_with_the_old_sessions_token_still_sent(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    await make_employee("boris", roles=["receiver"])
    await login_as(client, "anna")
    home = await client.get("/")
    out = await client.post("/logout", data={"_csrf_token": csrf_of(home.text)})
    assert out.status_code in (302, 303)
    page = await client.get("/login")
    # The old session's header is still sent (a script that kept it): the form's token decides.
    logged_in = await client.post(
        "/login", data={"login": "boris", "password": PASSWORD, "_csrf_token": csrf_of(page.text)}
    )
    assert logged_in.status_code in (302, 303)
    assert (await client.get("/api/v1/auth/me")).json()["login"] == "boris"


async def test_login_api_takes_only_json(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    body = json.dumps({"login": "anna", "password": PASSWORD})
    for content_type, content in (
        ("text/plain", body),
        ("application/x-www-form-urlencoded", body),
        ("application/x-www-form-urlencoded", f"login=anna&password={PASSWORD}"),
        ("multipart/form-data; boundary=x", body),
        ("", body),
    ):
        headers = {"Content-Type": content_type} if content_type else {}
        refused = await client.post("/api/v1/auth/login", content=content, headers=headers)
        assert refused.status_code == 415, (content_type, refused.text)
        assert "application/json" in refused.json()["detail"]
        assert "servio_session" not in refused.cookies
    accepted = await client.post(
        "/api/v1/auth/login",
        content=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert accepted.status_code == 200


async def test_login_api_refuses_requests_from_another_site(client: httpx.AsyncClient) -> None:
    await make_employee("anna", roles=["receiver"])
    credentials = {"login": "anna", "password": PASSWORD}
    for headers in (
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ):
        refused = await client.post("/api/v1/auth/login", json=credentials, headers=headers)
        assert refused.status_code == 403, headers
        assert "другого сайта" in refused.json()["detail"]
        assert "servio_session" not in refused.cookies
    for headers in (
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver.local"},
        {"Origin": "http://testserver.local"},
        {},
    ):
        accepted = await client.post("/api/v1/auth/login", json=credentials, headers=headers)
        assert accepted.status_code == 200, headers


async def test_cross_site_form_posts_are_refused_even_with_a_token(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    page = await client.get("/login")
    refused = await client.post(
        "/login",
        data={"login": "anna", "password": PASSWORD, "_csrf_token": csrf_of(page.text)},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert refused.status_code == 403
    assert "servio_session" not in refused.cookies


async def test_a_request_of_an_ended_session_is_asked_to_log_in_not_told_the_form_expired(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    home = await client.get("/")
    session = client.cookies["servio_session"]
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.set("servio_session", session, domain="testserver.local")
    api = await client.post("/api/v1/sync/push", json={"mutations": []})
    assert api.status_code == 401  # the field app shows "log in again", not "offline"
    page = await client.post("/logout", data={"_csrf_token": csrf_of(home.text)})
    assert page.status_code in (302, 303)
    assert page.headers["location"].startswith("/login")
