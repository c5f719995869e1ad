"""Days worked, read from the standing checks: first in, last out, the time between each in and
its out, lateness against the day's start — a field master's shift by their calendar, anyone
else's the center's working hours — and what payroll counts (days and hours)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from server import clock
from server.actor import Actor
from server.errors import InvalidInput
from server.sla import api as sla
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.staff.services import system_actor
from server.timeclock.checks import CURRENT, last_before
from server.timeclock.schemas import DayOut, EntryOut, MyClock
from server.timeclock.tables import TimeEntry

LONGEST = 62  # days read at a time
LATE_AFTER = 5  # minutes of grace before an arrival counts as late


async def _entries(
    employee_ids: Iterable[int] | None, first_day: dt.date, last_day: dt.date
) -> list[dict[str, Any]]:
    start, end = clock.day_start(first_day), clock.day_start(last_day + dt.timedelta(days=1))
    ids = None if employee_ids is None else list(employee_ids)
    return list(
        await TimeEntry.raw(
            f"SELECT * FROM timeclock_entry e WHERE at >= {{}} AND at < {{}} AND kind <> 'void'"
            f" AND ({{}}::int[] IS NULL OR employee_id = ANY({{}}::int[])) AND {CURRENT}"
            f" ORDER BY employee_id, at, id",
            start,
            end,
            ids,
            ids,
        )
    )


async def _by_day(
    employee_ids: Iterable[int] | None, first_day: dt.date, last_day: dt.date
) -> dict[tuple[int, dt.date], list[dict[str, Any]]]:
    """The standing checks of the period by (employee, the center's day), in time order."""
    grouped: dict[tuple[int, dt.date], list[dict[str, Any]]] = defaultdict(list)
    for row in await _entries(employee_ids, first_day, last_day):
        local = clock.local(row["at"])
        assert local is not None
        grouped[(row["employee_id"], local.date())].append(row)
    return grouped


def _minutes_worked(entries: list[dict[str, Any]], day: dt.date) -> tuple[int, bool]:
    """Minutes between each in and its out (one still open counts up to now, or to the day's
    end), and whether still in."""
    until = min(dt.datetime.now(dt.UTC), clock.day_start(day + dt.timedelta(days=1)))
    total, since = 0.0, None
    for entry in entries:
        if entry["kind"] == "in" and since is None:
            since = entry["at"]
        elif entry["kind"] == "out" and since is not None:
            total += (entry["at"] - since).total_seconds() / 60
            since = None
    if since is not None:
        total += max((until - since).total_seconds() / 60, 0)
    return int(total), since is not None


async def _expected_starts(
    employee_ids: set[int], days: list[dt.date]
) -> dict[tuple[int, dt.date], int | None]:
    """(employee, day) → the minute the day starts for them (None: not a working day)."""
    center = await sla.center_opening(days)
    found: dict[tuple[int, dt.date], int | None] = {
        (e, d): center[d] for e in employee_ids for d in days
    }
    if days:
        # every field master's shifts (who may read these days was checked by the caller)
        masters = await staff.master_days(system_actor(), days[0], days[-1])
        for day in masters:
            if day.employee_id in employee_ids:
                start = day.shift_start
                found[(day.employee_id, day.day)] = (
                    start.hour * 60 + start.minute if day.works and start else None
                )
    return found


def _entry(row: dict[str, Any]) -> EntryOut:
    return EntryOut(
        id=row["id"],
        kind=row["kind"],
        at=row["at"],
        source=row["source"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        corrected=row["is_correction"],
        reason=row["reason"],
    )


def check_period(first_day: dt.date, last_day: dt.date) -> None:
    """A period people may ask for."""
    if last_day < first_day:
        raise InvalidInput("The end comes before the start", field="date_to")
    if (last_day - first_day).days >= LONGEST:
        raise InvalidInput("At most two months at a time", field="date_from")


async def days(
    actor: Actor,
    first_day: dt.date,
    last_day: dt.date,
    employee_ids: Iterable[int] | None = None,
) -> list[DayOut]:
    """Days with checks of the employees (everyone's for a payroll viewer; else one's own)."""
    check_period(first_day, last_day)
    if not actor.can(Section.PAYROLL, Action.VIEW):
        if employee_ids is not None and set(employee_ids) - {actor.employee_id}:
            actor.require(Section.PAYROLL, Action.VIEW)
        employee_ids = [actor.employee_id]
    grouped = await _by_day(employee_ids, first_day, last_day)
    people = {e for e, _ in grouped}
    names = await staff.names(people)
    wanted_days = sorted({d for _, d in grouped})
    starts = await _expected_starts(people, wanted_days)
    found = []
    for (employee_id, day), own in sorted(
        grouped.items(), key=lambda x: (x[0][1], names.get(x[0][0], ""))
    ):
        ins = [r for r in own if r["kind"] == "in"]
        outs = [r for r in own if r["kind"] == "out"]
        worked, still_in = _minutes_worked(own, day)
        start = starts.get((employee_id, day))
        first_in = ins[0]["at"] if ins else None
        late = 0
        if start is not None and first_in is not None:
            arrived = clock.local(first_in)
            assert arrived is not None
            late = max(arrived.hour * 60 + arrived.minute - start, 0)
            late = late if late > LATE_AFTER else 0
        found.append(
            DayOut(
                employee_id=employee_id,
                employee_name=names.get(employee_id, ""),
                day=day,
                first_in=first_in,
                last_out=outs[-1]["at"] if outs else None,
                worked_minutes=worked,
                expected_start=f"{start // 60:02d}:{start % 60:02d}" if start is not None else "",
                late_minutes=late,
                still_in=still_in,
                entries=[_entry(r) for r in own],
            )
        )
    return found


async def my_clock(actor: Actor) -> MyClock:
    """One's own state and this month's days."""
    today = clock.today()
    last = await last_before(actor.employee_id)
    own = await days(actor, today.replace(day=1), today, [actor.employee_id])
    checked_in = bool(last and last["kind"] == "in")
    return MyClock(checked_in=checked_in, since=last["at"] if last else None, days=own)


async def worked(first_day: dt.date, last_day: dt.date) -> dict[int, tuple[int, int]]:
    """employee → (days with a check-in, minutes worked) over the period (for payroll)."""
    totals: dict[int, tuple[int, int]] = {}
    for (employee_id, day), own in (await _by_day(None, first_day, last_day)).items():
        minutes, _ = _minutes_worked(own, day)
        shifts, total = totals.get(employee_id, (0, 0))
        came = any(r["kind"] == "in" for r in own)
        totals[employee_id] = (shifts + (1 if came else 0), total + minutes)
    return totals
