"""Which backups stay: the newest of each of the last N days and of the last M ISO weeks.

A pure function of the file names (the time is in the name, in the center's zone), so the
rule is tested without files. Only names this module makes are ever considered: a file put in
the folder by hand, a half-written `.partial` or anything else is never deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import msgspec

PREFIX = "servio-"
SUFFIX = ".dump"
STAMP = "%Y%m%d-%H%M%S"
NAME = re.compile(r"^servio-(\d{8}-\d{6})\.dump$")


class Rotation(msgspec.Struct, frozen=True):
    """The backups that stay and those to delete, newest first."""

    keep: list[str]
    delete: list[str]


def name_for(moment: dt.datetime) -> str:
    """The file name of a backup made at `moment` (the center's local time)."""
    return f"{PREFIX}{moment.strftime(STAMP)}{SUFFIX}"


def stamp_of(name: str) -> dt.datetime | None:
    """When a backup of ours was made, from its name; None for any other name."""
    found = NAME.match(name)
    if found is None:
        return None
    try:
        return dt.datetime.strptime(found.group(1), STAMP)
    except ValueError:  # servio-99999999-999999.dump: not a time, not ours
        return None


def rotate(names: Iterable[str], keep_daily: int, keep_weekly: int) -> Rotation:
    """Keep the latest backup of each of the `keep_daily` newest days that have one, and of
    each of the `keep_weekly` newest ISO weeks; the newest backup always stays (counts of 0
    never leave the folder empty). Names that are not ours are in neither list."""
    ours = sorted(
        ((stamp, name) for name in set(names) if (stamp := stamp_of(name)) is not None),
        reverse=True,
    )
    days: dict[dt.date, str] = {}
    weeks: dict[tuple[int, int], str] = {}
    for stamp, name in ours:  # newest first: the first seen of a day or week is its latest
        days.setdefault(stamp.date(), name)
        iso = stamp.isocalendar()
        weeks.setdefault((iso.year, iso.week), name)
    kept = set(list(days.values())[:keep_daily]) | set(list(weeks.values())[:keep_weekly])
    kept |= {name for _, name in ours[:1]}
    return Rotation(
        keep=[name for _, name in ours if name in kept],
        delete=[name for _, name in ours if name not in kept],
    )
