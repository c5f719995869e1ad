"""Checking in and out, and a manager's corrections. A check follows the last one before it:
in after out (or first), out after in; a check from the field app comes with the time the
phone took it (offline too), never later than now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.timeclock.schemas import CheckIn, CorrectionIn
from server.timeclock.tables import TimeEntry

FUTURE_SLACK = dt.timedelta(minutes=5)  # a phone's clock may run a little ahead
OLDEST = dt.timedelta(days=7)  # an offline check older than this is refused

CURRENT = "NOT EXISTS (SELECT 1 FROM timeclock_entry c WHERE c.corrects_id = e.id)"


async def last_before(employee_id: int, at: dt.datetime | None = None) -> dict[str, Any] | None:
    """The employee's last standing in/out at or before `at` (or at all)."""
    rows = await TimeEntry.raw(
        f"SELECT * FROM timeclock_entry e WHERE employee_id = {{}}"
        f" AND ({{}}::timestamptz IS NULL OR at <= {{}}) AND kind <> 'void' AND {CURRENT}"
        f" ORDER BY at DESC, id DESC LIMIT 1",
        employee_id,
        at,
        at,
    )
    return rows[0] if rows else None


async def check(
    actor: Actor,
    data: CheckIn,
    *,
    source: str = "desk",
    at: dt.datetime | None = None,
) -> int:
    """Check the actor in or out (now, or when the phone took it); answers the entry's id."""
    now = dt.datetime.now(dt.UTC)
    when = at or now
    if when > now + FUTURE_SLACK:
        raise InvalidInput("The time is still to come", field="at")
    if when < now - OLDEST:
        raise InvalidInput("Too long ago: ask a manager to correct it", field="at")
    async with TimeEntry._meta.db.transaction():
        await TimeEntry.raw(
            "SELECT pg_advisory_xact_lock(hashtext('timeclock'), {})", actor.employee_id
        )
        last = await last_before(actor.employee_id, when)
        if data.kind == "in" and last and last["kind"] == "in":
            raise Conflict("You checked in already")
        if data.kind == "out" and (not last or last["kind"] != "in"):
            raise Conflict("You have not checked in")
        rows = await TimeEntry.insert(
            TimeEntry(
                employee_id=actor.employee_id,
                kind=data.kind,
                at=when,
                source=source,
                latitude=data.latitude,
                longitude=data.longitude,
                created_at=now,
            )
        ).returning(TimeEntry.id)
    return int(rows[0]["id"])


async def correct(actor: Actor, data: CorrectionIn) -> int:
    """A manager adds a missing check, moves one, or removes one; with the reason, on the
    audit log. The entry corrected stays, replaced."""
    actor.require(Section.PAYROLL, Action.EDIT)
    if data.employee_id not in await staff.names([data.employee_id]):
        raise InvalidInput("Choose one of the offered values", field="employee_id")
    if data.kind != "void" and data.at is None:
        raise InvalidInput("Enter the time", field="at")
    if data.kind == "void" and data.corrects_id is None:
        raise InvalidInput("Choose the check to remove", field="corrects_id")
    reason = " ".join(data.reason.split())
    async with TimeEntry._meta.db.transaction():
        before: dict[str, Any] | None = None
        if data.corrects_id is not None:
            rows = await TimeEntry.raw(
                f"SELECT * FROM timeclock_entry e WHERE id = {{}} AND {CURRENT} FOR UPDATE",
                data.corrects_id,
            )
            if not rows or rows[0]["employee_id"] != data.employee_id:
                raise NotFound("No such check")
            before = rows[0]
        rows = await TimeEntry.insert(
            TimeEntry(
                employee_id=data.employee_id,
                kind=data.kind,
                at=data.at or (before["at"] if before else dt.datetime.now(dt.UTC)),
                source="manager",
                corrects_id=data.corrects_id,
                is_correction=True,
                reason=reason,
                author_id=actor.employee_id or None,
                created_at=dt.datetime.now(dt.UTC),
            )
        ).returning(TimeEntry.id)
        was = f"{before['kind']} {before['at'].isoformat()}" if before else None
        made = None if data.at is None else f"{data.kind} {data.at.isoformat()}"
        await audit.record(
            actor, "time_entry", data.employee_id, "correct",
            {"check": [was, made], "reason": [None, reason]},
        )  # fmt: skip
    return int(rows[0]["id"])
