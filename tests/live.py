"""A real `servio serve` process on a free port, with its own database loaded by `servio demo`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.database import ROOT, prepare_test_database

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


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the test server; returns its URL."""
    from server.db import with_database

    base = prepare_test_database()

    async def recreate() -> None:
        conn = await asyncpg.connect(base)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(recreate())
    return with_database(base, name)


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


@contextmanager
def serve(
    database_url: str, port: int | None = None, env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """`servio serve` on a database (already loaded) until the block ends; stop and start it
    again on the same port to take the server away from a browser and give it back."""
    port = port or free_port()
    process = subprocess.Popen(
        [SERVIO, "serve", "--port", str(port)],
        env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"servio serve did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield LiveServer(url=url, database_url=database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


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
    """Start `servio serve` (after `servio demo`) and stop it afterwards."""
    database_url = fresh_database(database)
    if demo:
        servio("demo", database_url=database_url)
    with serve(database_url) as server:
        yield server
