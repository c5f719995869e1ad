"""Photos and documents on an order: checked by content and size, visible only within scope."""

from __future__ import annotations

import io

import httpx
from litestar import Litestar
from PIL import Image

from server.files.tables import StoredFile
from tests.server.builders import login_as, make_employee
from tests.server.orders.builders import intake, make_client
from tests.server.web.test_pages import csrf_of, form_login


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


async def test_photo_goes_to_the_store_and_the_timeline(admin_client: httpx.AsyncClient) -> None:
    order = await intake(admin_client, await make_client())
    url = f"/api/v1/orders/{order['id']}/attachments"
    photo = jpeg()
    response = await admin_client.post(
        url,
        files={"file": ("сломанный корпус.png", photo, "image/png")},
        data={"caption": "Скол на корпусе"},
    )
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["content_type"] == "image/jpeg"  # told by the content, not by the name
    assert stored["name"] == "сломанный корпус.jpg"
    back = await admin_client.get(f"/api/v1/files/{stored['id']}")
    assert back.status_code == 200
    assert back.content == photo
    assert back.headers["content-type"] == "image/jpeg"
    feed = (await admin_client.get(f"/api/v1/orders/{order['id']}/timeline")).json()["items"]
    note = next(e for e in feed if e["kind"] == "attachment")
    assert note["text"] == "Скол на корпусе"
    assert note["changes"]["file_id"] == stored["id"]


async def test_disguised_empty_and_oversized_files_are_refused(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await intake(admin_client, await make_client())
    url = f"/api/v1/orders/{order['id']}/attachments"
    script = await admin_client.post(
        url, files={"file": ("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")}
    )
    assert script.status_code == 422
    assert script.json()["errors"][0]["field"] == "file"
    empty = await admin_client.post(url, files={"file": ("a.jpg", b"", "image/jpeg")})
    assert empty.status_code == 422
    huge = await admin_client.post(
        url, files={"file": ("big.jpg", b"\xff\xd8\xff" + b"0" * (16 * 1024 * 1024), "image/jpeg")}
    )
    assert huge.status_code in (413, 422)
    assert await StoredFile.count() == 0


async def test_files_of_foreign_orders_are_not_served(
    admin_client: httpx.AsyncClient, app: Litestar
) -> None:
    await make_employee("tech", roles=["technician"])
    order = await intake(admin_client, await make_client())
    stored = (
        await admin_client.post(
            f"/api/v1/orders/{order['id']}/attachments",
            files={"file": ("a.jpg", jpeg(), "image/jpeg")},
        )
    ).json()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 2))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as tech:
        await login_as(tech, "tech")
        assert (await tech.get(f"/api/v1/files/{stored['id']}")).status_code == 404
        assert (await tech.get("/api/v1/files/not-a-uuid")).status_code == 404
        upload = await tech.post(
            f"/api/v1/orders/{order['id']}/attachments",
            files={"file": ("b.jpg", jpeg(), "image/jpeg")},
        )
        assert upload.status_code == 404


async def test_attach_from_the_order_card(client: httpx.AsyncClient) -> None:
    await make_employee("boss", roles=["admin"])
    await form_login(client, "boss")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    order = await intake(client, await make_client())
    card = await client.get(f"/orders/{order['id']}")
    token = csrf_of(card.text)
    wrong = await client.post(
        f"/orders/{order['id']}/attachments",
        data={"_csrf_token": token, "caption": "Чек"},
        files={"file": ("note.txt", b"just text", "text/plain")},
    )
    assert wrong.status_code == 400
    assert 'id="e-file"' in wrong.text and 'value="Чек"' in wrong.text
    ok = await client.post(
        f"/orders/{order['id']}/attachments",
        data={"_csrf_token": token, "caption": "Фото шильдика"},
        files={"file": ("plate.jpg", jpeg(), "image/jpeg")},
    )
    assert ok.status_code in (302, 303)
    page = (await client.get(f"/orders/{order['id']}")).text
    assert "Фото шильдика" in page and '<img src="/api/v1/files/' in page
