"""Offline captures: stored once under the phone's id, checked by content, on the timeline."""

from __future__ import annotations

import io
import uuid

import httpx
from PIL import Image

from server.files.tables import StoredFile
from tests.server.sync.builders import field_day


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


async def test_a_photo_and_a_signature_are_stored_once(client: httpx.AsyncClient) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    photo_id = str(uuid.uuid4())
    url = f"/api/v1/sync/files/{photo_id}"
    params = {"order_id": order_id, "caption": "Насос"}
    first = await client.put(url, params=params, content=_image("JPEG"))
    assert first.status_code == 201, first.text
    again = await client.put(url, params=params, content=_image("JPEG"))
    assert again.status_code == 200 and again.json()["result"] == "duplicate"

    signature = f"/api/v1/sync/files/{uuid.uuid4()}"
    unsigned = await client.put(
        signature, params={"order_id": order_id, "kind": "signature"}, content=_image("PNG")
    )
    assert unsigned.status_code == 422
    signed = await client.put(
        signature,
        params={"order_id": order_id, "kind": "signature", "signer": "Пётр Петров"},
        content=_image("PNG"),
    )
    assert signed.status_code == 201, signed.text
    assert await StoredFile.count().where(StoredFile.order == order_id) == 2

    events = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    files = [e for e in events if e["kind"] == "attachment" and e["id"].startswith("e")]
    assert [e["text"] for e in files] == ["Насос", "Пётр Петров"]
    assert files[1]["changes"]["signer"] == "Пётр Петров"


async def test_wrong_files_are_refused(client: httpx.AsyncClient) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    text = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}",
        params={"order_id": order_id},
        content=b"not really a jpeg",
    )
    assert text.status_code == 422
    foreign = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}", params={"order_id": 99999}, content=_image("JPEG")
    )
    assert foreign.status_code == 404
    assert await StoredFile.count() == 0
