"""Sessions stored in PostgreSQL: random tokens, idle and absolute timeouts, revocation."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from server.auth.tables import Session
from server.config import get_settings
from server.tokens import new_token, token_hash

# last_seen_at is written at most this often per session, so reads stay reads.
TOUCH_EVERY = dt.timedelta(seconds=60)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_LIVE = (
    "SELECT token_hash, public_id, employee, last_seen_at, expires_at FROM session"
    " WHERE token_hash = {} AND revoked_at IS NULL"
)


@dataclass(frozen=True)
class LiveSession:
    """A valid session found for a cookie."""

    token_hash: str
    public_id: str
    employee_id: int


async def create(employee_id: int, *, ip: str, user_agent: str) -> str:
    """Start a session and return its token (256 random bits) for the cookie."""
    settings = get_settings()
    token = new_token()
    now = _now()
    await Session.insert(
        Session(
            token_hash=token_hash(token),
            public_id=secrets.token_hex(8),
            employee=employee_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(minutes=settings.session_absolute_minutes),
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    return token


async def resolve(token: str) -> LiveSession | None:
    """The live session of a token; expired or idle sessions are ended on the way."""
    if not token or len(token) > 200:
        return None
    settings = get_settings()
    rows = await Session.raw(_LIVE, token_hash(token))  # every request: no query to build
    if not rows:
        return None
    row = rows[0]
    now = _now()
    idle_limit = row["last_seen_at"] + dt.timedelta(minutes=settings.session_idle_minutes)
    if now >= row["expires_at"] or now >= idle_limit:
        reason = "expired" if now >= row["expires_at"] else "idle"
        await _revoke_where(Session.token_hash == row["token_hash"], reason)
        return None
    if now - row["last_seen_at"] >= TOUCH_EVERY:
        await Session.update({Session.last_seen_at: now}).where(
            Session.token_hash == row["token_hash"]
        )
    return LiveSession(row["token_hash"], row["public_id"], row["employee"])


async def revoke_token(token_hash: str, reason: str = "logout") -> None:
    """End one session by its stored hash."""
    await _revoke_where(Session.token_hash == token_hash, reason)


async def revoke_public(employee_id: int, public_id: str, reason: str = "ended") -> bool:
    """End one session of an employee by the id shown in the UI; False if none was live."""
    live = await Session.exists().where(
        Session.employee == employee_id,
        Session.public_id == public_id,
        Session.revoked_at.is_null(),
    )
    if live:
        await _revoke_where(Session.public_id == public_id, reason)
    return live


async def revoke_all(employee_id: int, *, reason: str, keep_token_hash: str | None = None) -> int:
    """End every live session of an employee, except `keep_token_hash`; returns how many."""
    query = Session.update({Session.revoked_at: _now(), Session.revoke_reason: reason}).where(
        Session.employee == employee_id, Session.revoked_at.is_null()
    )
    if keep_token_hash:
        query = query.where(Session.token_hash != keep_token_hash)
    rows = await query.returning(Session.token_hash)
    return len(rows)


async def list_live(employee_id: int) -> list[dict[str, Any]]:
    """Live sessions of an employee, most recently used first."""
    settings = get_settings()
    idle_since = _now() - dt.timedelta(minutes=settings.session_idle_minutes)
    return await (
        Session.select(
            Session.token_hash,
            Session.public_id,
            Session.created_at,
            Session.last_seen_at,
            Session.expires_at,
            Session.ip,
            Session.user_agent,
        )
        .where(
            Session.employee == employee_id,
            Session.revoked_at.is_null(),
            Session.expires_at > _now(),
            Session.last_seen_at > idle_since,
        )
        .order_by(Session.last_seen_at, ascending=False)
    )


async def _revoke_where(condition: Any, reason: str) -> None:
    await Session.update({Session.revoked_at: _now(), Session.revoke_reason: reason}).where(
        condition, Session.revoked_at.is_null()
    )
