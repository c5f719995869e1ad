"""The center's working calendar: weekly hours and exception days, read and edited.

The shipped defaults (Monday to Friday 9–18, the Russian production calendar) are written on
first read, once per database, so a fresh install and a test database start with them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from server import clock as center_clock
from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.sla import calendar_data
from server.sla.calendar_data import DayKind, day_hours
from server.sla.clock import DAY_MINUTES, Calendar, Hours, check_hours
from server.sla.schemas import WEEKDAYS, CalendarOut, DayIn, DayOut, WeekIn
from server.sla.tables import CalendarDay, WorkWeek
from server.staff.permissions import Action, Section

SPAN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")
MAX_DAYS = 2000


def parse_hours(text: str, field: str) -> Hours:
    """«09:00-13:00, 14:00-18:00» as spans; empty: no working time; 24:00 ends a day."""
    spans = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        found = SPAN.match(part)
        if not found:
            raise InvalidInput("Write hours like 09:00-18:00, several with commas", field=field)
        h1, m1, h2, m2 = (int(g) for g in found.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or start >= DAY_MINUTES or end > DAY_MINUTES:
            raise InvalidInput("No such time of day: {part}", field=field, part=part[:20])
        if end <= start:
            raise InvalidInput("A span must end after it starts: {part}", field=field, part=part)
        spans.append((start, end))
    try:
        return check_hours(spans)
    except ValueError:
        raise InvalidInput("The spans overlap", field=field) from None


def format_hours(hours: Hours) -> str:
    """Spans as «09:00-18:00, ...»."""
    return ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in hours)


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _ensure_defaults() -> None:
    """Write the shipped week and days unless the week exists (once per database), in one
    transaction: a concurrent reader sees both or neither, a concurrent seeder waits."""
    async with WorkWeek._meta.db.transaction():
        await _seed()


async def _seed() -> None:
    inserted = await WorkWeek.raw(
        "INSERT INTO sla_work_week (id, hours, updated_at) VALUES (1, {}::jsonb, now())"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        json.dumps([list(map(list, h)) for h in calendar_data.DEFAULT_WEEKLY]),
    )
    if not inserted:
        return
    days = calendar_data.default_days()
    await CalendarDay.raw(
        "INSERT INTO sla_calendar_day (day, kind, hours, note)"
        " SELECT d, k, '[]'::jsonb, n FROM unnest({}::date[], {}::varchar[], {}::varchar[])"
        " AS t(d, k, n) ON CONFLICT (day) DO NOTHING",
        [d for d, _, _ in days],
        [k.value for _, k, _ in days],
        [n for _, _, n in days],
    )


async def _week() -> tuple[Hours, ...]:
    row = await WorkWeek.select(WorkWeek.hours).where(WorkWeek.id == 1).first()
    if row is None:
        await _ensure_defaults()
        return calendar_data.DEFAULT_WEEKLY
    hours = _loaded(row["hours"]) or []
    week = tuple(check_hours(h) for h in hours[:7])
    return week + ((),) * (7 - len(week))


async def _days() -> list[dict[str, Any]]:
    rows = await CalendarDay.select().order_by(CalendarDay.day).limit(MAX_DAYS)
    return [{**r, "hours": _loaded(r["hours"]) or []} for r in rows]


async def load_calendar() -> Calendar:
    """The calendar the clocks run on now (two queries)."""
    week = await _week()
    days = {
        r["day"]: day_hours(DayKind(r["kind"]), r["day"], week, r["hours"]) for r in await _days()
    }
    return Calendar(center_clock.zone(), week, days)


async def calendar(actor: Actor) -> CalendarOut:
    """The week and the exception days, as an administrator edits them."""
    actor.require(Section.SETTINGS, Action.VIEW)
    week = await _week()
    days = [
        DayOut(
            day=r["day"],
            kind=r["kind"],
            hours=format_hours(day_hours(DayKind(r["kind"]), r["day"], week, r["hours"])),
            note=r["note"],
        )
        for r in await _days()
    ]
    return CalendarOut(
        zone=center_clock.zone().key,
        week=WeekIn(**{name: format_hours(week[i]) for i, name in enumerate(WEEKDAYS)}),
        days=days,
    )


async def set_week(actor: Actor, data: WeekIn) -> CalendarOut:
    """Change the weekly hours; a week without working time is refused (no clock would run)."""
    actor.require(Section.SETTINGS, Action.EDIT)
    week = [parse_hours(getattr(data, name), name) for name in WEEKDAYS]
    if not any(week):
        raise InvalidInput(
            "A week with no working hours would stop every SLA clock; give at least one day",
            field="mon",
        )
    await _week()  # the defaults first, so they do not overwrite this later
    async with WorkWeek._meta.db.transaction():
        await WorkWeek.update(
            {WorkWeek.hours: [list(map(list, h)) for h in week], WorkWeek.updated_at: _now()}
        ).where(WorkWeek.id == 1)
        await audit.record(actor, "sla_calendar", 1, "update", {"week": [None, data.mon]})
    return await calendar(actor)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def set_day(actor: Actor, day: dt.date, data: DayIn) -> CalendarOut:
    """Make a date a holiday, a shortened eve, a worked weekend day or give it own hours."""
    actor.require(Section.SETTINGS, Action.EDIT)
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise InvalidInput("Choose a day between 2000 and 2100", field="day")
    own = parse_hours(data.hours, "hours") if data.kind is DayKind.HOURS else ()
    if data.kind is DayKind.HOURS and not own:
        raise InvalidInput("Give the day's hours, or make it a day off", field="hours")
    await _week()
    note = data.note.strip()[:200]
    hours = json.dumps([list(s) for s in own])
    async with CalendarDay._meta.db.transaction():
        await CalendarDay.raw(
            "INSERT INTO sla_calendar_day (day, kind, hours, note) VALUES ({}, {}, {}::jsonb, {})"
            " ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, hours = EXCLUDED.hours,"
            " note = EXCLUDED.note",
            day,
            data.kind.value,
            hours,
            note,
        )
        await audit.record(
            actor, "sla_calendar", day.isoformat(), "update", {"day": [None, data.kind.value]}
        )
    return await calendar(actor)


async def delete_day(actor: Actor, day: dt.date) -> None:
    """The date goes back to its weekday's hours."""
    actor.require(Section.SETTINGS, Action.EDIT)
    deleted = await CalendarDay.delete().where(CalendarDay.day == day).returning(CalendarDay.id)
    if not deleted:
        raise NotFound("The calendar has no exception on {day}", day=day.isoformat())
    await audit.record(actor, "sla_calendar", day.isoformat(), "delete", {})
