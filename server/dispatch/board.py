"""The dispatcher's board: each master's day (shift, lunch, visits, estimated arrivals), the
queue of field orders waiting for a visit, the warnings, and the week at a glance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

import msgspec

import routing
from routing.matrix import minutes
from server import clock, formats
from server.actor import Actor
from server.dispatch import autoassign, daywork, planning, services
from server.dispatch.choices import VisitStatus
from server.dispatch.problem import Day, Work, master_skills
from server.dispatch.proposal import absence_text
from server.dispatch.schemas import VisitOut
from server.dispatch.tables import DispatchPlan, Visit
from server.dispatch.travel import matrix
from server.dispatch.warnings import Placed, Warning, by_master, master_warnings
from server.errors import InvalidInput, NotFound
from server.i18n import N_, gettext
from server.orders import api as orders
from server.sla import api as sla
from server.sla.api import SlaBrief
from server.staff import api as staff

COLORS = (
    "#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa",
    "#00897b", "#6d4c41", "#3949ab", "#c0ca33", "#d81b60",
)  # fmt: skip
LATE_WITHOUT_WINDOW = dt.timedelta(minutes=60)
SLA_LATE = N_("The first visit is due by {due}: this start misses the deadline")
FIRST_VISIT = "first_visit"  # the SLA clock a visit stops


class BoardVisit(msgspec.Struct):
    """A visit on the board with its order and, today, the estimated arrival."""

    visit: VisitOut
    order_number: str
    client_name: str = ""
    eta: dt.datetime | None = None
    at_risk: bool = False
    sla: SlaBrief | None = None


class Place(msgspec.Struct):
    """A start or end place of a master's day."""

    address: str
    lat: float | None
    lon: float | None


class BoardMaster(msgspec.Struct):
    """One lane of the board."""

    id: int
    full_name: str
    color: str
    works: bool
    absence: str
    shift_start: str | None
    shift_end: str | None
    lunch_start: str | None
    lunch_end: str | None
    lunch_minutes: int
    start: Place
    end: Place
    max_visits: int | None
    visits: list[BoardVisit]


class QueueItem(msgspec.Struct):
    """A field order waiting for a visit."""

    order_id: int
    number: str
    client_name: str
    address: str
    lat: float | None
    lon: float | None
    priority: str
    due_at: dt.datetime | None
    declared_fault: str
    status_name: str
    status_color: str
    skills: list[str]
    visit_day: dt.date | None = None
    visit_from: str | None = None
    visit_to: str | None = None
    proposal: autoassign.Proposal | None = None
    sla: SlaBrief | None = None


class PlanBrief(msgspec.Struct):
    """The day's latest plan, for the board to follow or show."""

    id: int
    status: str
    planner_name: str
    progress: float


class Board(msgspec.Struct):
    """The day as the board shows it."""

    day: dt.date
    is_today: bool
    masters: list[BoardMaster]
    unassigned: list[BoardVisit]
    queue: list[QueueItem]
    warnings: list[Warning]
    at_risk: int
    plan: PlanBrief | None = None


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def color_of(master_id: int) -> str:
    """A master's colour on the board and the map, the same every day."""
    return COLORS[master_id % len(COLORS)]


async def board(actor: Actor, day: dt.date) -> Board:
    """The day's board (planners only)."""
    planning.require_planner(actor)
    work = await daywork.read_day(actor, day)
    rows, masters = work.visits, work.masters
    refs = {r.id: r for r in (await _refs(actor, rows))}
    clocks = await sla.orders_brief(
        actor, sorted({r["order"] for r in rows} | {o.id for o in work.queue})
    )
    by_id = {m.employee_id: m for m in masters}
    lanes = {m.employee_id: _lane(m) for m in masters}
    unassigned: list[BoardVisit] = []
    now = dt.datetime.now(dt.UTC)
    is_today = day == clock.today()
    etas = _etas(work.day, rows, by_id, now) if is_today else {}
    for row in rows:
        ref = refs.get(row["order"])
        eta, risk = etas.get(row["id"], (None, False))
        item = BoardVisit(
            visit=msgspec.convert(services.visit_out(row), VisitOut),
            order_number=ref.number if ref else "",
            client_name=(ref.client_name or "") if ref and isinstance(ref.client_name, str) else "",
            eta=eta,
            at_risk=risk,
            sla=clocks.get(row["order"]),
        )
        lane = lanes.get(row["master"]) if row["master"] is not None else None
        (lane.visits if lane else unassigned).append(item)
    return Board(
        day=day,
        is_today=is_today,
        masters=list(lanes.values()),
        unassigned=unassigned,
        queue=_queue(work, await autoassign.proposals([o.id for o in work.queue]), clocks),
        warnings=day_warnings(work, rows, by_id),
        at_risk=sum(1 for _eta, risk in etas.values() if risk),
        plan=await _latest_plan(day),
    )


async def _refs(actor: Actor, rows: list[dict[str, Any]]) -> list[Any]:
    return list((await orders.order_refs(actor, sorted({r["order"] for r in rows}))).values())


def _lane(m: staff.MasterDay) -> BoardMaster:
    return BoardMaster(
        id=m.employee_id,
        full_name=m.full_name,
        color=color_of(m.employee_id),
        works=m.works,
        absence=absence_text(m.absence) if m.absence else "",
        shift_start=_hhmm(m.shift_start),
        shift_end=_hhmm(m.shift_end),
        lunch_start=_hhmm(m.lunch_start),
        lunch_end=_hhmm(m.lunch_end),
        lunch_minutes=m.lunch_minutes,
        start=Place(m.start_address, m.start_lat, m.start_lon),
        end=Place(m.end_address or m.start_address, m.end_lat, m.end_lon),
        max_visits=m.max_visits,
        visits=[],
    )


def _queue(
    work: daywork.DayWork,
    proposals: dict[int, autoassign.Proposal],
    clocks: dict[int, SlaBrief],
) -> list[QueueItem]:
    works = {w.order_id: w for w in work.day.works.values() if w.visit_id is None}
    works |= {w.order_id: w for w, _r, _d in work.day.left_out if w.visit_id is None}
    out = []
    for order in work.queue:
        item = works.get(order.id)
        out.append(
            QueueItem(
                order_id=order.id,
                number=order.number,
                client_name=order.client_name,
                address=item.address if item else "",
                lat=item.lat if item else None,
                lon=item.lon if item else None,
                priority=order.priority,
                due_at=order.due_at,
                declared_fault=order.declared_fault,
                status_name=order.status_name,
                status_color=order.status_color,
                skills=sorted(work.skill_names.get(s, s) for s in (item.skills if item else ())),
                visit_day=order.visit_day,
                visit_from=_hhmm(order.visit_from),
                visit_to=_hhmm(order.visit_to),
                proposal=proposals.get(order.id),
                sla=clocks.get(order.id),
            )
        )
    return out


def _works_of(work: daywork.DayWork) -> dict[int, Work]:
    """The day's visits as work, by visit id (placed and left out alike)."""
    out = {w.visit_id: w for w in work.day.works.values() if w.visit_id is not None}
    out |= {w.visit_id: w for w, _r, _d in work.day.left_out if w.visit_id is not None}
    return out


def day_warnings(
    work: daywork.DayWork,
    rows: list[dict[str, Any]],
    masters: dict[int, staff.MasterDay],
    extra: Placed | None = None,
) -> list[Warning]:
    """The warnings of the day's visits (and of one more placement being tried)."""
    works = _works_of(work)
    placed = [
        Placed(works[r["id"]], r["master"], r["planned_start"], work.numbers.get(r["order"], ""))
        for r in rows
        if r["master"] is not None and r["planned_start"] is not None and r["id"] in works
    ]
    if extra is not None:
        placed = [p for p in placed if p.work.key != extra.work.key] + [extra]
    out: list[Warning] = []
    for master_id, items in by_master(placed).items():
        master = masters.get(master_id)
        skills = None
        if master is not None:
            skills = master_skills(master, work.type_ids, work.brands)
        why = absence_text(master.absence) if master and master.absence else ""
        tried = extra if extra is not None and extra.master_id == master_id else None
        out += master_warnings(master, items, skills, why, tried)
    if extra is not None:
        out = [w for w in out if w.order_id == extra.work.order_id]
    return out


def _etas(
    day: Day, rows: list[dict[str, Any]], masters: dict[int, staff.MasterDay], now: dt.datetime
) -> dict[int, tuple[dt.datetime | None, bool]]:
    """Estimated arrival of each visit still ahead today, from the phones' last statuses, and
    whether it misses its window (or its planned start by an hour when there is no window)."""
    out: dict[int, tuple[dt.datetime | None, bool]] = {}
    for master_id, own in _routes(rows).items():
        master = masters.get(master_id)
        if master is None or master.start_lat is None or master.start_lon is None:
            continue
        here = routing.Location(master.start_lat, master.start_lon)
        points = [here] + [_point(r, here) for r in own]
        table = matrix().table(points, points)
        start = master.shift_start or dt.time(9)
        t = max(now, dt.datetime.combine(day.origin.date(), start, tzinfo=clock.zone()))
        for i, row in enumerate(own, start=1):
            drive = dt.timedelta(minutes=minutes(table.durations[i - 1][i]))
            t, eta = _step(row, t, drive, now)
            out[row["id"]] = (eta, eta is not None and _late(row, eta))
    return out


def _routes(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["sequence"], r["id"])):
        if row["master"] is not None:
            out.setdefault(row["master"], []).append(row)
    return out


def _point(row: dict[str, Any], fallback: routing.Location) -> routing.Location:
    if row["latitude"] is None or row["longitude"] is None:
        return fallback
    return routing.Location(row["latitude"], row["longitude"])


def _step(
    row: dict[str, Any], t: dt.datetime, drive: dt.timedelta, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime | None]:
    """(when the master is free after this visit, estimated arrival or None if past)."""
    length = dt.timedelta(minutes=row["duration_min"])
    status, at = row["status"], row["status_at"] or now
    if status == VisitStatus.DONE:
        return at, None
    if status == VisitStatus.ON_SITE:
        return max(now, at + length), None
    if status == VisitStatus.EN_ROUTE:
        eta = max(now, at + drive)
        return eta + length, eta
    eta = max(t + drive, now)
    begin = max(eta, row["planned_start"] or eta)
    return begin + length, eta


def _late(row: dict[str, Any], eta: dt.datetime) -> bool:
    if row["window_end"] is not None:
        closes = dt.datetime.combine(row["day"], row["window_end"], tzinfo=clock.zone())
        return eta > closes
    if row["planned_start"] is not None:
        return eta > row["planned_start"] + LATE_WITHOUT_WINDOW
    return False


async def _latest_plan(day: dt.date) -> PlanBrief | None:
    row = await (
        DispatchPlan.select()
        .where(DispatchPlan.day == day)
        .order_by(DispatchPlan.id, ascending=False)
        .first()
    )
    if row is None:
        return None
    names = await staff.names([row["created_by"]] if row["created_by"] else [])
    shown = planning.plan_out({**row, "proposal": {}}, names.get(row["created_by"], ""))
    return PlanBrief(row["id"], shown.status, shown.planner_name, shown.progress)


class Check(msgspec.Struct, forbid_unknown_fields=True):
    """A placement being tried on the board: this order (or visit) with this master then."""

    order_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    master_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    planned_start: dt.datetime
    visit_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None
    duration_min: Annotated[int, msgspec.Meta(ge=5, le=720)] | None = None


class Checked(msgspec.Struct):
    """The warnings the placement would bring (empty: it fits)."""

    warnings: list[Warning]


async def check(actor: Actor, data: Check) -> Checked:
    """Warn about a placement before it is saved: overlaps, window, reach, skills, day off."""
    planning.require_planner(actor)
    if data.planned_start.tzinfo is None:
        raise InvalidInput(
            "Give the time with its zone, e.g. 2026-11-30T18:00:00+03:00", field="planned_start"
        )
    day = data.planned_start.astimezone(clock.zone()).date()
    work = await daywork.read_day(actor, day)
    masters = {m.employee_id: m for m in work.masters}
    if data.master_id not in masters:
        raise InvalidInput("Not a field master: {ids}", field="master_id", ids=str(data.master_id))
    rows = work.visits
    target = _target(work, data)
    if data.duration_min is not None:
        target = dataclasses.replace(target, duration=data.duration_min)
    placed = Placed(target, data.master_id, data.planned_start, work.numbers.get(data.order_id, ""))
    warnings = day_warnings(work, rows, masters, extra=placed)
    late = await _misses_first_visit(actor, placed)
    return Checked(warnings=[*warnings, late] if late else warnings)


async def _misses_first_visit(actor: Actor, placed: Placed) -> Warning | None:
    """A warning when the visit would start after the order's first-visit SLA deadline."""
    found = await sla.order_sla(actor, placed.work.order_id)
    clock_ = next((c for c in found.clocks if c.clock == FIRST_VISIT), None) if found else None
    if clock_ is None or clock_.stopped_at is not None or clock_.due_at is None:
        return None
    if placed.start <= clock_.due_at:
        return None
    due = formats.datetime(clock_.due_at)
    return Warning(
        kind="sla",
        text=gettext(SLA_LATE, due=due),
        order_id=placed.work.order_id,
        visit_id=placed.work.visit_id,
        master_id=placed.master_id,
    )


def _target(work: daywork.DayWork, data: Check) -> Work:
    everything = [*work.day.works.values(), *(w for w, _r, _d in work.day.left_out)]
    for item in everything:
        if data.visit_id is not None and item.visit_id == data.visit_id:
            return item
        if data.visit_id is None and item.order_id == data.order_id and item.visit_id is None:
            return item
    if data.visit_id is not None:
        raise NotFound("No visit with id {id}", id=data.visit_id)
    raise InvalidInput("The order is not waiting for a visit", field="order_id")


class WeekDay(msgspec.Struct):
    """One master's one day in the week view."""

    day: dt.date
    works: bool
    absence: str
    shift_start: str | None
    shift_end: str | None
    visits: int
    hours: float


class WeekMaster(msgspec.Struct):
    """A master's week."""

    id: int
    full_name: str
    color: str
    days: list[WeekDay]


class Week(msgspec.Struct):
    """Seven days from `start`: each master's shifts and load, and visits with no master."""

    start: dt.date
    masters: list[WeekMaster]
    unassigned: dict[str, int]


async def week(actor: Actor, start: dt.date) -> Week:
    """The week view: who works when, and how many visits and hours each day holds."""
    planning.require_planner(actor)
    last = start + dt.timedelta(days=6)
    days = await staff.master_days(actor, start, last)
    rows = await Visit.select(Visit.master, Visit.day, Visit.duration_min).where(
        Visit.day >= start, Visit.day <= last, Visit.status.not_in(list(daywork.GONE))
    )
    load: dict[tuple[int | None, dt.date], list[int]] = {}
    for row in rows:
        load.setdefault((row["master"], row["day"]), []).append(row["duration_min"])
    masters: dict[int, WeekMaster] = {}
    for m in days:
        lane = masters.setdefault(
            m.employee_id, WeekMaster(m.employee_id, m.full_name, color_of(m.employee_id), [])
        )
        busy = load.get((m.employee_id, m.day), [])
        lane.days.append(
            WeekDay(
                day=m.day,
                works=m.works,
                absence=absence_text(m.absence) if m.absence else "",
                shift_start=_hhmm(m.shift_start),
                shift_end=_hhmm(m.shift_end),
                visits=len(busy),
                hours=round(sum(busy) / 60, 1),
            )
        )
    unassigned = {
        day.isoformat(): len(durations)
        for (master, day), durations in sorted(load.items(), key=lambda kv: kv[0][1])
        if master is None
    }
    return Week(start=start, masters=list(masters.values()), unassigned=unassigned)
