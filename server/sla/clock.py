"""Business-time arithmetic on a working calendar: no database, no settings, no I/O.

A calendar says which minutes of each local day are working: weekly hours per weekday, and
exceptions for given dates (a holiday has no hours, a shortened or transferred working day
its own). Instants are aware datetimes; the calendar turns each local day's hours into UTC
spans once and keeps a running total, so `between` and `add` cost a dictionary look-up and a
bisection however far apart the instants are.

Local times are turned into UTC monotonically: a wall time that happens twice (clocks set
back) is taken the first time, and one that never happens (clocks set forward) is the moment
of the jump. So a day's hours always last what the clock on the wall says they last, and
the total never runs backwards whatever the zone's rules.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # minutes from local midnight, [start, end), 0 <= start < end <= 1440
Hours = tuple[Span, ...]
Pause = tuple[dt.datetime, dt.datetime | None]  # an open pause has no end
ZERO = dt.timedelta(0)
DAY_MINUTES = 1440
FIRST_DAY = dt.date(1990, 1, 1)
LAST_DAY = dt.date(2200, 1, 1)
HORIZON_DAYS = 3 * 366  # `add` gives up after this many days without enough working time


def check_hours(hours: Iterable[Sequence[int]]) -> Hours:
    """Spans sorted, each within the day and not overlapping the next; ValueError otherwise."""
    spans = sorted((int(s[0]), int(s[1])) for s in hours)
    for start, end in spans:
        if not 0 <= start < end <= DAY_MINUTES:
            raise ValueError(f"span {start}-{end} is not within a day")
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise ValueError("spans overlap")
    return tuple(spans)


def wall_to_utc(day: dt.date, minute: int, zone: ZoneInfo) -> dt.datetime:
    """The instant a wall clock in `zone` shows `minute` past midnight of `day` (see above)."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    first = naive.replace(tzinfo=zone).astimezone(dt.UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # A wall time inside a forward jump: the jump's instant, the first whose wall time is later.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
    high = first
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


class Calendar:
    """Working hours in a zone: weekly (Monday first) with exceptions for dates."""

    def __init__(
        self,
        zone: ZoneInfo | str,
        weekly: Sequence[Iterable[Sequence[int]]],
        days: Mapping[dt.date, Iterable[Sequence[int]]] | None = None,
    ) -> None:
        if len(weekly) != 7:
            raise ValueError("weekly hours need seven days, Monday first")
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        self.weekly: tuple[Hours, ...] = tuple(check_hours(h) for h in weekly)
        self.days: dict[dt.date, Hours] = {d: check_hours(h) for d, h in (days or {}).items()}
        self._first: dt.date | None = None  # the first day of the running total
        self._spans: list[tuple[tuple[dt.datetime, dt.datetime], ...]] = []
        self._prefix: list[dt.timedelta] = []  # working time before each day, from _first

    def hours(self, day: dt.date) -> Hours:
        """The working spans of a local day."""
        found = self.days.get(day)
        return found if found is not None else self.weekly[day.weekday()]

    @property
    def works_ever(self) -> bool:
        """False when no weekday has hours (only listed dates could)."""
        return any(self.weekly)

    def _utc_spans(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        found = []
        for start, end in self.hours(day):
            a, b = wall_to_utc(day, start, self.zone), wall_to_utc(day, end, self.zone)
            if a < b:
                found.append((a, b))
        return tuple(found)

    def _index(self, day: dt.date) -> int:
        """The day's place in the running total, extending it as needed."""
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{day} is outside the calendar's range")
        if self._first is None:
            self._first = day
            self._spans = [self._utc_spans(day)]
            self._prefix = [ZERO]
        if day < self._first:  # earlier days get negative totals: known totals stay valid
            count = (self._first - day).days
            earlier = [self._utc_spans(day + dt.timedelta(days=i)) for i in range(count)]
            prefix, worked = [], self._prefix[0]
            for spans in reversed(earlier):
                worked -= sum((b - a for a, b in spans), ZERO)
                prefix.append(worked)
            self._spans = earlier + self._spans
            self._prefix = prefix[::-1] + self._prefix
            self._first = day
        index = (day - self._first).days
        while index >= len(self._spans):
            last = self._first + dt.timedelta(days=len(self._spans) - 1)
            worked = sum((b - a for a, b in self._spans[-1]), ZERO)
            self._prefix.append(self._prefix[-1] + worked)
            self._spans.append(self._utc_spans(last + dt.timedelta(days=1)))
        return index

    def _day_of(self, instant: dt.datetime) -> dt.date:
        if instant.tzinfo is None:
            raise ValueError("instants must be aware")
        return instant.astimezone(self.zone).date()

    def total(self, instant: dt.datetime) -> dt.timedelta:
        """Working time up to the instant from an origin of the calendar's choosing (only
        differences of totals mean anything; an origin once chosen stays)."""
        index = self._index(self._day_of(instant))
        worked = self._prefix[index]
        for a, b in self._spans[index]:
            if a >= instant:
                break
            worked += min(b, instant) - a
        return worked

    def at_total(self, target: dt.timedelta) -> dt.datetime:
        """The earliest instant whose running total reaches `target` (which must be reached
        within the days already in the total or the ones `reach` added)."""
        index = bisect.bisect_left(self._prefix, target) - 1
        left = target - self._prefix[index]
        for a, b in self._spans[index]:
            if b - a >= left:
                return a + left
            left -= b - a
        raise AssertionError("the running total was not extended far enough")

    def reach(self, start: dt.datetime, target: dt.timedelta) -> bool:
        """Extend the running total until it passes `target`; False if it does not within
        HORIZON_DAYS of `start`."""
        index = self._index(self._day_of(start))
        assert self._first is not None
        last = index + HORIZON_DAYS
        while True:
            if len(self._prefix) > index + 1 and self._prefix[-1] >= target:
                return True
            if len(self._spans) > last:
                return False
            self._index(self._first + dt.timedelta(days=len(self._spans) + 31))


def merge(pauses: Iterable[Pause]) -> list[Pause]:
    """Pauses sorted and joined where they touch or overlap."""
    merged: list[Pause] = []
    for start, end in sorted(pauses, key=lambda p: p[0]):
        if end is not None and end <= start:
            continue
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def between(
    calendar: Calendar, start: dt.datetime, end: dt.datetime, pauses: Iterable[Pause] = ()
) -> dt.timedelta:
    """Working time from `start` to `end` outside the pauses (zero when end <= start)."""
    if end <= start:
        return ZERO
    worked = calendar.total(end) - calendar.total(start)
    for p_start, p_end in merge(pauses):
        a = max(p_start, start)
        b = end if p_end is None else min(p_end, end)
        if a < b:
            worked -= calendar.total(b) - calendar.total(a)
    return worked


def _add(calendar: Calendar, start: dt.datetime, amount: dt.timedelta) -> dt.datetime | None:
    if amount <= ZERO:
        return start
    target = calendar.total(start) + amount
    if not calendar.reach(start, target):
        return None
    return calendar.at_total(target)


def add(
    calendar: Calendar, start: dt.datetime, amount: dt.timedelta, pauses: Iterable[Pause] = ()
) -> dt.datetime | None:
    """The earliest instant by which `amount` of working time outside the pauses has passed
    since `start`; None when that never happens (an open pause, or no working time ahead)."""
    current, left = start, amount
    for p_start, p_end in merge(pauses):
        if p_end is not None and p_end <= current:
            continue
        reached = _add(calendar, current, left)
        if reached is None:
            return None
        if reached <= p_start:
            return reached
        left -= between(calendar, current, max(current, p_start))
        if p_end is None:
            return None
        current = max(current, p_end)
    return _add(calendar, current, left)


def minutes(amount: dt.timedelta) -> int:
    """Whole minutes of a duration, rounded down (negative ones towards minus infinity)."""
    return int(amount.total_seconds() // 60)
