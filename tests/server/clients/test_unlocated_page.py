"""The page of addresses without coordinates: the dispatcher types them or fixes the text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from server.clients.address_pages import parse_point
from server.clients.tables import Client, ClientAddress
from server.config import get_settings
from server.errors import InvalidInput
from tests.server.builders import login_as, make_employee
from tests.server.web.test_pages import csrf_of, form_login

PAGE = "/clients/addresses/unlocated"
MOMENT = dt.datetime(2026, 12, 1, 7, tzinfo=dt.UTC)


@pytest.fixture
def no_geocoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No geocoder: coordinates are typed."""
    monkeypatch.delenv("SERVIO_GEOCODER", raising=False)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


async def two_clients() -> tuple[int, int]:
    """Two clients with an address each, one without coordinates; the id of that address."""
    ids = []
    for name, lat in (("Петров Пётр", None), ("Иванов Иван", 54.19)):
        client = Client(name=name, created_at=MOMENT, updated_at=MOMENT)
        await client.save()
        status = "pending" if lat is None else "manual"
        address = ClientAddress(client=client.id, address=f"Тула, {name}", lat=lat,
                                lon=None if lat is None else 37.61, is_primary=True,
                                geo_status=status)  # fmt: skip
        await address.save()
        ids.append((client.id, address.id))
    return ids[0]


def test_coordinates_are_typed_as_copied_from_a_map() -> None:
    assert parse_point("55.7558, 37.6173") == (55.7558, 37.6173)
    assert parse_point(" 55,7558 37,6173 ") == (55.7558, 37.6173)
    assert parse_point("55.7558;-37.6173") == (55.7558, -37.6173)
    assert parse_point("") is None
    for wrong in ("55.7558", "север 55", "55.1, 37.2, 10"):
        with pytest.raises(InvalidInput):
            parse_point(wrong)


async def test_type_coordinates_on_the_page(no_geocoder: None, client: httpx.AsyncClient) -> None:
    await make_employee("disp", roles=["dispatcher"])
    await form_login(client, "disp")
    client_id, address_id = await two_clients()
    listing = await client.get("/clients")
    assert 'data-testid="unlocated-link"' in listing.text and ": 1</a>" in listing.text
    page = await client.get(PAGE)
    assert page.status_code == 200
    html = page.text
    assert "Тула, Петров Пётр" in html and "Тула, Иванов Иван" not in html
    assert "Геокодер не настроен" in html and "Искать снова" not in html
    action = f"/clients/{client_id}/addresses/{address_id}/fix"
    assert f'action="{action}"' in html

    wrong = await client.post(
        action,
        data={"_csrf_token": csrf_of(html), "address": "Тула, ул. Болдина, 98", "point": "54.17"},
    )
    assert wrong.status_code == 400
    assert re.search(rf'id="e-point-{address_id}">Введите широту и долготу', wrong.text)
    assert 'value="54.17"' in wrong.text and ">Тула, ул. Болдина, 98</textarea>" in wrong.text
    far = await client.post(
        action, data={"_csrf_token": csrf_of(html), "address": "Тула", "point": "154.1, 37.6"}
    )
    assert far.status_code == 400 and f'id="e-point-{address_id}"' in far.text

    saved = await client.post(
        action,
        data={
            "_csrf_token": csrf_of(html),
            "address": "Тула, ул. Болдина, 98",
            "point": "54,1721 37,6082",
            "action": "save",
        },
    )
    assert saved.status_code in (302, 303)
    assert saved.headers["location"] == f"{PAGE}?saved={address_id}"
    row = await ClientAddress.select().where(ClientAddress.id == address_id).first()
    assert row is not None
    assert (row["address"], row["lat"], row["lon"], row["geo_status"]) == (
        "Тула, ул. Болдина, 98", 54.1721, 37.6082, "manual"
    )  # fmt: skip
    after = await client.get(saved.headers["location"])
    assert 'data-testid="all-located"' in after.text and "Сохранено" in after.text
    assert 'data-testid="unlocated-link"' not in (await client.get("/clients")).text


async def test_a_technician_sees_the_list_without_forms(
    no_geocoder: None, client: httpx.AsyncClient
) -> None:
    from tests.server.orders.builders import intake

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    client_id, address_id = await two_clients()
    await login_as(client, "boss")
    await intake(client, client_id, technician_id=tech.id)
    client.cookies.clear()
    del client.headers["X-CSRFToken"]
    await form_login(client, "tech")
    html = (await client.get(PAGE)).text
    assert "Тула, Петров Пётр" in html and '<form method="post" action="/clients/' not in html
    refused = await client.post(
        f"/clients/{client_id}/addresses/{address_id}/fix",
        data={"_csrf_token": csrf_of(html), "address": "Тула", "point": "54.1, 37.6"},
    )
    assert refused.status_code == 403
