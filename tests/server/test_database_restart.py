"""The database goes away under a running `servio serve` and comes back (issue #15).

The install is private (its own data folder and embedded PostgreSQL, started by `servio serve`
itself), so the test can stop PostgreSQL the way an operator or a crash does without touching
the cluster other test workers share. While it is down, staff browse, phones pull and forms
are sent: every answer is 503 with Retry-After, never a 500; the pages say in the reader's
language that the system reconnects and retry, a sent form comes back filled in. When
PostgreSQL returns the same process serves again, and a job queued afterwards runs (the
worker's LISTEN connection died with the database). SIGTERM then still stops it within the
issue's 10 s, the embedded PostgreSQL with it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.install import Install, Serving, login, make_install

pytestmark = pytest.mark.slow

CLIENTS = 8  # browsers and phones asking at once


@pytest.fixture(scope="module")
def install() -> Iterator[Install]:
    made = make_install("restart")
    made.env["SERVIO_EXPORT_BACKGROUND_ROWS"] = "0"  # every export is a job
    yield made
    if made.database_running():
        made.stop_database()


def _traffic(serving: Serving, stop: threading.Event, seen: Counter[str], odd: list[str]) -> None:
    """One employee's tab and phone: the API, a page, the pull and a save, round and round."""
    with login(serving.url) as http:
        while not stop.is_set():
            for method, path, body in (
                ("GET", "/api/v1/orders", None),
                ("GET", "/api/v1/sync/pull", None),
                ("GET", "/orders", None),
                ("POST", "/api/v1/clients", {"kind": "person", "name": "Outage Client"}),
            ):
                try:
                    answer = http.request(method, path, json=body)
                except httpx.TransportError as error:  # never expected: the server stays up
                    odd.append(f"{method} {path}: {error!r}")
                    continue
                seen[f"{answer.status_code}"] += 1
                if answer.status_code >= 500 and (
                    answer.status_code != 503 or not answer.headers.get("retry-after")
                ):
                    odd.append(f"{method} {path}: {answer.status_code} {answer.text[:300]}")


def test_a_database_restart_answers_503_then_serves_again_without_a_restart(
    install: Install,
) -> None:
    serving = install.serve()
    try:
        stop = threading.Event()
        seen: Counter[str] = Counter()
        odd: list[str] = []
        with ThreadPoolExecutor(CLIENTS) as pool:
            running = [pool.submit(_traffic, serving, stop, seen, odd) for _ in range(CLIENTS)]
            time.sleep(1)
            with login(serving.url) as http:
                install.stop_database()
                during = _during_outage(http)
            time.sleep(3)  # long enough for the job worker's listener to fail
            install.start_database()
            time.sleep(1)
            stop.set()
            for future in running:
                future.result()
        assert not odd, odd[:5]
        assert seen["503"] and seen["200"], seen
        assert during["api"].status_code == 503
        assert during["api"].headers["Retry-After"].isdigit()
        assert during["api"].json()["detail"]
        page = during["page"]
        assert page.status_code == 503
        assert page.headers["Retry-After"].isdigit()
        assert 'http-equiv="refresh"' in page.text  # the page tries again by itself
        assert "Система переподключается" in page.text  # Russian by default
        form = during["form"]
        assert form.status_code == 503
        assert 'value="Клиент из формы"' in form.text  # what was typed comes back
        assert 'method="post" action="/clients/new"' in form.text
        assert 'http-equiv="refresh"' not in form.text  # a POST is never repeated unasked

        with login(serving.url) as http:
            _serves_again(http)
            _a_job_queued_now_runs(http)
    finally:
        code = serving.stop()
        serving.kill()
    assert code == 0, install.log_tail()
    assert not install.database_running()


def _during_outage(http: httpx.Client) -> dict[str, httpx.Response]:
    """An API call, a page and a sent form while PostgreSQL is down (logged in before)."""
    token = http.headers["X-CSRFToken"]
    return {
        "api": http.get("/api/v1/orders"),
        "page": http.get("/orders"),
        "form": http.post(
            "/clients/new",
            data={"name": "Клиент из формы", "phone": "+79990001122", "_csrf_token": token},
        ),
    }


def _serves_again(http: httpx.Client) -> None:
    """The same process answers 200 again within a bounded number of tries."""
    for _ in range(60):
        answer = http.get("/api/v1/orders")
        if answer.status_code == 200:
            return
        time.sleep(0.5)
    raise AssertionError(f"still {answer.status_code} after the database came back")


def _a_job_queued_now_runs(http: httpx.Client) -> None:
    """An export queued after the outage is prepared by the server's own worker."""
    export = http.get("/api/v1/clients/export")
    assert export.status_code == 202, export.text
    for _ in range(120):
        items = http.get("/api/v1/downloads").json()["items"]
        if items and items[0]["status"] == "done":
            return
        time.sleep(0.5)
    raise AssertionError(f"the export queued after the outage never ran: {items}")
