"""What is wrong with a master's day as planned: overlapping visits, a window that cannot be
met, a visit that cannot be reached in time, missing skills, a day off or hours outside the
shift. The board shows them before a change is saved and on the day as it stands."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec

import routing
from routing.matrix import minutes
from server import clock
from server.dispatch.problem import Work
from server.dispatch.travel import matrix
from server.i18n import N_, gettext, ngettext
from server.staff.api import MasterDay

TEXTS = {
    "overlap": N_("Overlaps the visit of order {other} at {time}"),
    "window": N_("Starts at {time}, outside the agreed window {window}"),
    "unreachable": N_("Cannot be reached in time after the previous visit ({minutes} min drive)"),
    "next_unreachable": N_(
        "The visit of order {other} at {time} cannot be reached in time after this one"
        " ({minutes} min drive)"
    ),
    "skills": N_("{master} does not service this device"),
    "day_off": N_("{master} does not work on this day: {why}"),
    "shift": N_("Outside {master}'s working hours {hours}"),
}


class Warning(msgspec.Struct):
    """One problem with one visit; `kind` is one of TEXTS or "capacity"."""

    kind: str
    text: str
    order_id: int
    visit_id: int | None = None
    master_id: int | None = None


@dataclass(frozen=True)
class Placed:
    """A visit as placed on the board: its work, master and start."""

    work: Work
    master_id: int
    start: dt.datetime
    number: str = ""


def _hhmm(value: dt.datetime | dt.time) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(clock.zone())
    return value.strftime("%H:%M")


def _warn(kind: str, placed: Placed, **params: Any) -> Warning:
    if kind == "capacity":
        text = ngettext(
            "{master} already has {n} visit, the most allowed per day",
            "{master} already has {n} visits, the most allowed per day",
            params.pop("count"),
            **params,
        )
    else:
        text = gettext(TEXTS[kind], **params)
    return Warning(
        kind=kind,
        text=text,
        order_id=placed.work.order_id,
        visit_id=placed.work.visit_id,
        master_id=placed.master_id,
    )


def _end(placed: Placed) -> dt.datetime:
    return placed.start + dt.timedelta(minutes=placed.work.duration)


def master_warnings(
    master: MasterDay | None,
    placed: list[Placed],
    skills: frozenset[str] | None,
    absence_text: str,
    tried: Placed | None = None,
) -> list[Warning]:
    """The warnings of one master's day (`placed` are that master's visits of the day).

    A problem between two visits is the later one's, and a day over the master's most visits
    is the last visit's; `tried` (a placement being tried, one of `placed`) takes those it
    brings whether it goes before or after the other visit, since the check before saving
    shows the tried placement's warnings only.
    """
    out: list[Warning] = []
    name = master.full_name if master else ""
    ordered = sorted(placed, key=lambda p: (p.start, p.work.key))
    for p in ordered:
        out += _own(master, p, skills, name, absence_text)
    for a, b in itertools.pairwise(ordered):
        if b.start < _end(a):
            if a is tried:
                out.append(_warn("overlap", a, other=b.number, time=_hhmm(b.start)))
            else:
                out.append(_warn("overlap", b, other=a.number, time=_hhmm(a.start)))
    out += _reach(ordered, tried)
    if master and master.max_visits is not None and len(ordered) > master.max_visits:
        whose = tried if tried is not None else ordered[-1]
        out.append(_warn("capacity", whose, master=name, count=master.max_visits))
    return out


def _own(
    master: MasterDay | None,
    p: Placed,
    skills: frozenset[str] | None,
    name: str,
    absence_text: str,
) -> list[Warning]:
    out = []
    local = p.start.astimezone(clock.zone())
    work = p.work
    if work.window_start is not None:
        closes = work.window_end or dt.time(23, 59)
        if not work.window_start <= local.time() <= closes:
            window = f"{_hhmm(work.window_start)}–{_hhmm(closes)}"
            out.append(_warn("window", p, time=_hhmm(local), window=window))
    if skills is not None and not work.skills <= skills:
        out.append(_warn("skills", p, master=name))
    if master is not None and not master.works:
        out.append(_warn("day_off", p, master=name, why=absence_text))
    elif master is not None and master.shift_start and master.shift_end:
        end = _end(p).astimezone(clock.zone())
        if (
            local.time() < master.shift_start
            or end.time() > master.shift_end
            or end.date() != local.date()
        ):
            hours = f"{_hhmm(master.shift_start)}–{_hhmm(master.shift_end)}"
            out.append(_warn("shift", p, master=name, hours=hours))
    return out


def _reach(ordered: list[Placed], tried: Placed | None = None) -> list[Warning]:
    located = [p for p in ordered if p.work.lat is not None and p.work.lon is not None]
    if len(located) < 2:
        return []
    points = [routing.Location(p.work.lat, p.work.lon) for p in located]  # type: ignore[arg-type]
    table = matrix().table(points, points)
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(located)):
        drive = minutes(table.durations[i][i + 1])
        if b.start < _end(a) + dt.timedelta(minutes=drive) and b.start >= _end(a):
            if a is tried:
                params = {"other": b.number, "time": _hhmm(b.start), "minutes": drive}
                out.append(_warn("next_unreachable", a, **params))
            else:
                out.append(_warn("unreachable", b, minutes=drive))
    return out


def by_master(placed: Iterable[Placed]) -> dict[int, list[Placed]]:
    """Placed visits grouped by master."""
    out: dict[int, list[Placed]] = {}
    for p in placed:
        out.setdefault(p.master_id, []).append(p)
    return out
