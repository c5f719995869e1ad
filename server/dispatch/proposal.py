"""The scheduler's answer as a dispatcher reads it: who goes where and when, what changes,
km and hours per master before and after, and what is left out with the reason.

Pure functions: the proposal is stored as JSON on the plan and translated when read.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import routing
from routing.matrix import TravelTable, minutes
from server import clock
from server.dispatch.daywork import DayWork
from server.dispatch.problem import Work, at_minute
from server.i18n import N_, gettext

ARRIVAL_WINDOW = dt.timedelta(hours=2)  # promised to a client with no agreed window
WINDOW_STEP = 30  # minutes the promised window starts on
RETIMED = dt.timedelta(minutes=5)

REASONS: dict[str, str] = {
    routing.Reason.NO_SKILL: N_("No working master has the skills for this device"),
    routing.Reason.OVER_CAPACITY: N_("Over the masters' load capacity"),
    routing.Reason.PINNED_MASTER_CANNOT: N_("The pinned master cannot take it"),
    routing.Reason.NO_WINDOW_FITS_SHIFT: N_("Its time window is outside every shift"),
    routing.Reason.DAY_CAPACITY_EXHAUSTED: N_(
        "The masters who could take it have their maximum visits"
    ),
    routing.Reason.FIXED_TIME_UNREACHABLE: N_("The pinned time cannot be kept"),
    routing.Reason.MOVE_LIMIT: N_("Giving it to another master would exceed the move limit"),
    routing.Reason.NO_ROOM: N_("No master has room for it in its window"),
    "no_coordinates": N_("The address has no coordinates"),
    "address_not_found": N_("The geocoder did not find the address: fix it or set its coordinates"),
    "no_address": N_("The client has no address"),
    "master_not_working": N_("Its pinned master does not work that day"),
    "no_planned_start": N_("It is pinned or under way but has no planned time"),
    "master_day_over": N_("Its pinned master has no time left that day"),
    "other_day": N_("The client asked for another day: {day}"),
}
ABSENCES: dict[str, str] = {
    "weekly_off": N_("Day off by the weekly pattern"),
    "day_off": N_("Day off"),
    "vacation": N_("Vacation"),
    "sick": N_("Sick leave"),
    "no_start": N_("No start place with coordinates"),
}


def reason_text(code: str, detail: str = "") -> str:
    """The reason in the current language (the detail fills a reason that names a day)."""
    return gettext(REASONS.get(code, code), day=detail)


def absence_text(code: str) -> str:
    """Why a master is not planned, in the current language."""
    return gettext(ABSENCES.get(code, code))


def _hhmm(value: dt.datetime | dt.time) -> str:
    return value.strftime("%H:%M")


def promised_window(work: Work, start: dt.datetime) -> tuple[str, str]:
    """The agreed window, or two hours from the half hour the planned start falls in."""
    if work.window_start is not None:
        end = (
            work.window_end
            or (dt.datetime.combine(dt.date.min, work.window_start) + ARRIVAL_WINDOW).time()
        )
        return _hhmm(work.window_start), _hhmm(end)
    opens, closes = promised_arrival(start)
    return _hhmm(opens), _hhmm(closes)


def promised_arrival(start: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The window promised for a planned start: two hours from the half hour it falls in,
    ending by midnight (local times)."""
    opens = promised_start(start)
    return opens, min(opens + ARRIVAL_WINDOW, opens.replace(hour=23, minute=59))


def promised_start(start: dt.datetime) -> dt.datetime:
    """The local half hour a planned start falls in: where the promised window opens."""
    local = start.astimezone(clock.zone())
    return local.replace(minute=local.minute - local.minute % WINDOW_STEP, second=0, microsecond=0)


def _change(work: Work, master_id: int, start: dt.datetime) -> str:
    if work.visit_id is None:
        return "new"
    if work.kept:
        return "kept"
    if work.master_id != master_id:
        return "moved"
    if work.planned_start is None or abs(work.planned_start - start) >= RETIMED:
        return "retimed"
    return "same"


class Legs:
    """Travel between the problem's points (visits, then each master's start and end)."""

    def __init__(self, problem: routing.Problem, table: TravelTable) -> None:
        self.table = table
        self.node = {v.id: i for i, v in enumerate(problem.visits)}
        self.masters = {m.id: i for i, m in enumerate(problem.masters)}
        self.n = len(problem.visits)

    def figures(
        self, master_id: str, keys: list[str], works: dict[str, Work], kept: list[Work]
    ) -> dict[str, Any]:
        """km and hours of a master's day visiting `keys` in order after the `kept` visits
        (done and started: their time on site counts, their driving is behind)."""
        on_kept = sum(w.duration for w in kept)
        if master_id not in self.masters:  # nothing left of the day to plan
            return _figures(0, on_kept, len(kept))
        start = self.n + 2 * self.masters[master_id]
        path = [start, *(self.node[k] for k in keys), start + 1]
        meters = sum(self.table.distances[a][b] for a, b in itertools.pairwise(path))
        drive = sum(minutes(self.table.durations[a][b]) for a, b in itertools.pairwise(path))
        on_site = sum(works[k].duration for k in keys)
        if not keys:
            meters, drive = 0, 0
        return _figures(meters, drive + on_site + on_kept, len(keys) + len(kept))


def _figures(meters: int, busy_minutes: int, visits: int) -> dict[str, Any]:
    return {"km": round(meters / 1000, 1), "hours": round(busy_minutes / 60, 2), "visits": visits}


def _before_keys(master_id: str, works: dict[str, Work]) -> list[str]:
    own = [
        w
        for w in works.values()
        if w.master_id is not None and str(w.master_id) == master_id and not w.kept
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    own.sort(key=lambda w: (w.sequence, w.planned_start or far, w.key))
    return [w.key for w in own]


def compose(work: DayWork, plan: routing.Plan, table: TravelTable) -> dict[str, Any]:
    """The proposal of a solved day, as stored on the plan."""
    day = work.day
    legs = Legs(day.problem, table)
    routes = {r.master_id: r for r in plan.routes}
    assignments: list[dict[str, Any]] = []
    masters: list[dict[str, Any]] = []
    for master_id, master in day.masters.items():
        route = routes.get(master_id)
        stops = route.stops if route else ()
        kept = day.kept.get(master_id, [])
        for sequence, item in enumerate(kept, start=1):
            assignments.append(_kept(work, item, sequence))
        for sequence, stop in enumerate(stops, start=len(kept) + 1):
            assignments.append(_assignment(work, stop, int(master_id), sequence))
        on_kept = sum(w.duration for w in kept)
        after = _figures(0, on_kept, len(kept))
        if route is not None:
            on_site = sum(day.works[s.visit_id].duration for s in stops) + on_kept
            after = _figures(
                route.travel_meters, route.travel_minutes + on_site, len(stops) + len(kept)
            )
        masters.append(
            {
                "master_id": master.employee_id,
                "full_name": master.full_name,
                "before": legs.figures(
                    master_id, _before_keys(master_id, day.works), day.works, kept
                ),
                "after": after,
                "shift_start": _hhmm(master.shift_start) if master.shift_start else "",
                "shift_end": _hhmm(master.shift_end) if master.shift_end else "",
                "lunch_start": _hhmm(master.lunch_start) if master.lunch_start else None,
                "lunch_end": _hhmm(master.lunch_end) if master.lunch_end else None,
            }
        )
    unassigned = [_left(work, day.works[u.visit_id], u.reason, u.detail) for u in plan.unassigned]
    unassigned += [_left(work, w, reason, detail) for w, reason, detail in day.left_out]
    off = [
        {
            "master_id": m.employee_id,
            "full_name": m.full_name,
            "reason": m.absence if not m.works and m.absence else "no_start",
        }
        for m in work.off
    ]
    moved = sum(1 for a in assignments if a["change"] == "moved")
    return {
        "assignments": assignments,
        "unassigned": unassigned,
        "masters": masters,
        "off": off,
        "before": _total(m["before"] for m in masters),
        "after": _total(m["after"] for m in masters),
        "moved": moved,
        "objective": plan.objective.total,
        "solver_status": plan.status,
        "wall_s": plan.wall_s,
    }


def _total(parts: Any) -> dict[str, Any]:
    items = list(parts)
    return {
        "km": round(sum(p["km"] for p in items), 1),
        "hours": round(sum(p["hours"] for p in items), 2),
        "visits": sum(p["visits"] for p in items),
    }


def _assignment(work: DayWork, stop: routing.Stop, master_id: int, sequence: int) -> dict[str, Any]:
    item = work.day.works[stop.visit_id]
    start = at_minute(work.day.origin, stop.start)
    window_start, window_end = promised_window(item, start)
    return {
        "order_id": item.order_id,
        "visit_id": item.visit_id,
        "master_id": master_id,
        "previous_master_id": item.master_id,
        "planned_start": start.isoformat(),
        "window_start": window_start,
        "window_end": window_end,
        "sequence": sequence,
        "change": _change(item, master_id, start),
        "order_number": work.numbers.get(item.order_id, ""),
        "address": item.address,
        "latitude": item.lat,
        "longitude": item.lon,
        "duration_min": item.duration,
        "travel_minutes": stop.travel_minutes,
        "late_minutes": stop.late_minutes,
    }


def _kept(work: DayWork, item: Work, sequence: int) -> dict[str, Any]:
    """A done or started visit, where and when it is."""
    assert item.planned_start is not None and item.master_id is not None
    window_start, window_end = promised_window(item, item.planned_start)
    return {
        "order_id": item.order_id,
        "visit_id": item.visit_id,
        "master_id": item.master_id,
        "previous_master_id": item.master_id,
        "planned_start": item.planned_start.isoformat(),
        "window_start": window_start,
        "window_end": window_end,
        "sequence": sequence,
        "change": "kept",
        "order_number": work.numbers.get(item.order_id, ""),
        "address": item.address,
        "latitude": item.lat,
        "longitude": item.lon,
        "duration_min": item.duration,
        "travel_minutes": 0,
        "late_minutes": 0,
    }


def _left(work: DayWork, item: Work, reason: str, detail: str) -> dict[str, Any]:
    return {
        "order_id": item.order_id,
        "visit_id": item.visit_id,
        "reason": str(reason),
        "detail": detail,
        "order_number": work.numbers.get(item.order_id, ""),
        "master_id": item.master_id,
    }
