"""Deliveries tests: settings read again per test, CDEK's API on a local server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.config import get_settings
from tests.cdek import CLIENT_ID, CLIENT_SECRET, FakeCdek, cdek_server


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change SERVIO_* variables for one test; settings are read again."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def cdek(settings_env: pytest.MonkeyPatch) -> Iterator[FakeCdek]:
    """CDEK's API on a local server, with Servio's integration pointed at it."""
    with cdek_server() as service:
        settings_env.setenv("SERVIO_CDEK_CLIENT_ID", CLIENT_ID)
        settings_env.setenv("SERVIO_CDEK_CLIENT_SECRET", CLIENT_SECRET)
        settings_env.setenv("SERVIO_CDEK_URL", service.url)
        settings_env.setenv("SERVIO_CDEK_TIMEOUT", "2")
        get_settings.cache_clear()
        yield service
