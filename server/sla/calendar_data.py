"""The Russian production calendar (производственный календарь) shipped as default data.

2026 is the Government's decree: 1–11 January off (3 January moved to 9 January, 4 January
to 31 December), 23 February, 9 March (for 8 March, a Sunday), 1 and 11 May (for 9 May, a
Saturday), 12 June, 4 November and 31 December; eves shortened by an hour: 30 April, 8 May,
11 June, 3 November. 247 working days, 1972 hours at 40 a week.

2027 follows article 112 of the Labour Code where the decree was not known when this was
written: holidays on a weekend move to the next working day (1 May → 3 May, 9 May → 10 May,
12 June → 14 June), eves shortened (22 February, 30 April, 11 June, 3 November,
31 December). The decree may move the January weekends (2 and 3 January) elsewhere: an
administrator adds those days on the calendar page. Every day here is editable there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import StrEnum
from zoneinfo import ZoneInfo

from server.i18n import N_
from server.sla.clock import Calendar, Hours, check_hours


class DayKind(StrEnum):
    """What an exception day of the calendar is."""

    HOLIDAY = "holiday"  # no working time
    SHORT = "short"  # the weekday's hours ending an hour earlier (a pre-holiday eve)
    WORKDAY = "workday"  # a weekend day worked with Monday's hours (a transfer)
    HOURS = "hours"  # hours of its own


DAY_KIND_LABELS = {
    DayKind.HOLIDAY: N_("Day off"),
    DayKind.SHORT: N_("Shortened day"),
    DayKind.WORKDAY: N_("Working day (transferred)"),
    DayKind.HOURS: N_("Own hours"),
}

D = dt.date
HOLIDAYS: tuple[tuple[dt.date, str], ...] = (
    *((D(2026, 1, n), "Новогодние каникулы") for n in range(1, 9)),
    (D(2026, 1, 9), "Перенос с 3 января"),
    (D(2026, 2, 23), "День защитника Отечества"),
    (D(2026, 3, 9), "Перенос с 8 марта"),
    (D(2026, 5, 1), "Праздник Весны и Труда"),
    (D(2026, 5, 11), "Перенос с 9 мая"),
    (D(2026, 6, 12), "День России"),
    (D(2026, 11, 4), "День народного единства"),
    (D(2026, 12, 31), "Перенос с 4 января"),
    *((D(2027, 1, n), "Новогодние каникулы") for n in range(1, 9)),
    (D(2027, 2, 23), "День защитника Отечества"),
    (D(2027, 3, 8), "Международный женский день"),
    (D(2027, 5, 3), "Перенос с 1 мая"),
    (D(2027, 5, 10), "Перенос с 9 мая"),
    (D(2027, 6, 14), "Перенос с 12 июня"),
    (D(2027, 11, 4), "День народного единства"),
)
SHORT_DAYS: tuple[tuple[dt.date, str], ...] = (
    (D(2026, 4, 30), "Предпраздничный день"),
    (D(2026, 5, 8), "Предпраздничный день"),
    (D(2026, 6, 11), "Предпраздничный день"),
    (D(2026, 11, 3), "Предпраздничный день"),
    (D(2027, 2, 22), "Предпраздничный день"),
    (D(2027, 4, 30), "Предпраздничный день"),
    (D(2027, 6, 11), "Предпраздничный день"),
    (D(2027, 11, 3), "Предпраздничный день"),
    (D(2027, 12, 31), "Предпраздничный день"),
)
# Monday to Friday 9:00–18:00 (a service center's counter; editable).
DEFAULT_WEEKLY: tuple[Hours, ...] = (((540, 1080),),) * 5 + ((), ())


def default_days() -> list[tuple[dt.date, DayKind, str]]:
    """The shipped exception days: (date, kind, note)."""
    days = [(d, DayKind.HOLIDAY, note) for d, note in HOLIDAYS]
    days += [(d, DayKind.SHORT, note) for d, note in SHORT_DAYS]
    return sorted(days)


def day_hours(
    kind: DayKind, day: dt.date, weekly: Sequence[Hours], own: Iterable[Sequence[int]] = ()
) -> Hours:
    """The working spans of an exception day of the given kind."""
    if kind is DayKind.HOLIDAY:
        return ()
    if kind is DayKind.WORKDAY:
        return next((h for h in weekly if h), ())
    if kind is DayKind.SHORT:
        spans = list(weekly[day.weekday()])
        while spans:
            start, end = spans.pop()
            if end - 60 > start:
                return (*spans, (start, end - 60))
            # a last span of an hour or less goes, and the hour is taken from the one before
        return ()
    return check_hours(own)


def russian_calendar(zone: ZoneInfo | str, weekly: Sequence[Iterable[Sequence[int]]]) -> Calendar:
    """A calendar with the weekly hours and the shipped Russian exception days."""
    checked = tuple(check_hours(h) for h in weekly)
    days = {d: day_hours(kind, d, checked) for d, kind, _ in default_days()}
    return Calendar(zone, checked, days)
