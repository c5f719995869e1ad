"""A real SMTP server with the settings pointing at it, and a visitor with no session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from tests.server.notify.conftest import mailbox, settings_env

__all__ = ["mailbox", "settings_env"]


@pytest.fixture
async def visitor(client: httpx.AsyncClient, app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """Requests from someone with no session (the client fixture keeps the app running)."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 50001))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c
