"""What the auth API takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials: login or email, and password."""

    login: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=256)]


class PasswordChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    """One's current password and the new one."""

    current_password: Annotated[str, msgspec.Meta(max_length=256)]
    new_password: Annotated[str, msgspec.Meta(max_length=256)]


class LanguageIn(msgspec.Struct, forbid_unknown_fields=True):
    """A UI language code."""

    language: Annotated[str, msgspec.Meta(max_length=5)]


class LogoutEverywhereIn(msgspec.Struct, forbid_unknown_fields=True):
    """Whether the current session stays."""

    keep_current: bool = False


class SessionOut(msgspec.Struct):
    """A live session as shown to its owner."""

    id: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    ip: str
    user_agent: str
    current: bool


class SessionList(msgspec.Struct):
    """Live sessions."""

    items: list[SessionOut]
    next: None = None
