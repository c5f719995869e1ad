"""The center's clock: now in UTC, the center's time zone, its days and their bounds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from server.config import get_settings


def zone() -> ZoneInfo:
    """The service center's time zone (SERVIO_TIMEZONE, Europe/Moscow by default)."""
    return ZoneInfo(get_settings().timezone)


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The current day in the center's time zone."""
    return dt.datetime.now(zone()).date()


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a center's day, as an aware time."""
    return dt.datetime.combine(day, dt.time(), zone())


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (UTC) time in the center's zone."""
    return value.astimezone(zone()) if value is not None else None
