"""The ratings tests' fixtures: a real SMTP server and a visitor with no session."""

from __future__ import annotations

from tests.server.ratings.conftest import mailbox, settings_env, visitor

__all__ = ["mailbox", "settings_env", "visitor"]
