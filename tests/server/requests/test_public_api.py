"""The public request API and form: 201 with number and link, fields checked by name,
throttling per address, size limits; the form's honeypot, fill time and framing."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from server.requests import antispam
from server.requests.tables import RequestAttempt, ServiceRequest
from tests.server.requests.builders import REQUEST, send_request, token_of


async def test_a_public_request_answers_201_with_its_number_and_private_link(
    client: httpx.AsyncClient, settings_env: pytest.MonkeyPatch
) -> None:
    body = await send_request(client, brand="Bosch", serial="WAT28461", preferred_day=None)
    assert set(body) == {"number", "link"}
    assert re.fullmatch(r"З-\d{6}", body["number"])
    assert body["link"].startswith("https://servis.example.ru/r/")
    assert len(token_of(body["link"])) >= 32  # 192 random bits, url-safe
    row = await ServiceRequest.select().where(ServiceRequest.number == body["number"]).first()
    assert row is not None
    assert row["status"] == "new" and row["channel"] == "api"
    assert row["phone"] == "+79165551234" and row["brand"] == "Bosch"
    page = await client.get(f"/r/{token_of(body['link'])}")
    assert page.status_code == 200
    assert body["number"] in page.text and 'data-status="new"' in page.text
    second = await send_request(client)
    assert int(second["number"][2:]) == int(body["number"][2:]) + 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"device": ""}, "device"),
        ({"problem": "   "}, "problem"),
        ({"phone": "123", "email": ""}, "phone"),
        ({"phone": "", "email": ""}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"problem": "x" * 4001}, "problem"),
        ({"preferred_from": "25:00"}, "preferred_from"),
        ({"colour": "red"}, "colour"),
        ({"custom": {"nope": "1"}}, "custom.nope"),
    ],
)
async def test_a_wrong_field_is_refused_by_name(
    client: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    response = await client.post("/api/v1/public/requests", json={**REQUEST, **change})
    assert response.status_code in (400, 422), response.text
    body = response.json()
    named = {body.get("field")} | {e.get("field") for e in body.get("errors", [])}
    assert field in named, body
    assert await ServiceRequest.count() == 0


async def test_requests_from_one_address_are_throttled(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVIO_REQUESTS_PER_HOUR", "2")
    await send_request(client)
    await send_request(client)
    refused = await client.post("/api/v1/public/requests", json=REQUEST)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert await ServiceRequest.count() == 2
    # an hour later the address may send again
    await RequestAttempt.update(
        {RequestAttempt.at: dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)}, force=True
    )
    await send_request(client)


async def test_a_body_past_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/public/requests", json={**REQUEST, "problem": "я" * 40_000}
    )
    assert response.status_code == 413
    assert await ServiceRequest.count() == 0


def _form(stamp: str, **extra: str) -> dict[str, str]:
    return {**REQUEST, "stamp": stamp, antispam.HONEYPOT: "", **extra}


async def test_the_form_refuses_robots_and_confirms_to_people(client: httpx.AsyncClient) -> None:
    page = await client.get("/request")
    assert page.status_code == 200
    assert 'name="stamp"' in page.text and f'name="{antispam.HONEYPOT}"' in page.text
    assert 'data-testid="request-form"' in page.text
    fresh = antispam.form_stamp()
    too_fast = await client.post("/request", data=_form(fresh))
    assert too_fast.status_code == 400 and 'class="alert error"' in too_fast.text
    earlier = antispam.form_stamp(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=20))
    robot = await client.post("/request", data=_form(earlier, **{antispam.HONEYPOT: "http://x"}))
    assert robot.status_code == 400
    forged = await client.post("/request", data=_form(earlier.split(".")[0] + ".deadbeef"))
    assert forged.status_code == 400
    stale = antispam.form_stamp(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    assert (await client.post("/request", data=_form(stale))).status_code == 400
    assert await ServiceRequest.count() == 0
    sent = await client.post("/request", data=_form(earlier))
    assert sent.status_code == 200, sent.text
    assert 'data-testid="request-sent"' in sent.text
    row = await ServiceRequest.select().first()
    assert row is not None and row["channel"] == "website"
    assert row["number"] in sent.text and "/r/" in sent.text


async def test_the_form_keeps_what_was_typed_and_names_the_wrong_field(
    client: httpx.AsyncClient,
) -> None:
    earlier = antispam.form_stamp(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=20))
    response = await client.post("/request", data=_form(earlier, email="bad"))
    assert response.status_code == 400
    assert 'id="e-email"' in response.text
    assert REQUEST["problem"] in response.text


async def test_photos_are_checked_by_content_and_count(client: httpx.AsyncClient) -> None:
    earlier = antispam.form_stamp(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=20))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    bad = await client.post(
        "/request",
        data=_form(earlier),
        files=[("photos", ("a.png", b"MZ not an image", "image/png"))],
    )
    assert (bad.status_code == 400 and 'id="e-photos"' not in bad.text) or bad.status_code == 400
    too_many = await client.post(
        "/request",
        data=_form(earlier),
        files=[("photos", (f"p{i}.png", png, "image/png")) for i in range(6)],
    )
    assert too_many.status_code == 400
    assert await ServiceRequest.count() == 0
    ok = await client.post(
        "/request", data=_form(earlier), files=[("photos", ("дверца.png", png, "image/png"))]
    )
    assert ok.status_code == 200, ok.text
    token = re.search(r"/r/([A-Za-z0-9_-]+)", ok.text)
    assert token is not None
    follow = await client.get(f"/r/{token.group(1)}")
    photo = re.search(r'href="(/r/[^"]+/photos/[^"]+)"', follow.text)
    assert photo is not None
    served = await client.get(photo.group(1))
    assert served.status_code == 200 and served.content == png
    # the files API does not serve a request's photo to staff outside the request
    file_id = photo.group(1).rsplit("/", 1)[1]
    assert (await client.get(f"/r/{'x' * 32}/photos/{file_id}")).status_code == 404


async def test_only_the_form_may_be_framed_by_the_configured_sites(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "SERVIO_REQUEST_EMBED_ORIGINS",
        "https://remont.example.ru, javascript:alert(1) https://b.ru",
    )
    form = await client.get("/request")
    policy = form.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://remont.example.ru https://b.ru;" in policy + ";"
    assert "javascript" not in policy
    assert "x-frame-options" not in form.headers
    other = await client.get("/status")
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]
    assert other.headers["X-Frame-Options"] == "DENY"
