"""A day of field work as the scheduler sees it: masters' days and the work to plan, turned
into a `routing.Problem` in minutes from the day's local midnight.

Pure functions of what the planner read; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import routing
from server import formats
from server.dispatch.choices import VisitStatus
from server.staff.api import MasterDay

PRIORITIES = {
    "low": routing.Priority.LOW,
    "normal": routing.Priority.NORMAL,
    "high": routing.Priority.HIGH,
    "urgent": routing.Priority.URGENT,
}
DEFAULT_VISIT_MINUTES = 60
STARTED = frozenset({VisitStatus.EN_ROUTE, VisitStatus.ON_SITE})


@dataclass(frozen=True)
class Work:
    """One thing to plan: an existing visit of the day, or a queued order without one."""

    key: str  # "v<visit id>" or "o<order id>"
    order_id: int
    visit_id: int | None
    address: str
    lat: float | None
    lon: float | None
    duration: int
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    skills: frozenset[str] = frozenset()
    priority: str = "normal"
    due_at: dt.datetime | None = None
    master_id: int | None = None
    pinned_master: bool = False
    pinned_time: bool = False
    planned_start: dt.datetime | None = None
    status: str = VisitStatus.PLANNED
    sequence: int = 0
    version: int = 0
    wish_day: dt.date | None = None  # the day the client asked for (queued orders)
    geo_status: str = ""  # how the client's address got (or did not get) its coordinates
    status_at: dt.datetime | None = None

    @property
    def kept(self) -> bool:
        """Done and started visits never move."""
        return self.status == VisitStatus.DONE or self.status in STARTED


@dataclass
class Day:
    """The problem with the work it leaves out and why (reason code, detail)."""

    problem: routing.Problem
    origin: dt.datetime
    works: dict[str, Work]
    masters: dict[str, MasterDay]
    left_out: list[tuple[Work, str, str]] = field(default_factory=list)
    kept: dict[str, list[Work]] = field(default_factory=dict)  # master: done and started, in order


def minute_of(origin: dt.datetime, moment: dt.datetime) -> int:
    """Whole minutes from the origin (the day's local midnight) to a moment."""
    return int((moment - origin).total_seconds() // 60)


def at_minute(origin: dt.datetime, minute: int) -> dt.datetime:
    """The moment `minute` minutes after the origin, in UTC."""
    return (origin + dt.timedelta(minutes=minute)).astimezone(dt.UTC)


def _clock(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def skills_of(type_id: int | None, brand_id: int | None) -> frozenset[str]:
    """The skills a device asks for: its type and its brand."""
    out = set()
    if type_id is not None:
        out.add(f"type:{type_id}")
    if brand_id is not None:
        out.add(f"brand:{brand_id}")
    return frozenset(out)


def master_skills(master: MasterDay, types: set[int], brands: dict[int, str]) -> frozenset[str]:
    """A master's skills among the types and brands of the day's work (empty lists: any); the
    manufacturer restriction narrows the brands by name."""
    own_types = set(master.device_type_ids) or types
    own_brands = set(master.brand_ids) or set(brands)
    if master.manufacturers:
        allowed = {name.casefold() for name in master.manufacturers}
        own_brands = {b for b in own_brands if brands.get(b, "").casefold() in allowed}
    return frozenset({f"type:{t}" for t in own_types} | {f"brand:{b}" for b in own_brands})


def to_master(
    master: MasterDay,
    skills: frozenset[str],
    resume: tuple[routing.Location, int] | None = None,
) -> routing.Master | None:
    """The scheduler's master for one working day (needs a start place with coordinates);
    `resume` is where and when the rest of the day starts after its done and started
    visits. None when no time is left."""
    assert master.shift_start is not None and master.shift_end is not None
    assert master.start_lat is not None and master.start_lon is not None
    home = routing.Location(master.start_lat, master.start_lon)
    start, end_at = _clock(master.shift_start), _clock(master.shift_end)
    place = home
    if resume is not None:
        place, start = resume[0], max(start, resume[1])
    if start >= end_at:
        return None
    breaks: tuple[routing.Break, ...] = ()
    if master.lunch_start is not None and master.lunch_end is not None and master.lunch_minutes:
        window = routing.TimeWindow(_clock(master.lunch_start), _clock(master.lunch_end))
        if max(window.start, start) + master.lunch_minutes <= window.end:  # not taken yet
            breaks = (routing.Break(window, master.lunch_minutes),)
    end = home
    if master.end_lat is not None and master.end_lon is not None:
        end = routing.Location(master.end_lat, master.end_lon)
    return routing.Master(
        id=str(master.employee_id),
        start_location=place,
        end_location=end,
        shifts=(routing.Shift(start, end_at, breaks),),
        skills=skills,
        max_visits_per_day=None if master.max_visits is None else max(0, master.max_visits),
    )


def _resume(
    kept: list[Work], origin: dt.datetime, now: dt.datetime | None
) -> tuple[routing.Location, int]:
    """Where and when the master is free after the last done or started visit."""
    last = kept[-1]
    assert last.lat is not None and last.lon is not None and last.planned_start is not None
    free = minute_of(origin, last.planned_start) + last.duration
    if last.status == VisitStatus.DONE and last.status_at is not None:
        free = max(minute_of(origin, last.status_at), minute_of(origin, last.planned_start))
    elif now is not None:
        free = max(free, minute_of(origin, now))
    return routing.Location(last.lat, last.lon), free


def _visit(work: Work, origin: dt.datetime, planned: set[str]) -> routing.Visit:
    """An open visit or queued order as the scheduler's visit (pins kept)."""
    assert work.lat is not None and work.lon is not None
    windows: tuple[routing.TimeWindow, ...] = ()
    if work.window_start is not None:
        end = work.window_end or dt.time(23, 59)
        windows = (routing.TimeWindow(_clock(work.window_start), _clock(end)),)
    deadline = None
    if work.due_at is not None:
        deadline = max(0, minute_of(origin, work.due_at))
    master = str(work.master_id) if work.master_id is not None else None
    fixed = None
    if work.pinned_time and work.planned_start is not None:
        fixed = max(0, minute_of(origin, work.planned_start))
    return routing.Visit(
        id=work.key,
        location=routing.Location(work.lat, work.lon),
        duration=work.duration,
        windows=windows,
        skills=work.skills,
        priority=PRIORITIES.get(work.priority, routing.Priority.NORMAL),
        deadline=deadline,
        master_id=master if work.pinned_master and master in planned else None,
        fixed_start=fixed,
        previous_master_id=master if master in planned else None,
    )


def _wrong_day(work: Work, day: dt.date) -> tuple[str, str] | None:
    if work.visit_id is None and work.wish_day is not None and work.wish_day != day:
        return "other_day", formats.date(work.wish_day)
    return None


def build_day(
    day: dt.date,
    origin: dt.datetime,
    masters: list[MasterDay],
    works: list[Work],
    brands: dict[int, str],
    now: dt.datetime | None = None,
) -> Day:
    """The problem of a day: working masters with a start place, and every piece of work that
    can be placed; the rest is left out with its reason. Done and started visits are kept
    as they are: a master's rest of the day starts where and when the last of them ends."""
    types = {int(s[5:]) for w in works for s in w.skills if s.startswith("type:")}
    planning = {str(m.employee_id): m for m in masters}
    left_out: list[tuple[Work, str, str]] = []
    placeable: list[Work] = []
    for work in works:
        reason = _wrong_day(work, day) or _cannot_place(work, planning)
        if reason is None:
            placeable.append(work)
        else:
            left_out.append((work, *reason))
    kept: dict[str, list[Work]] = {}
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    for work in sorted(placeable, key=lambda w: (w.planned_start or far, w.key)):
        if work.kept:
            kept.setdefault(str(work.master_id), []).append(work)
    chosen = []
    for m in masters:
        own = kept.get(str(m.employee_id))
        resume = _resume(own, origin, now) if own else None
        found = to_master(m, master_skills(m, types, brands), resume)
        if found is not None:
            chosen.append(found)
    in_problem = {m.id for m in chosen}
    open_work = []
    for work in placeable:
        if work.kept:
            continue
        if work.pinned_master and str(work.master_id) not in in_problem:
            left_out.append((work, "master_day_over", ""))
        else:
            open_work.append(work)
    problem = routing.Problem(
        masters=tuple(chosen), visits=tuple(_visit(w, origin, in_problem) for w in open_work)
    )
    return Day(
        problem=problem,
        origin=origin,
        works={w.key: w for w in placeable if w.kept or w in open_work},
        masters=planning,
        left_out=left_out,
        kept=kept,
    )


def _cannot_place(work: Work, planning: dict[str, MasterDay]) -> tuple[str, str] | None:
    if work.lat is None or work.lon is None:
        if work.geo_status == "not_found":
            return "address_not_found", work.address
        return ("no_address", "") if not work.address else ("no_coordinates", work.address)
    own = str(work.master_id) if work.master_id is not None else None
    if (work.kept or work.pinned_master) and own not in planning:
        return "master_not_working", ""
    if (work.kept or work.pinned_time) and work.planned_start is None:
        return "no_planned_start", ""
    return None
