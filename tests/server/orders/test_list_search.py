"""Order search by a phone typed as the receipt prints it, for every way the list is searched."""

from __future__ import annotations

import httpx
import pytest

from server.staff.tables import Role
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake

TYPED = ["+7 916 555-12-34", "8 916 555 12 34", "89165551234", "9165551234", "555-12-34"]


async def _numbers(client: httpx.AsyncClient, q: str) -> list[str]:
    response = await client.get("/api/v1/orders", params={"q": q})
    assert response.status_code == 200, response.text
    return [o["number"] for o in response.json()["items"]]


async def _client(http: httpx.AsyncClient, name: str, phone: str) -> int:
    """A client made through the API, so its phones are stored like the counter's."""
    made = await http.post("/api/v1/clients", json={"name": name, "phones": [{"number": phone}]})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def _two_orders(client: httpx.AsyncClient) -> tuple[str, str]:
    mine = await intake(client, await _client(client, "Олег Сидоров", "8 (916) 555-12-34"))
    other = await intake(client, await _client(client, "Нина Орлова", "+7 903 111 22 33"))
    return mine["number"], other["number"]


@pytest.mark.parametrize("typed", TYPED)
async def test_order_found_by_phone_typed_any_way(
    admin_client: httpx.AsyncClient, typed: str
) -> None:
    mine, _other = await _two_orders(admin_client)
    assert await _numbers(admin_client, typed) == [mine]


async def test_phone_search_on_the_limited_path_and_the_page(client: httpx.AsyncClient) -> None:
    # a hidden searched field makes the list compute the words per row (matches_parts)
    await Role.update({Role.field_permissions: {"order.custom": "hidden"}}).where(
        Role.code == "receiver"
    )
    await make_employee("anna", roles=["receiver"])
    await login_as(client, "anna")
    mine, other = await _two_orders(client)
    for typed in TYPED:
        assert await _numbers(client, typed) == [mine], typed
    page = await client.get("/orders", params={"q": "+7 916 555-12-34"})
    assert page.status_code == 200
    assert mine in page.text and other not in page.text


async def test_a_number_with_a_dash_is_still_found_and_a_wrong_phone_finds_nothing(
    admin_client: httpx.AsyncClient,
) -> None:
    mine, other = await _two_orders(admin_client)
    assert await _numbers(admin_client, mine) == [mine]
    assert await _numbers(admin_client, mine.replace("-", "")) == [mine]
    assert await _numbers(admin_client, "+7 916 555-00-00") == []
    assert await _numbers(admin_client, "8 903 111-22-33") == [other]
