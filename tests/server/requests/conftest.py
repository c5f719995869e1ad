"""A real SMTP server with the settings pointing at it, for the requester's mail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.config import get_settings
from tests.mailbox import Mailbox, smtp_server


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change SERVIO_* variables for one test; settings are read again."""
    monkeypatch.setenv("SERVIO_PUBLIC_URL", "https://servis.example.ru")
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def mailbox(settings_env: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    with smtp_server() as (box, port):
        settings_env.setenv("SERVIO_SMTP_HOST", "127.0.0.1")
        settings_env.setenv("SERVIO_SMTP_PORT", str(port))
        settings_env.setenv("SERVIO_SMTP_TLS", "none")
        settings_env.setenv("SERVIO_MAIL_FROM", "servis@example.ru")
        get_settings.cache_clear()
        yield box


@pytest.fixture(autouse=True)
def many_requests_per_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests send many requests from one address; the throttling test sets its own limit."""
    monkeypatch.setenv("SERVIO_REQUESTS_PER_HOUR", "100")
