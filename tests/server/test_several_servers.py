"""Two `servio serve` processes on one database and one S3 store answer as one server.

Each process has a data folder of its own (nothing shared on disk) and the same secret key;
requests alternate between them as a round-robin load balancer without sticky sessions would
send them: the login form handed out by one is sent to the other, the session made by one is
used on the other, a photo goes up through one and comes back from the other, a background
export started on one is listed and fetched on both, and a phone pulls, pushes and uploads
through both in turn.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.live import SERVIO, LiveServer, demo_database, fresh_database, query, serve
from tests.s3 import S3Server, s3_server
from tests.server.web.test_pages import csrf_of

pytestmark = pytest.mark.slow
PASSWORD = "servio-demo"


class RoundRobin(httpx.HTTPTransport):
    """Sends each request to the next server in turn, Host and cookies unchanged (one site)."""

    def __init__(self, servers: list[LiveServer]) -> None:
        super().__init__()
        self.ports = [httpx.URL(s.url).port for s in servers]
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        turn, self.sent = self.sent % len(self.ports), self.sent + 1
        request.url = request.url.copy_with(port=self.ports[turn])
        return super().handle_request(request)


def jpeg(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[S3Server, list[Any]]]:
    database_url = demo_database("several_servers")
    with s3_server(bucket="servio-shared") as s3:
        env = {
            **s3.env,
            "SERVIO_SECRET_KEY": "one-key-for-every-server-process-of-this-install",
            "SERVIO_EXPORT_BACKGROUND_ROWS": "1",
        }
        folders = [tmp_path_factory.mktemp(name) for name in ("server_a", "server_b")]
        with (
            serve(database_url, env={**env, "SERVIO_DATA_DIR": str(folders[0])}) as a,
            serve(database_url, env={**env, "SERVIO_DATA_DIR": str(folders[1])}) as b,
        ):
            yield s3, [a, b, folders]


def balanced(servers: list[LiveServer]) -> httpx.Client:
    """A client whose requests go to each server in turn (the comments say which)."""
    return httpx.Client(transport=RoundRobin(servers), base_url=servers[0].url, timeout=60)


def files_on_disk(folder: Path) -> list[str]:
    """Files a server kept in its own data folder (none should be needed)."""
    kept = [folder / "files", folder / "downloads"]
    return sorted(str(p) for place in kept if place.exists() for p in place.rglob("*"))


def test_a_desk_session_works_whichever_server_answers(
    servers: tuple[S3Server, list[Any]],
) -> None:
    s3, (a, b, folders) = servers
    http = balanced([a, b])
    with http:
        login_page = http.get("/login")  # A hands out the anonymous form token
        logged_in = http.post(  # B takes it and makes the session
            "/login",
            data={"login": "admin", "password": PASSWORD, "_csrf_token": csrf_of(login_page.text)},
        )
        assert logged_in.status_code in (302, 303), logged_in.text[:500]
        assert http.get("/orders").status_code == 200  # A knows B's session
        http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        orders = http.get("/api/v1/orders", params={"limit": 1})  # B
        assert orders.status_code == 200, orders.text
        order_id = orders.json()["items"][0]["id"]

        card = http.get(f"/orders/{order_id}")  # A: the card's form token, bound to the session
        photo = jpeg((10, 120, 200))
        attached = http.post(  # B takes A's token and the photo
            f"/orders/{order_id}/attachments",
            data={"caption": "Шильдик с двух серверов", "_csrf_token": csrf_of(card.text)},
            files={"file": ("plate.jpg", photo, "image/jpeg")},
        )
        assert attached.status_code in (302, 303), attached.text[:500]
        timeline = http.get(f"/api/v1/orders/{order_id}/timeline").json()["items"]  # A
        note = next(e for e in timeline if e["text"] == "Шильдик с двух серверов")
        file_id = note["changes"]["file_id"]
        for _ in range(2):  # from B, then from A
            back = http.get(f"/api/v1/files/{file_id}")
            assert back.status_code == 200 and back.content == photo

        started = http.get("/api/v1/orders/export", params={"columns": "number"})
        assert started.status_code == 202, started.text
        for _ in range(300):  # listed by both servers while a worker of either writes it
            items = http.get("/api/v1/downloads").json()["items"]
            if items[0]["status"] != "pending":
                break
            time.sleep(0.1)
        done = items[0]
        assert done["status"] == "done", done
        fetched = [http.get(done["url"]) for _ in range(2)]  # one from each server
        assert [f.status_code for f in fetched] == [200, 200]
        assert fetched[0].content == fetched[1].content
        sheet = load_workbook(io.BytesIO(fetched[0].content)).active
        assert sheet is not None and sheet.max_row == done["rows"] + 1

        assert http.post("/api/v1/auth/logout").status_code in (200, 204)
        assert http.get("/api/v1/orders").status_code == 401  # ended on both
        assert http.get("/api/v1/orders").status_code == 401
    assert len(s3.object_keys()) >= 2  # the photo and the export
    assert files_on_disk(folders[0]) == files_on_disk(folders[1]) == []


def test_a_phone_syncs_whichever_server_answers(servers: tuple[S3Server, list[Any]]) -> None:
    _, (a, b, folders) = servers
    http = balanced([a, b])
    with http:
        login = http.post("/api/v1/auth/login", json={"login": "field1", "password": PASSWORD})
        assert login.status_code == 200, login.text  # A
        http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        first = http.get("/api/v1/sync/pull").json()  # B
        assert first["reset"] is True and first["visits"], "field1 has no visits in the demo"
        order_id = first["visits"][0]["order_id"]
        comment = {
            "id": str(uuid.uuid4()),
            "kind": "order.comment",
            "entity_id": order_id,
            "change": {"text": "Запчасть заказана (через два сервера)"},
            "at": "2026-11-23T09:10:00+03:00",
        }
        pushed = http.post("/api/v1/sync/push", json={"mutations": [comment]})  # A
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["results"][0]["result"] == "applied"
        again = http.post("/api/v1/sync/push", json={"mutations": [comment]})  # B: a retry
        assert again.json()["results"][0]["result"] == "duplicate"

        photo_id = str(uuid.uuid4())
        photo_url = f"/api/v1/sync/files/{photo_id}"
        photo = jpeg((200, 60, 20))
        sent = http.put(photo_url, params={"order_id": order_id}, content=photo)  # A
        assert sent.status_code == 201, sent.text
        retried = http.put(photo_url, params={"order_id": order_id}, content=photo)  # B
        assert retried.status_code == 200 and retried.json()["result"] == "duplicate"

        later = http.get("/api/v1/sync/pull", params={"cursor": first["cursor"]})  # A
        assert later.status_code == 200 and later.json()["reset"] is False
        [order] = [o for o in later.json()["orders"] if o["id"] == order_id]
        texts = [e["text"] for e in order["timeline"]]
        assert "Запчасть заказана (через два сервера)" in texts
        assert photo_id in [e["file_id"] for e in order["timeline"]]
        assert http.get(f"/api/v1/files/{photo_id}").content == photo  # B
        following = http.get("/api/v1/sync/pull", params={"cursor": later.json()["cursor"]})
        assert following.status_code == 200 and following.json()["reset"] is False  # A
    assert files_on_disk(folders[0]) == files_on_disk(folders[1]) == []


def test_servers_started_together_on_a_new_database_migrate_in_turn() -> None:
    """Each process migrates as it starts: two at once must not both create the tables."""
    database_url = fresh_database("migrated_together")
    env = {**os.environ, "DATABASE_URL": database_url}
    both = [
        subprocess.Popen(
            [SERVIO, "migrate"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(p.communicate(timeout=300)[1][-2000:], p.returncode) for p in both]
    assert [code for _, code in outcomes] == [0, 0], outcomes
    roles = query(database_url, "SELECT count(*) AS n FROM role WHERE is_builtin")
    assert roles[0]["n"] > 0
