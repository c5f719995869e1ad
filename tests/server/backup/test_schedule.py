"""The daily backup's time: SERVIO_BACKUP_AT in the center's zone, from hourly UTC ticks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from server.backup.schedule import cron, is_due
from server.config import _env_clock


def _tick(local: str, zone: str) -> int:
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))
    return int(moment.timestamp())


def test_the_tick_at_the_local_hour_is_due_and_no_other() -> None:
    at = (3, 0)
    assert is_due(_tick("2025-03-10T03:00", "Europe/Moscow"), at, "Europe/Moscow")
    assert not is_due(_tick("2025-03-10T04:00", "Europe/Moscow"), at, "Europe/Moscow")
    assert not is_due(_tick("2025-03-10T03:00", "Asia/Yekaterinburg"), at, "Europe/Moscow")
    assert not is_due(_tick("2025-03-10T03:00", "Europe/Moscow"), None, "Europe/Moscow")


def test_summer_time_moves_the_utc_tick_not_the_local_hour() -> None:
    at = (3, 30)
    assert is_due(_tick("2025-01-15T03:30", "Europe/Berlin"), at, "Europe/Berlin")
    assert is_due(_tick("2025-07-15T03:30", "Europe/Berlin"), at, "Europe/Berlin")


@pytest.mark.parametrize(
    ("zone", "at", "expected"),
    [
        ("Europe/Moscow", (3, 0), "0 * * * *"),
        ("Europe/Moscow", (2, 45), "45 * * * *"),
        ("Asia/Kolkata", (3, 0), "30 * * * *"),  # UTC+5:30: the tick is at :30 UTC
        ("Asia/Kathmandu", (3, 0), "15 * * * *"),  # UTC+5:45
    ],
)
def test_the_cron_minute_is_the_local_minute(zone: str, at: tuple[int, int], expected: str) -> None:
    assert cron(at, zone, dt.datetime(2025, 3, 10, tzinfo=dt.UTC)) == expected


def test_backup_at_is_read_as_hh_mm_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("03:00", (3, 0)), ("23:59", (23, 59)), ("off", None), ("", (3, 0))]:
        monkeypatch.setenv("SERVIO_BACKUP_AT", raw)
        assert _env_clock("SERVIO_BACKUP_AT", (3, 0)) == expected
    for raw in ["3", "24:00", "03:60", "three"]:
        monkeypatch.setenv("SERVIO_BACKUP_AT", raw)
        with pytest.raises(ValueError, match="SERVIO_BACKUP_AT"):
            _env_clock("SERVIO_BACKUP_AT", (3, 0))
