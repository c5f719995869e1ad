"""Rotation: which backups stay for a given list of names (the time is in the name)."""

from __future__ import annotations

import datetime as dt

from server.backup.rotation import name_for, rotate, stamp_of


def _names(*stamps: str) -> list[str]:
    return [f"servio-{s}.dump" for s in stamps]


def _daily_at_three(first: dt.date, days: int) -> list[str]:
    return [name_for(dt.datetime.combine(first + dt.timedelta(d), dt.time(3))) for d in range(days)]


def test_the_newest_of_each_of_the_last_days_and_weeks_stay() -> None:
    names = _daily_at_three(dt.date(2025, 1, 1), 40)  # 1 Jan (Wednesday) to 9 Feb (Sunday)
    result = rotate(names, keep_daily=7, keep_weekly=4)
    days = [f"202502{d:02d}-030000" for d in range(9, 2, -1)]  # 9 Feb back to 3 Feb
    sundays = ["20250202-030000", "20250126-030000", "20250119-030000"]  # ends of ISO weeks
    assert result.keep == _names(*days, *sundays)
    assert set(result.delete) == set(names) - set(result.keep)
    assert result.delete[0] == "servio-20250201-030000.dump"  # newest first


def test_a_day_with_several_backups_counts_once_by_its_latest() -> None:
    names = _names("20250310-030000", "20250310-151500", "20250309-030000", "20250308-030000")
    result = rotate(names, keep_daily=2, keep_weekly=0)
    assert result.keep == _names("20250310-151500", "20250309-030000")
    assert result.delete == _names("20250310-030000", "20250308-030000")


def test_a_week_is_an_iso_week_and_keeps_its_latest() -> None:
    # 29 Dec 2025 (Monday) to 4 Jan 2026 is ISO week 1 of 2026; 28 Dec is week 52 of 2025.
    names = _names("20251227-030000", "20251228-030000", "20251229-030000", "20260104-030000")
    result = rotate(names, keep_daily=0, keep_weekly=2)
    assert result.keep == _names("20260104-030000", "20251228-030000")


def test_gaps_do_not_count_as_days() -> None:
    names = _names("20250301-030000", "20250201-030000", "20250101-030000")
    assert rotate(names, keep_daily=2, keep_weekly=0).keep == names[:2]


def test_files_not_made_by_servio_are_never_listed_for_deletion() -> None:
    others = [
        "before-upgrade.dump",
        "servio-20250101-030000.dump.partial",
        "servio-20250101-0300.dump",
        "servio-20259999-999999.dump",
        "Servio-20250101-030000.dump",
        "servio-20250101-030000.dump.gz",
        "notes.txt",
    ]
    names = [*others, *_names("20250105-030000", "20250104-030000")]
    result = rotate(names, keep_daily=1, keep_weekly=0)
    assert result.keep == _names("20250105-030000")
    assert result.delete == _names("20250104-030000")


def test_the_newest_backup_stays_even_with_nothing_to_keep() -> None:
    names = _names("20250105-030000", "20250104-030000")
    assert rotate(names, keep_daily=0, keep_weekly=0).keep == names[:1]
    assert rotate([], keep_daily=7, keep_weekly=4).keep == []


def test_names_and_times_round_trip() -> None:
    moment = dt.datetime(2025, 6, 30, 23, 59, 58)
    assert name_for(moment) == "servio-20250630-235958.dump"
    assert stamp_of(name_for(moment)) == moment
    assert stamp_of("servio-20250631-000000.dump") is None
