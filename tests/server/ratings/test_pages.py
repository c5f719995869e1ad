"""The ratings page with its filters, and the settings page's form."""

from __future__ import annotations

import re

import httpx

from server import clock
from server.notify.tables import NotifyEvent
from server.ratings import invite
from server.ratings.tables import Rating
from tests.server.builders import make_employee
from tests.server.ratings.builders import closed_order, rate


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


async def test_the_ratings_page_shows_averages_and_filters(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    master = await make_employee("m3", roles=["technician"], full_name="Кирилл Мастеров")
    for n, score in enumerate((5, 2)):
        order = await closed_order(admin_client, f"p{n}@example.ru", master.id)
        await rate(visitor, order["id"], score, f"отзыв {n}")
    page = await admin_client.get("/ratings")
    assert page.status_code == 200
    assert 'data-testid="rating-average">3.50<' in page.text
    assert "Кирилл Мастеров" in page.text and "отзыв 1" in page.text
    month = clock.now().strftime("%Y-%m")
    only_low = await admin_client.get("/ratings", params={"month": month, "score": "2"})
    assert "отзыв 1" in only_low.text and "отзыв 0" not in only_low.text
    wrong = await admin_client.get("/ratings", params={"month": "2026-99"})
    assert wrong.status_code == 200 and "ГГГГ-ММ" in wrong.text


async def test_the_settings_form_saves_and_names_a_bad_field(
    admin_client: httpx.AsyncClient,
) -> None:
    page = await admin_client.get("/settings/ratings")
    assert page.status_code == 200 and 'name="statuses[]"' in page.text
    saved = await admin_client.post(
        "/settings/ratings",
        data={
            "_csrf_token": _csrf(page),
            "statuses[]": ["issued", "ready"],
            "channels[]": ["email"],
            "link_days": "14",
            "low_threshold": "2",
            "aspects": "1",
        },
    )
    assert saved.status_code in (302, 303), saved.text
    settings = (await admin_client.get("/api/v1/settings/ratings")).json()
    assert settings["statuses"] == ["issued", "ready"] and settings["link_days"] == 14
    assert settings["aspects"] is True and settings["low_threshold"] == 2
    bad = await admin_client.post(
        "/settings/ratings",
        data={"_csrf_token": _csrf(page), "channels[]": ["email"], "link_days": "0"},
    )
    assert (bad.status_code == 400 and "link_days" in bad.text) or "Link" in bad.text


async def test_the_form_asks_for_the_aspects_when_enabled(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient
) -> None:
    await admin_client.put("/api/v1/settings/ratings", json={"aspects": True})
    order = await closed_order(admin_client, "asp@example.ru")
    await invite.sweep()
    row = (
        await NotifyEvent.select(NotifyEvent.context)
        .where(NotifyEvent.key == f"order:{order['id']}:rating:request")
        .output(load_json=True)
        .first()
    )
    assert row is not None
    path = "/rate/" + row["context"]["rating"]["url"].rsplit("/rate/", 1)[1]
    form = await visitor.get(path)
    assert 'name="aspect_speed"' in form.text and "Вежливость" in form.text
    bad = await visitor.post(path, data={"score": "5", "aspect_speed": "9"})
    assert bad.status_code == 422 and "Выберите оценку от 1 до 5" in bad.text
    done = await visitor.post(path, data={"score": "5", "aspect_speed": "4", "aspect_quality": "5"})
    assert done.status_code == 200
    (rating,) = await Rating.select().output(load_json=True)
    assert rating["aspects"] == {"speed": 4, "quality": 5}
