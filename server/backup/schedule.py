"""When the daily backup runs: SERVIO_BACKUP_AT in the center's time zone.

procrastinate reads cron in UTC, and a zone's offset moves with summer time, so the job is
deferred every hour at the UTC minute that is the wanted local minute, and the run whose
local hour is the wanted one makes the backup; the others return at once. Every worker
defers the same ticks; procrastinate keeps one job per tick (a unique row per task and
timestamp), and the job's lock lets one run at a time: one backup a day with any number of
servers.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def cron(at: tuple[int, int] | None, zone: str, now: dt.datetime | None = None) -> str:
    """The hourly cron (UTC) whose ticks fall on the wanted local minute."""
    minute = at[1] if at else 0
    offset = (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(zone)).utcoffset()
    shift = int(offset.total_seconds() // 60) if offset else 0
    return f"{(minute - shift) % 60} * * * *"


def is_due(timestamp: int, at: tuple[int, int] | None, zone: str) -> bool:
    """Whether the tick at `timestamp` (UTC seconds) is the daily backup's time."""
    if at is None:
        return False
    local = dt.datetime.fromtimestamp(timestamp, ZoneInfo(zone))
    return (local.hour, local.minute) == at
