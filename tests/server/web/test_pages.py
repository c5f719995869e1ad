"""Server-rendered pages: forms keep what was typed and show errors next to fields."""

from __future__ import annotations

import re

import httpx

from server.staff.tables import Employee
from tests.server.builders import PASSWORD, login_as, make_employee, role_ids


def csrf_of(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


async def form_login(
    client: httpx.AsyncClient, login: str, password: str = PASSWORD
) -> httpx.Response:
    page = await client.get("/login?next=/staff/employees")
    return await client.post(
        "/login",
        data={
            "login": login,
            "password": password,
            "next": "/staff/employees",
            "_csrf_token": csrf_of(page.text),
        },
    )


async def test_login_form_wrong_password_keeps_login_and_shows_error(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("anna", roles=["receiver"])
    response = await form_login(client, "anna", "wrong-password")
    assert response.status_code == 401
    assert 'value="anna"' in response.text
    assert "Неверный логин или пароль" in response.text


async def test_login_form_goes_where_the_person_was_heading(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    response = await form_login(client, "boss")
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/staff/employees"
    page = await client.get("/staff/employees")
    assert page.status_code == 200
    assert "Test boss" in page.text


async def test_login_redirect_refuses_foreign_targets(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    page = await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "login": "boss",
            "password": PASSWORD,
            "next": "//evil.example/",
            "_csrf_token": csrf_of(page.text),
        },
    )
    assert response.headers["location"] == "/"


async def test_employee_form_error_is_next_to_the_field_and_input_is_kept(
    client: httpx.AsyncClient,
) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    page = await client.get("/staff/employees/new")
    receiver = (await role_ids(["receiver"]))[0]
    response = await client.post(
        "/staff/employees/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "full_name": "Анна Новикова",
            "login": "anna.n",
            "password": "short",
            "phone": "+7 916 111-22-33",
            "role_ids[]": str(receiver),
            "manufacturers": "Bosch\nLG",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert 'value="Анна Новикова"' in html and 'value="anna.n"' in html
    assert re.search(r'id="e-password">Пароль должен быть не короче 8 символов<', html)
    assert re.search(rf'value="{receiver}" checked', html)
    assert "Bosch\nLG" in html
    assert not await Employee.exists().where(Employee.login == "anna.n")

    fixed = await client.post(
        "/staff/employees/new",
        data={
            "_csrf_token": csrf_of(page.text),
            "full_name": "Анна Новикова",
            "login": "anna.n",
            "password": "a-much-better-one",
            "role_ids[]": str(receiver),
            "override:staff:view": "allow",
        },
    )
    assert fixed.status_code in (302, 303)
    created = (
        await Employee.select(Employee.permission_overrides)
        .where(Employee.login == "anna.n")
        .first()
    )
    assert created is not None


async def test_language_switch_per_user(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    assert "Выйти" in (await client.get("/profile")).text
    await client.get("/language/en?next=/profile")
    english = (await client.get("/profile")).text
    assert "Log out" in english and "Выйти" not in english
    stored = await Employee.select(Employee.language).where(Employee.login == "boss").first()
    assert stored == {"language": "en"}


async def test_profile_lists_sessions_and_ends_the_others(
    client: httpx.AsyncClient, app: object
) -> None:
    await make_employee("boss", roles=["admin"])
    transport = httpx.ASGITransport(app=app, client=("127.0.0.2", 1))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as laptop:
        await login_as(laptop, "boss")
        await form_login(client, "boss")
        profile = await client.get("/profile")
        assert profile.text.count("End session") + profile.text.count("Завершить сеанс") == 1
        ended = await client.post(
            "/profile/logout-everywhere", data={"_csrf_token": csrf_of(profile.text)}
        )
        assert ended.status_code in (302, 303)
        assert (await laptop.get("/api/v1/auth/me")).status_code == 401
        assert (await client.get("/api/v1/auth/me")).status_code == 200


async def test_password_change_page_keeps_this_session(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    profile = await client.get("/profile")
    wrong = await client.post(
        "/profile/password",
        data={
            "_csrf_token": csrf_of(profile.text),
            "current_password": "nope",
            "new_password": "another-secret",
        },
    )
    assert wrong.status_code == 400
    assert "Текущий пароль введён неверно" in wrong.text
    ok = await client.post(
        "/profile/password",
        data={
            "_csrf_token": csrf_of(profile.text),
            "current_password": PASSWORD,
            "new_password": "another-secret",
        },
    )
    assert ok.status_code in (302, 303)
    assert (await client.get("/profile?done=password")).status_code == 200


async def test_technician_sees_no_staff_pages(client: httpx.AsyncClient) -> None:
    await make_employee("tech", roles=["technician"])
    await form_login(client, "tech")
    home = await client.get("/")
    assert "/staff/employees" not in home.text
    refused = await client.get("/staff/employees")
    assert refused.status_code == 403
    assert "Нет права «Просмотр» в разделе «Сотрудники»" in refused.text


async def test_every_page_renders_for_admin(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    for url in ("/", "/profile", "/staff/employees", "/staff/employees/new", "/staff/employees/1",
                "/staff/roles", "/staff/roles/new", "/staff/roles/1", "/audit"):  # fmt: skip
        response = await client.get(url)
        assert response.status_code == 200, url
        assert "<nav" in response.text
