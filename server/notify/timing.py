"""Quiet hours: when a push, mail or SMS to an employee may go."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from server.config import get_settings


def in_quiet(now: dt.datetime, starts: dt.time, ends: dt.time) -> dt.datetime | None:
    """When quiet hours (center's time) around `now` end, or None outside them."""
    zone = ZoneInfo(get_settings().timezone)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if starts == ends:
        return None
    inside = starts <= clock < ends if starts < ends else clock >= starts or clock < ends
    if not inside:
        return None
    end_day = local.date() if clock < ends else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(end_day, ends, tzinfo=zone).astimezone(dt.UTC)


def not_before(now: dt.datetime, quiet: tuple[dt.time, dt.time] | None) -> dt.datetime:
    """Now, or the end of the employee's quiet hours when now is inside them."""
    return (in_quiet(now, *quiet) if quiet else None) or now
