"""The customers' status page: the receipt's QR link shows the answer at once (the number and
code it carries prove the receipt is at hand), with the device and the center's contacts and
hours; a number typed without the dash is the same number; a wrong pair stays neutral and
counts against the same limit as the form."""

from __future__ import annotations

import httpx
from litestar import Litestar

from server.documents.tables import CenterSettings
from server.portal.numbers import canonical_number
from tests.server.orders.builders import intake, make_client, make_device
from tests.server.portal.test_status_lookup import URL, from_address

NEUTRAL = "Заказ с таким номером и кодом не найден"


async def _center() -> None:
    await CenterSettings(
        name="Сервисный центр «Мастер Плюс»",
        phone="+7 831 234-56-78",
        address="г. Нижний Новгород, ул. Родионова, д. 165",
        hours="Пн–Пт 9:00–20:00",
    ).save()


def test_a_number_is_read_with_or_without_its_dash() -> None:
    for typed in ("26000933", "26-000933", " 26 000933 ", "№26-933", "26–000933"):
        assert canonical_number(typed) == "26-000933", typed
    assert canonical_number("26-0000933") == "26-0000933"  # not read as another number
    assert canonical_number("abc") == "ABC"


async def test_the_qr_link_shows_the_device_status_and_the_center_at_once(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    await _center()
    client_id = await make_client()
    order = await intake(
        admin_client, client_id, device_id=await make_device(client_id), estimated_cost="1200"
    )
    async with from_address(app, "10.20.0.1") as customer:
        page = await customer.get(
            "/status", params={"number": order["number"], "code": order["public_code"]}
        )
        assert page.status_code == 200
        assert 'data-testid="status-result"' in page.text
        assert "Стиральная машина Bosch WLG 2416" in page.text
        assert "+7 831 234-56-78" in page.text and "Пн–Пт 9:00–20:00" in page.text
        assert 'href="tel:+78312345678"' in page.text
        assert "0,00\u00a0₽" in page.text
        # Only the number: the form, filled in, with the center's contacts below.
        form = await customer.get("/status", params={"number": order["number"]})
        assert 'data-testid="status-result"' not in form.text
        assert f'value="{order["number"]}"' in form.text and "Мастер Плюс" in form.text


async def test_a_number_without_the_dash_is_found_by_the_api_and_the_link(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    bare = order["number"].replace("-", "")
    async with from_address(app, "10.21.0.1") as customer:
        found = await customer.post(URL, json={"number": bare, "code": order["public_code"]})
        assert found.json()["found"] is True and found.json()["number"] == order["number"]
        page = await customer.get("/status", params={"number": bare, "code": order["public_code"]})
        assert 'data-testid="status-result"' in page.text


async def test_a_wrong_code_in_the_link_is_neutral_and_throttled(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    order = await intake(admin_client, await make_client())
    async with from_address(app, "10.22.0.1") as guesser:
        for attempt in range(5):
            miss = await guesser.get(
                "/status", params={"number": order["number"], "code": f"W{attempt}"}
            )
            assert miss.status_code == 200 and NEUTRAL in miss.text
            assert 'data-testid="status-result"' not in miss.text
        unknown = await guesser.get("/status", params={"number": "99-000001", "code": "ABCDEF"})
        assert NEUTRAL in unknown.text
        stopped = await guesser.get(
            "/status", params={"number": order["number"], "code": order["public_code"]}
        )
        assert stopped.status_code == 429 and "мин" in stopped.text
        assert 'data-testid="status-result"' not in stopped.text
