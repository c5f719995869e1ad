"""Browser-test fixtures: one demo database for the package, one Chromium, one server per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import chromium
from tests.live import ServerProcess, demo_database


@pytest.fixture(scope="session")
def database() -> str:
    """A demo database of its own (named after this session's test database)."""
    return demo_database("pwa")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Chromium for this package only: Playwright's event loop must be gone before
    the tests that run their own (asyncio.run, anyio) start."""
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[ServerProcess]:
    """`servio serve` on the demo database; tests may stop and start it again."""
    process = ServerProcess(database)
    process.start()
    yield process
    process.stop()
