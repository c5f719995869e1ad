"""Purchasing tests: a real SMTP server for the customers' mail, settings read again per test."""

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
    """An SMTP server the app sends its mail to."""
    with smtp_server() as (box, port):
        settings_env.setenv("SERVIO_SMTP_HOST", "127.0.0.1")
        settings_env.setenv("SERVIO_SMTP_PORT", str(port))
        settings_env.setenv("SERVIO_SMTP_TLS", "none")
        settings_env.setenv("SERVIO_MAIL_FROM", "servis@example.ru")
        get_settings.cache_clear()
        yield box
