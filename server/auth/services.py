"""Logging in and out, changing one's password, seeing and ending one's sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count, Min

from server.actor import Actor
from server.audit import services as audit
from server.auth import passwords, sessions
from server.auth.schemas import SessionOut
from server.auth.tables import LoginAttempt, Session
from server.config import get_settings
from server.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from server.i18n import N_
from server.staff import api as staff_api
from server.staff import services as staff
from server.staff import validation as check
from server.staff.permissions import Action, Section
from server.staff.schemas import EmployeeOut

WRONG_CREDENTIALS = N_("Wrong login or password")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _failures_since(condition: Any, since: dt.datetime) -> tuple[int, dt.datetime | None]:
    row = await (
        LoginAttempt.select(Count(), Min(LoginAttempt.at))
        .where(condition, LoginAttempt.success.eq(False), LoginAttempt.at > since)
        .first()
    )
    assert row is not None
    return row["count"], row["min"]


async def _check_throttle(login_key: str, ip: str) -> None:
    """Refuse when the account or the address has failed too often in the window.

    An account's count restarts at its last successful login; an address's does not.
    """
    settings = get_settings()
    window = dt.timedelta(minutes=settings.login_window_minutes)
    now = _now()
    window_start = now - window
    last_success = await (
        LoginAttempt.select(LoginAttempt.at)
        .where(LoginAttempt.login_key == login_key, LoginAttempt.success.eq(True))
        .order_by(LoginAttempt.at, ascending=False)
        .first()
    )
    account_since = max(window_start, last_success["at"]) if last_success else window_start
    checks = (
        (
            LoginAttempt.login_key == login_key,
            account_since,
            settings.login_max_failures_per_account,
            N_("Too many failed attempts for this account. Try again in {minutes} min"),
        ),
        (
            LoginAttempt.ip == ip,
            window_start,
            settings.login_max_failures_per_ip,
            N_("Too many failed attempts from your address. Try again in {minutes} min"),
        ),
    )
    for condition, since, limit, message in checks:
        count, oldest = await _failures_since(condition, since)
        if count >= limit and oldest is not None:
            wait = max(1, int((oldest + window - now).total_seconds()))
            raise TooManyRequests(message, retry_after=wait, minutes=max(1, -(-wait // 60)))


async def _record_attempt(login_key: str, ip: str, success: bool) -> None:
    await LoginAttempt.insert(
        LoginAttempt(at=_now(), login_key=login_key[:254], ip=ip[:64], success=success)
    )


async def login(login: str, password: str, *, ip: str, user_agent: str) -> tuple[str, EmployeeOut]:
    """Check the credentials and start a new session; returns (token, employee)."""
    login_key = login.strip().lower()
    if not login_key or not password:
        raise InvalidInput(
            "Enter your login and password", field="login" if not login_key else "password"
        )
    await _check_throttle(login_key, ip)
    row = await staff.find_for_login(login_key)
    if row is None:
        passwords.verify_dummy(password)
    valid = row is not None and passwords.verify_password(row["password_hash"], password)
    if row is None or not valid or not row["is_active"]:
        await _record_attempt(login_key, ip, success=False)
        raise NotAuthenticated(WRONG_CREDENTIALS)
    if not check.ip_allowed(ip, row["ip_allowlist"] or []):
        await _record_attempt(login_key, ip, success=False)
        raise Forbidden(
            "Logging in from your address ({ip}) is not allowed for this account", ip=ip
        )
    async with Session._meta.db.transaction():
        await _record_attempt(login_key, ip, success=True)
        renewed = None
        if passwords.needs_rehash(row["password_hash"]):
            renewed = passwords.hash_password(password)
        await staff_api.record_login(row["id"], renewed)
        token = await sessions.create(row["id"], ip=ip, user_agent=user_agent)
        actor = await staff.load_actor(row["id"], ip=ip)
        await audit.record(actor, "employee", row["id"], "login", {}, ip=ip)
    if actor is None:  # deactivated between the check and now
        raise NotAuthenticated(WRONG_CREDENTIALS)
    return token, await staff.StaffService(actor).get_employee(row["id"])


async def logout(actor: Actor) -> None:
    """End the caller's current session."""
    await sessions.revoke_token(actor.session_id, reason="logout")


async def change_password(actor: Actor, current: str, new: str, *, user_agent: str) -> str:
    """Change one's own password; every other session ends, this one gets a new token."""
    stored = await staff_api.password_hash_of(actor.employee_id)
    if stored is None or not passwords.verify_password(stored, current):
        raise InvalidInput("The current password is wrong", field="current_password")
    if current == new:
        raise InvalidInput(
            "The new password must differ from the current one", field="new_password"
        )
    passwords.check_policy(new, login=actor.login, field="new_password")
    async with Session._meta.db.transaction():
        await staff_api.set_password_hash(actor.employee_id, passwords.hash_password(new))
        await sessions.revoke_all(actor.employee_id, reason="password_changed")
        token = await sessions.create(actor.employee_id, ip=actor.ip, user_agent=user_agent)
        await audit.record(
            actor,
            "employee",
            actor.employee_id,
            "password_change",
            {"password_hash": ["•••", "•••"]},
        )
    return token


def _session_out(row: dict[str, Any], current: str) -> SessionOut:
    return SessionOut(
        id=row["public_id"],
        created_at=row["created_at"],
        last_seen_at=row["last_seen_at"],
        expires_at=row["expires_at"],
        ip=row["ip"],
        user_agent=row["user_agent"],
        current=row["token_hash"] == current,
    )


async def list_sessions(actor: Actor, employee_id: int | None = None) -> list[SessionOut]:
    """Live sessions of the caller, or of another employee for those who may edit staff."""
    target = employee_id or actor.employee_id
    if target != actor.employee_id:
        actor.require(Section.STAFF, Action.EDIT)
    return [_session_out(r, actor.session_id) for r in await sessions.list_live(target)]


async def end_session(actor: Actor, public_id: str, employee_id: int | None = None) -> None:
    """End one session of the caller (or of another employee, with staff:edit)."""
    target = employee_id or actor.employee_id
    if target != actor.employee_id:
        actor.require(Section.STAFF, Action.EDIT)
    if not await sessions.revoke_public(target, public_id):
        raise NotFound("No such active session")
    await audit.record(actor, "employee", target, "session_end", {"session": [public_id, None]})


async def end_all_sessions(
    actor: Actor, *, keep_current: bool, employee_id: int | None = None
) -> int:
    """Log out everywhere: end every session (optionally but the current one)."""
    target = employee_id or actor.employee_id
    if target != actor.employee_id:
        actor.require(Section.STAFF, Action.EDIT)
    keep = actor.session_id if keep_current and target == actor.employee_id else None
    ended = await sessions.revoke_all(target, reason="logout_everywhere", keep_token_hash=keep)
    await audit.record(actor, "employee", target, "logout_everywhere", {"sessions": [ended, 0]})
    return ended


async def set_language(actor: Actor, language: str) -> None:
    """Remember the UI language of the caller."""
    await staff_api.set_language(actor.employee_id, check.language(language))
