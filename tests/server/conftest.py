"""Fixtures for server tests: a real PostgreSQL, the real app, real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.database import prepare_test_database, reset_database

prepare_test_database()

import httpx  # noqa: E402
from litestar import Litestar  # noqa: E402

from server.app import create_app  # noqa: E402
from tests.server.builders import login_as  # noqa: E402


@pytest.fixture(autouse=True)
def app_worker(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's in-process job worker runs only for tests marked `app_worker`: elsewhere a
    worker finishing jobs (the notifications of every change) while the test empties the
    database would race it, and counted statements would include the worker's."""
    if request.node.get_closest_marker("app_worker") is None:
        monkeypatch.setenv("SERVIO_WORKER", "0")


@pytest.fixture
async def db() -> AsyncIterator[None]:
    """An empty database with the built-in roles; every test that touches data asks for it."""
    await reset_database()
    yield


@pytest.fixture
def app() -> Litestar:
    """A fresh application."""
    return create_app()


CLIENT_IP = "127.0.0.1"


@pytest.fixture
async def client(db: None, app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """Real HTTP requests into the app's ASGI interface, on the test's own event loop.

    (Litestar's AsyncTestClient runs the app in another thread's loop, which cannot share
    the asyncpg pool with the test code.)
    """
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app, client=(CLIENT_IP, 50000))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local"
        ) as test_client:
            yield test_client


@pytest.fixture
async def admin_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client logged in as a fresh administrator."""
    from tests.server.builders import make_employee

    await make_employee("boss", roles=["admin"])
    await login_as(client, "boss")
    return client
