"""Big exports are jobs in the database: they wait for a worker and outlive the server."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from openpyxl import load_workbook

from fixtures.demo import DEMO_PASSWORD
from tests.live import demo_database, serve, servio

NO_WORKER = {"SERVIO_WORKER": "0", "SERVIO_EXPORT_BACKGROUND_ROWS": "10"}


@pytest.fixture(scope="module")
def demo_url() -> str:
    """One demo database for the module (each test exports as another employee)."""
    return demo_database("cli_worker")


@contextmanager
def _logged_in(url: str, login: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as http:
        answer = http.post("/api/v1/auth/login", json={"login": login, "password": DEMO_PASSWORD})
        assert answer.status_code == 200, answer.text
        yield http


def _downloads(http: httpx.Client) -> list[dict[str, object]]:
    items: list[dict[str, object]] = http.get("/api/v1/downloads").json()["items"]
    return items


def test_a_queued_export_waits_for_a_worker_and_survives_a_restart(demo_url: str) -> None:
    url = demo_url
    with serve(url, env=NO_WORKER) as server, _logged_in(server.url, "manager") as http:
        started = http.get("/api/v1/orders/export", params={"columns": "number,status"})
        assert started.status_code == 202, started.text
        assert [d["status"] for d in _downloads(http)] == ["pending"]
    ran = servio("worker", "--once", database_url=url)  # the server is gone, the job is not
    assert ran.returncode == 0, ran.stderr
    with serve(url, env=NO_WORKER) as server, _logged_in(server.url, "manager") as http:
        (done,) = _downloads(http)
        assert done["status"] == "done" and done["rows"] == 1000, done
        file = http.get(str(done["url"]))
        assert file.status_code == 200
        sheet = load_workbook(io.BytesIO(file.content), read_only=True).active
        assert sheet is not None
        header = next(sheet.iter_rows(values_only=True))
        assert header == ("Номер", "Статус")


def test_the_servers_own_worker_runs_it(demo_url: str) -> None:
    env = {"SERVIO_EXPORT_BACKGROUND_ROWS": "10"}
    with serve(demo_url, env=env) as server, _logged_in(server.url, "admin") as http:
        started = http.get("/api/v1/clients/export")
        assert started.status_code == 202, started.text
        for _ in range(100):
            (download,) = _downloads(http)
            if download["status"] != "pending":
                break
            time.sleep(0.1)
        assert download["status"] == "done" and download["rows"] == 200, download
