"""What dispatch tells the notifications: a visit planned, moved or its master on the way.
Written in the transaction of the change; the master is the event's employee."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server.dispatch.proposal import promised_arrival
from server.notify import api as notify
from server.notify import events
from server.notify.api import Event
from server.staff import api as staff

SHOWN = ("day", "window_start", "window_end", "master", "planned_start")


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def window(row: dict[str, Any]) -> str:
    """«10:00–12:00», the planned arrival, or nothing."""
    if row.get("window_start") is not None:
        return f"{_hhmm(row['window_start'])}–{_hhmm(row.get('window_end'))}".rstrip("–")
    start = row.get("planned_start")
    if start is None:
        return ""
    opens, closes = promised_arrival(start)
    return f"{opens:%H:%M}–{closes:%H:%M}"


def _event(kind: str, row: dict[str, Any], names: dict[int, str], mark: str) -> Event:
    return Event(
        kind,
        key=f"visit:{row['id']}:{mark}:{row.get('version', 1)}",
        order_id=row["order"],
        employee_id=row.get("master"),
        context={
            "link": f"/field#/visit/{row['id']}",
            "visit": {
                "day": row["day"].strftime("%d.%m.%Y"),
                "window": window(row),
                "master": names.get(row.get("master") or 0, ""),
            },
        },
    )


async def visits_planned(rows: list[dict[str, Any]]) -> None:
    """New visits with a master."""
    rows = [r for r in rows if r.get("master")]
    names = await staff.names({r["master"] for r in rows})
    await notify.emit_many([_event(events.VISIT_PLANNED, r, names, "planned") for r in rows])


async def visits_changed(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """Visits whose day, window, arrival or master changed (the master told is the new one;
    a master a visit was taken from hears it as planned for the new one only)."""
    moved = [after for before, after in pairs if any(before.get(k) != after.get(k) for k in SHOWN)]
    moved = [r for r in moved if r.get("master")]
    names = await staff.names({r["master"] for r in moved})
    await notify.emit_many([_event(events.VISIT_CHANGED, r, names, "changed") for r in moved])


async def master_on_the_way(row: dict[str, Any]) -> None:
    names = await staff.names([row["master"]] if row.get("master") else [])
    await notify.emit_many([_event(events.VISIT_EN_ROUTE, row, names, "en_route")])
