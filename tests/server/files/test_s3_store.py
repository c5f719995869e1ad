"""Files in an S3-compatible store (moto's server on a free port): stored there, streamed back
through the same access checks, and a store that does not answer is a 503 that keeps nothing
half-done and loses what can be kept (the caption; the phone's outbox keeps the photo)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest

from server.config import get_settings
from server.files.backend import LocalFileStore
from server.files.tables import StoredFile
from tests.ports import free_port
from tests.s3 import S3Server, s3_server
from tests.server.builders import login_as, make_employee
from tests.server.documents.builders import order_with_lines
from tests.server.documents.test_exports import wait_done
from tests.server.files.test_attachments import jpeg
from tests.server.orders.builders import intake, make_client
from tests.server.sync.builders import field_day
from tests.server.web.test_pages import csrf_of


@pytest.fixture(scope="module")
def s3_process() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture
def s3(s3_process: S3Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Server]:
    """This test's file store is the bucket (emptied first)."""
    client = s3_process.client()
    for key in s3_process.object_keys():
        client.delete_object(Bucket=s3_process.bucket, Key=key)
    for name, value in s3_process.env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield s3_process
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def s3_away(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> S3Server:
    """The store's address answers nothing (as when it is down); `s3` is the real one."""
    monkeypatch.setenv("SERVIO_S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    return s3


def back_up(monkeypatch: pytest.MonkeyPatch, s3: S3Server) -> None:
    monkeypatch.setenv("SERVIO_S3_ENDPOINT_URL", s3.url)
    get_settings.cache_clear()


def local_files() -> list[str]:
    root = LocalFileStore(get_settings().data_dir / "files").root
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def pdf(size: int) -> bytes:
    """A "PDF" of `size` bytes: several pieces of a streamed answer."""
    return b"%PDF-1.4\n" + os.urandom(size - 9)


async def test_a_file_is_kept_in_the_bucket_and_streamed_back(
    s3: S3Server, admin_client: httpx.AsyncClient
) -> None:
    before = local_files()
    order = await intake(admin_client, await make_client())
    document = pdf(700 * 1024)  # three pieces of 256 KiB
    sent = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("акт.pdf", document, "application/pdf")},
    )
    assert sent.status_code == 201, sent.text
    row = await StoredFile.objects().where(StoredFile.id == uuid.UUID(sent.json()["id"])).first()
    assert row is not None
    assert s3.object_keys() == [f"servio/{row.storage_key}"]
    assert s3.content(f"servio/{row.storage_key}") == document
    assert local_files() == before  # nothing on this server's disk
    back = await admin_client.get(f"/api/v1/files/{row.id}")
    assert back.status_code == 200
    assert back.content == document
    assert back.headers["content-length"] == str(len(document))
    assert back.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''%D0%B0%D0%BA%D1%82.pdf" in back.headers["content-disposition"]


async def test_the_bucket_is_read_through_the_same_access_checks(
    s3: S3Server, admin_client: httpx.AsyncClient
) -> None:
    order = await intake(admin_client, await make_client())
    stored = (
        await admin_client.post(
            f"/api/v1/orders/{order['id']}/attachments",
            files={"file": ("a.jpg", jpeg(), "image/jpeg")},
        )
    ).json()
    await make_employee("tech", roles=["technician"])
    await login_as(admin_client, "tech")
    assert (await admin_client.get(f"/api/v1/files/{stored['id']}")).status_code == 404
    await login_as(admin_client, "boss")
    [key] = s3.object_keys()
    s3.client().delete_object(Bucket=s3.bucket, Key=key)  # lost in the store: 404, not 500
    assert (await admin_client.get(f"/api/v1/files/{stored['id']}")).status_code == 404


async def test_a_store_that_does_not_answer_is_a_503_that_keeps_nothing_half_done(
    s3_away: S3Server, admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = await intake(admin_client, await make_client())
    api = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
    )
    assert api.status_code == 503
    assert api.headers["retry-after"] == "30"
    assert api.json()["errors"] == [
        {"field": "file", "message": api.json()["detail"]},
    ]
    assert "Хранилище файлов не отвечает" in api.json()["detail"]
    card = await admin_client.get(f"/orders/{order['id']}")
    page = await admin_client.post(
        f"/orders/{order['id']}/attachments",
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
        data={"caption": "Скол на корпусе", "_csrf_token": csrf_of(card.text)},
    )
    assert page.status_code == 503
    assert "Хранилище файлов не отвечает" in page.text
    assert "Скол на корпусе" in page.text  # what was typed is still in the form
    assert await StoredFile.count() == 0
    timeline = (await admin_client.get(f"/api/v1/orders/{order['id']}/timeline")).json()
    assert [e for e in timeline["items"] if e["kind"] == "attachment"] == []
    back_up(monkeypatch, s3_away)
    again = await admin_client.post(
        f"/api/v1/orders/{order['id']}/attachments",
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
    )
    assert again.status_code == 201
    assert len(s3_away.object_keys()) == 1


async def test_a_phone_photo_waits_for_the_store_and_goes_once(
    s3_away: S3Server, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """503 is what the field app's outbox retries; the retry with the same id stores it."""
    day = await field_day(client)
    url = f"/api/v1/sync/files/{uuid.uuid4()}"
    params = {"order_id": day["order"]["id"]}
    away = await client.put(url, params=params, content=jpeg())
    assert away.status_code == 503
    assert await StoredFile.count() == 0
    back_up(monkeypatch, s3_away)
    first = await client.put(url, params=params, content=jpeg())
    assert first.status_code == 201, first.text
    retry = await client.put(url, params=params, content=jpeg())
    assert retry.status_code == 200 and retry.json()["result"] == "duplicate"
    assert len(s3_away.object_keys()) == 1


@pytest.mark.app_worker  # the export is the worker's job
async def test_a_background_export_is_kept_in_the_bucket(
    s3: S3Server, admin_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVIO_EXPORT_BACKGROUND_ROWS", "1")
    await order_with_lines(admin_client)
    await intake(admin_client, await make_client("Кузнецова Анна"))
    started = await admin_client.get("/api/v1/orders/export", params={"columns": "number"})
    assert started.status_code == 202, started.text
    done = await wait_done(admin_client)
    assert done["status"] == "done", done
    [key] = s3.object_keys()
    file = await admin_client.get(done["url"])
    assert file.status_code == 200
    assert file.content == s3.content(key)
    assert file.headers["content-length"] == str(done["size"])
    assert file.headers["content-disposition"].startswith("attachment;")
    # The file the job wrote went to the store (other tests share the folder: only its own).
    written = (get_settings().data_dir / "tmp").glob(f"download-{done['id']}-*")
    assert list(written) == []
