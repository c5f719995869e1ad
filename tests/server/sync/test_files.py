"""Offline captures: stored once under the phone's id, checked by content, on the timeline."""

from __future__ import annotations

import io
import uuid

import httpx
from PIL import Image

from server.files.services import MAX_BYTES
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

    again = await client.put(
        signature,
        params={"order_id": order_id, "kind": "signature", "signer": "Пётр Петров"},
        content=_image("PNG"),
    )
    assert again.status_code == 200 and again.json() == {
        "id": signature.rsplit("/", 1)[1],
        "result": "duplicate",
    }
    assert await StoredFile.count().where(StoredFile.order == order_id) == 2

    events = (await client.get(f"/api/v1/orders/{order_id}/timeline")).json()["items"]
    files = [e for e in events if e["kind"] == "attachment" and e["id"].startswith("e")]
    assert [e["text"] for e in files] == ["Насос", "Пётр Петров"]
    assert [e["changes"]["content_type"] for e in files] == ["image/jpeg", "image/png"]
    assert files[1]["changes"]["signer"] == "Пётр Петров" and files[1]["changes"]["signature"]

    pulled = (await client.get("/api/v1/sync/pull")).json()["orders"][0]["timeline"]
    assert {e["file_id"] for e in pulled if e["file_id"]} == {
        photo_id,
        signature.rsplit("/", 1)[1],
    }
    page = await client.get(f"/orders/{order_id}")
    assert page.status_code == 200
    assert f'src="/api/v1/files/{photo_id}"' in page.text
    assert "Подписал: <strong>Пётр Петров</strong>" in page.text


async def test_wrong_files_are_refused(client: httpx.AsyncClient) -> None:
    day = await field_day(client)
    order_id = day["order"]["id"]
    text = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}",
        params={"order_id": order_id},
        content=b"not really a jpeg",
    )
    assert text.status_code == 422
    assert text.json()["errors"][0]["field"] == "file"
    pdf = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}",
        params={"order_id": order_id},
        content=b"%PDF-1.4 a document, not a photo",
    )
    assert pdf.status_code == 422
    jpeg_signature = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}",
        params={"order_id": order_id, "kind": "signature", "signer": "Пётр"},
        content=_image("JPEG"),
    )
    assert jpeg_signature.status_code == 422
    empty = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}", params={"order_id": order_id}, content=b""
    )
    assert empty.status_code == 422
    foreign = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}", params={"order_id": 99999}, content=_image("JPEG")
    )
    assert foreign.status_code == 404
    assert await StoredFile.count() == 0


async def test_a_file_over_the_limit_is_refused_as_too_large(client: httpx.AsyncClient) -> None:
    day = await field_day(client)
    huge = b"\xff\xd8\xff" + bytes(MAX_BYTES)
    response = await client.put(
        f"/api/v1/sync/files/{uuid.uuid4()}", params={"order_id": day["order"]["id"]}, content=huge
    )
    assert response.status_code == 413, response.text
    assert "15" in response.json()["detail"]
    assert await StoredFile.count() == 0


async def test_a_file_id_is_bound_to_its_order_and_author(client: httpx.AsyncClient) -> None:
    from tests.server.builders import login_as, make_employee
    from tests.server.sync.builders import more_visits

    day = await field_day(client)
    [other_order] = await more_visits(client, day["master"].id, 1)
    await login_as(client, "field1")
    file_id = uuid.uuid4()
    url = f"/api/v1/sync/files/{file_id}"
    first = await client.put(url, params={"order_id": day["order"]["id"]}, content=_image("JPEG"))
    assert first.status_code == 201
    elsewhere = await client.put(url, params={"order_id": other_order}, content=_image("JPEG"))
    assert elsewhere.status_code == 409
    await make_employee("field2", roles=["field_technician"])
    await login_as(client, "field2")
    stolen = await client.put(url, params={"order_id": day["order"]["id"]}, content=_image("JPEG"))
    assert stolen.status_code == 409
    assert await StoredFile.count() == 1


async def test_an_upload_that_loses_the_race_leaves_no_bytes(client: httpx.AsyncClient) -> None:
    """Two uploads of one id at the same moment: the one whose record fails keeps nothing."""
    import asyncpg
    import pytest

    from server.files.backend import LocalFileStore
    from server.files.services import attach_to_order
    from server.files.store import file_store
    from server.staff.services import load_actor

    day = await field_day(client)
    photo_id = uuid.uuid4()
    first = await client.put(
        f"/api/v1/sync/files/{photo_id}",
        params={"order_id": day["order"]["id"]},
        content=_image("JPEG"),
    )
    assert first.status_code == 201
    store = file_store()
    assert isinstance(store, LocalFileStore)
    root = store.root
    before = sorted(p.name for p in root.rglob("*") if p.is_file())
    actor = await load_actor(day["master"].id)
    assert actor is not None
    with pytest.raises(asyncpg.UniqueViolationError):  # as if it had passed the check first
        await attach_to_order(actor, day["order"]["id"], "photo", _image("PNG"), file_id=photo_id)
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == before
