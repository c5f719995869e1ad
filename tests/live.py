"""A real `servio serve` process on a free port, with its own database loaded by `servio demo`.

Databases of a live test are named inside this session's test database (SERVIO_TEST_DATABASE),
so that test runs sharing one PostgreSQL never drop each other's. A demo database is a copy
(`CREATE DATABASE ... TEMPLATE`) of one that `servio demo` loaded once per session: the same
rows, sequences and triggers, in a fraction of a second instead of a migration and a load.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from tests.database import (
    BASE_DATABASE,
    ROOT,
    TEST_DATA_DIR,
    TEST_DATABASE,
    prepare_test_database,
    recreate_database,
)
from tests.ports import free_port
from tests.processes import stop, wait_until_up

SERVIO = str(Path(sys.executable).with_name("servio"))


def query(url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of one statement on a live server's database, from synchronous test code.

    It runs in a thread of its own: the caller's thread may already run an event loop
    (Playwright's sync API keeps one).
    """

    async def run() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(url)
        try:
            return [dict(r) for r in await conn.fetch(sql, *args)]
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def private(name: str) -> str:
    """The name of a database of this session: `name` under the session's test database."""
    return name if name.startswith(f"{TEST_DATABASE}_") else f"{TEST_DATABASE}_{name}"


def _recreate(name: str, template: str | None = None) -> str:
    """Drop and create database `name` (a copy of `template` if given); returns its URL.

    In a thread of its own, like `query`: a browser test's thread already runs Playwright's loop.
    """
    from server.db import with_database

    base = prepare_test_database()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, recreate_database(base, name, template)).result()
    return with_database(base, name)


def fresh_database(name: str) -> str:
    """An empty database `name` (made private to the session) on the test server; its URL."""
    return _recreate(private(name))


_templates: dict[str, str] = {}


@contextmanager
def _templates_lock() -> Iterator[str | None]:
    """Held while a template is checked or made; yields the run the templates were made in.

    The workers of one pytest-xdist run (PYTEST_XDIST_TESTRUNUID) share the templates, named
    under the run's SERVIO_TEST_DATABASE: `servio demo` loads once per run, not per worker.
    Outside such a run the templates are this process's own, as the databases copied from them.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        yield None
        return
    TEST_DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(TEST_DATA_DIR / f"{BASE_DATABASE}_templates.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield run
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _template(kind: str) -> str:
    """This session's template database of a kind ("migrated", "demo"), made on first use."""
    if kind not in _templates:
        source = _template("migrated") if kind == "demo" else None  # before the lock: not nested
        with _templates_lock() as run:
            name = f"{BASE_DATABASE}_template_{kind}" if run else private(f"template_{kind}")
            made = TEST_DATA_DIR / f"{name}.run"  # the run that made the shared template
            if not run or not made.exists() or made.read_text() != run:
                made.unlink(missing_ok=True)
                if source is None:
                    servio("migrate", database_url=_recreate(name))
                else:
                    servio("demo", database_url=_recreate(name, source))
                if run:
                    made.write_text(run)
        _templates[kind] = name  # no connection stays open to it: it can be copied
    return _templates[kind]


def migrated_database(name: str) -> str:
    """A database `name` with every migration applied and no data; returns its URL."""
    return _recreate(private(name), _template("migrated"))


def demo_database(name: str) -> str:
    """A database `name` holding what `servio demo` loads into an empty one; returns its URL."""
    return _recreate(private(name), _template("demo"))


def servio(
    *args: str, database_url: str, check: bool = True, env_password: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the `servio` command against a database (SERVIO_ADMIN_PASSWORD from env_password)."""
    env = {**os.environ, "DATABASE_URL": database_url, "SERVIO_ADMIN_PASSWORD": env_password}
    return subprocess.run(
        [SERVIO, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=check, timeout=120
    )


@dataclass
class LiveServer:
    """A running server: its base URL and database URL."""

    url: str
    database_url: str
    pid: int = 0  # the `servio serve` process (its uvicorn workers are its children)


def _inherited() -> dict[str, str]:
    """This process's environment for a server it starts, without what only in-process apps
    are told (the server tests turn the ASGI app's worker and log handler off; a `servio serve`
    started here runs its own unless the test says otherwise)."""
    return {k: v for k, v in os.environ.items() if k not in {"SERVIO_WORKER", "SERVIO_LOG"}}


@contextmanager
def serve(
    database_url: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[LiveServer]:
    """`servio serve` on a database (already loaded) until the block ends; stop and start it
    again on the same port to take the server away from a browser and give it back. `args`
    go to `servio serve` (`("--workers", "2")`)."""
    port = port or free_port()
    process = subprocess.Popen(
        [SERVIO, "serve", "--port", str(port), *args],
        env={**_inherited(), "DATABASE_URL": database_url, **(env or {})},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{url}/health", within=60, name="servio serve")
        yield LiveServer(url=url, database_url=database_url, pid=process.pid)
    finally:
        stop(process)


class ServerProcess:
    """A `servio serve` that can be stopped and started again on the same port and database,
    to take the server away from a browser and give it back (`with server.stopped(): ...`)."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._serving: contextlib.ExitStack | None = None

    def start(self, env: dict[str, str] | None = None) -> None:
        """Start serving (and wait until /health answers), with other settings if given."""
        if env is not None:
            self.env = env
        if self._serving is None:
            stack = contextlib.ExitStack()
            stack.enter_context(serve(self.database_url, port=self.port, env=self.env))
            self._serving = stack

    def stop(self) -> None:
        """Stop serving; the port stays this server's."""
        if self._serving is not None:
            self._serving.close()
            self._serving = None

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The server is away for the duration of the block."""
        self.stop()
        try:
            yield
        finally:
            self.start()


@contextmanager
def live_server(database: str = "servio_live", demo: bool = True) -> Iterator[LiveServer]:
    """Start `servio serve` on a demo database (or a migrated empty one) and stop it afterwards."""
    database_url = demo_database(database) if demo else migrated_database(database)
    with serve(database_url) as server:
        yield server
