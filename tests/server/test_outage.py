"""A database outage under load answers 503, never 500 (issue #9, finding 13).

A real `servio serve` reaches PostgreSQL through a TCP proxy in this test; while field
masters' phones pull in parallel, the proxy cuts every connection and refuses new ones for a
moment, then lets the database back. Every answer must be 200 or 503, and pulls work again
afterwards.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import asyncpg
import httpx
import pytest

from tests.live import demo_database, query, serve

pytestmark = pytest.mark.slow

PHONES = 12
PULLS_EACH = 12


class Proxy:
    """TCP on 127.0.0.1 to the database's unix socket, which can be cut and restored."""

    def __init__(self, socket_path: str) -> None:
        self.socket_path = socket_path
        self.port = 0
        self.refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            self._drop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(self.socket_path)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()
                self._writers.discard(sink)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def _drop(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def start(self) -> None:
        """Listen (on a free port)."""
        self._thread.start()
        assert self._ready.wait(10)

    def cut(self) -> None:
        """Drop every open connection and refuse new ones."""

        def cut() -> None:
            self.refusing = True
            self._drop()

        self._loop.call_soon_threadsafe(cut)

    def restore(self) -> None:
        """Let connections through again."""
        self._loop.call_soon_threadsafe(setattr, self, "refusing", False)

    def close(self) -> None:
        """Close every connection and stop listening."""
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@contextmanager
def proxied(database_url: str) -> Iterator[tuple[Proxy, str]]:
    """A proxy to the database and the URL that goes through it."""
    parsed = urlparse(database_url)
    folder = parse_qs(parsed.query)["host"][0]
    proxy = Proxy(f"{folder}/.s.PGSQL.{parsed.port or 5432}")
    proxy.start()
    try:
        user = parsed.username or "postgres"
        yield proxy, f"postgresql://{user}@127.0.0.1:{proxy.port}{parsed.path}"
    finally:
        proxy.close()


def _login(url: str, login: str) -> httpx.Cookies:
    response = httpx.post(
        f"{url}/api/v1/auth/login",
        json={"login": login, "password": "servio-demo"},
        headers={"Origin": url},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.cookies


def test_pulls_during_an_outage_answer_503_never_500() -> None:
    database_url = demo_database("outage")
    with proxied(database_url) as (proxy, through_proxy):
        env = {"SERVIO_WORKER": "0"}
        with serve(through_proxy, env=env) as server:
            cookies = [_login(server.url, login) for login in ("field1", "field2")]
            statuses: list[int] = []
            odd: list[str] = []

            def phone(index: int) -> None:
                with httpx.Client(cookies=cookies[index % 2], timeout=60) as http:
                    for _ in range(PULLS_EACH):
                        answer = http.get(f"{server.url}/api/v1/sync/pull")
                        statuses.append(answer.status_code)
                        if answer.status_code not in (200, 503):
                            odd.append(answer.text[:300])

            with ThreadPoolExecutor(PHONES) as pool:
                running = [pool.submit(phone, i) for i in range(PHONES)]
                time.sleep(0.5)
                proxy.cut()
                time.sleep(2)
                proxy.restore()
                for future in running:
                    future.result()
            assert set(statuses) <= {200, 503}, odd[:3]
            assert 503 in statuses  # the outage was seen
            with httpx.Client(cookies=cookies[0], timeout=60) as http:
                deadline = time.monotonic() + 30
                while (answer := http.get(f"{server.url}/api/v1/sync/pull")).status_code != 200:
                    assert time.monotonic() < deadline, answer.text
                    time.sleep(0.5)


def _terminate_and(admin_url: str, database: str, statement: str) -> None:
    """Drop the server's connections to `database` and run `statement` from another database
    before the server is back: its listener reconnects at once, so both go over one open
    connection, back to back, tried again until the statement fits (two connections opened
    one after the other left it the time to come back: 50 tries in a row failed)."""

    async def run() -> None:
        admin = await asyncpg.connect(admin_url)
        try:
            for _ in range(200):
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                    database,
                )
                try:
                    await admin.execute(statement)
                    return
                except asyncpg.ObjectInUseError:
                    await asyncio.sleep(0.01)
        finally:
            await admin.close()
        raise AssertionError(f"{database} stayed in use")

    asyncio.run(run())


def test_a_database_gone_for_a_moment_answers_503_never_500() -> None:
    """A database being restored (or renamed away by hand) is an outage too: the person is
    told to wait and try again, and it works as soon as the database is back."""
    database_url = demo_database("gone")
    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    login = {"login": "field1", "password": "servio-demo"}
    query(admin_url, f'DROP DATABASE IF EXISTS "{name}_away"')  # left by a run cut short
    with (
        serve(database_url, env={"SERVIO_WORKER": "0"}) as server,
        httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=30) as http,
    ):
        assert http.post("/api/v1/auth/login", json=login).status_code == 200
        _terminate_and(admin_url, name, f'ALTER DATABASE "{name}" RENAME TO "{name}_away"')
        for _ in range(3):
            answer = http.post("/api/v1/auth/login", json=login)
            assert answer.status_code == 503, answer.text[:300]
            assert answer.headers["Retry-After"]
        _terminate_and(
            admin_url, f"{name}_away", f'ALTER DATABASE "{name}_away" RENAME TO "{name}"'
        )
        deadline = time.monotonic() + 30
        while (answer := http.post("/api/v1/auth/login", json=login)).status_code != 200:
            assert answer.status_code == 503 and time.monotonic() < deadline, answer.text[:300]
            time.sleep(0.5)
