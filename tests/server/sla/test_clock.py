"""Business-time arithmetic as properties across weekends, holidays, pauses, zones and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.sla import clock
from server.sla.calendar_data import russian_calendar
from server.sla.clock import Calendar, add, between

PROFILE = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
ZONES = ["Europe/Moscow", "UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney",
         "Asia/Kolkata", "America/Havana", "Pacific/Chatham"]  # fmt: skip
OFFICE = [[(540, 1080)]] * 5 + [[], []]
MINUTE = dt.timedelta(minutes=1)


@st.composite
def hours(draw: st.DrawFn) -> list[tuple[int, int]]:
    """A day's working spans: none, or up to three, anywhere in the day."""
    cuts = sorted(draw(st.sets(st.integers(0, 1440), max_size=6)))
    spans = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [(a, b) for a, b in spans if a < b]


@st.composite
def calendars(draw: st.DrawFn, zones: list[str] = ZONES) -> Calendar:
    """A zone, weekly hours (at least one working weekday) and a few holidays or special days."""
    weekly = [draw(hours()) for _ in range(7)]
    if not any(weekly):
        weekly[0] = [(540, 1080)]
    days = {
        draw(st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))): draw(hours())
        for _ in range(draw(st.integers(0, 12)))
    }
    return Calendar(draw(st.sampled_from(zones)), weekly, days)


instants = st.datetimes(
    dt.datetime(2025, 1, 1), dt.datetime(2028, 6, 30), timezones=st.just(dt.UTC)
)
amounts = st.integers(0, 200 * 60).map(lambda m: dt.timedelta(minutes=m)) | st.timedeltas(
    dt.timedelta(0), dt.timedelta(days=20)
)


@st.composite
def pauses(draw: st.DrawFn) -> list[clock.Pause]:
    found: list[clock.Pause] = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(instants)
        length = draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=10)))
        found.append((start, start + length))
    if draw(st.integers(0, 9)) == 0:
        found.append((draw(instants), None))
    return found


@PROFILE
@given(calendars(), instants, amounts, pauses())
def test_add_then_measure_gives_the_amount_back(
    calendar: Calendar, start: dt.datetime, amount: dt.timedelta, paused: list[clock.Pause]
) -> None:
    due = add(calendar, start, amount, paused)
    if due is None:  # only an open pause (or no working time for years) stops the clock
        assert any(end is None for _, end in paused) or amount > dt.timedelta(0)
        return
    assert due >= start
    assert between(calendar, start, due, paused) == amount
    if amount > dt.timedelta(0):  # and it is the earliest such instant
        assert between(calendar, start, due - dt.timedelta(microseconds=1), paused) < amount


@PROFILE
@given(calendars(), st.lists(instants, min_size=3, max_size=3), pauses())
def test_business_time_adds_up_and_never_runs_backwards(
    calendar: Calendar, points: list[dt.datetime], paused: list[clock.Pause]
) -> None:
    a, b, c = sorted(points)
    ab, bc, ac = (between(calendar, x, y, paused) for x, y in ((a, b), (b, c), (a, c)))
    assert ab >= dt.timedelta(0) and bc >= dt.timedelta(0)
    assert ab + bc == ac
    assert between(calendar, a, c, paused) <= between(calendar, a, c)
    assert between(calendar, c, a, paused) == dt.timedelta(0)


@PROFILE
@given(calendars(), instants, instants, pauses())
def test_paused_time_is_exactly_what_the_pauses_cover(
    calendar: Calendar, x: dt.datetime, y: dt.datetime, paused: list[clock.Pause]
) -> None:
    start, end = sorted((x, y))
    covered = dt.timedelta(0)
    for p_start, p_end in clock.merge(paused):
        covered += between(calendar, max(start, p_start), min(end, p_end or end))
    assert between(calendar, start, end, paused) == between(calendar, start, end) - covered


def _brute_force(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Working minutes counted one by one on the wall clock (valid where no clock jumps)."""
    worked, moment = dt.timedelta(0), start
    while moment < end:
        wall = moment.astimezone(calendar.zone)
        minute = wall.hour * 60 + wall.minute
        if any(a <= minute < b for a, b in calendar.hours(wall.date())):
            worked += MINUTE
        moment += MINUTE
    return worked


@settings(max_examples=40, deadline=None, database=None)
@given(
    calendars(zones=["Europe/Moscow", "UTC", "Asia/Kolkata", "Asia/Tokyo"]),
    st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 20)),
    st.integers(0, 6 * 24 * 60),
)
def test_minutes_counted_one_by_one_agree_in_zones_without_jumps(
    calendar: Calendar, start: dt.datetime, length: int
) -> None:
    begin = start.replace(second=0, microsecond=0, tzinfo=dt.UTC)
    end = begin + dt.timedelta(minutes=length)
    assert between(calendar, begin, end) == _brute_force(calendar, begin, end)


def test_a_day_lasts_what_the_wall_clock_says_across_daylight_saving() -> None:
    berlin = Calendar("Europe/Berlin", [[(0, 1440)]] * 7)
    york = Calendar("America/New_York", [[(0, 360)]] * 7)
    day = dt.timedelta(days=1)

    def whole(calendar: Calendar, day_: dt.date) -> dt.timedelta:
        start = dt.datetime.combine(day_, dt.time(), calendar.zone)
        return between(calendar, start, start + 2 * day)

    assert whole(berlin, dt.date(2026, 3, 29)) - day == dt.timedelta(hours=23)
    assert whole(berlin, dt.date(2026, 10, 25)) - day == dt.timedelta(hours=25)
    night = dt.datetime(2026, 3, 8, tzinfo=ZoneInfo("America/New_York"))
    assert between(york, night, night + dt.timedelta(hours=12)) == dt.timedelta(hours=5)
    night = dt.datetime(2026, 11, 1, tzinfo=ZoneInfo("America/New_York"))
    assert between(york, night, night + dt.timedelta(hours=12)) == dt.timedelta(hours=7)
    # A span that starts inside the jump starts at the jump: 02:30 does not exist that night.
    late = Calendar("America/New_York", [[(150, 240)]] * 7)
    assert between(late, night - dt.timedelta(days=238), night) > dt.timedelta(0)
    spring = dt.datetime(2026, 3, 8, tzinfo=ZoneInfo("America/New_York"))
    assert between(late, spring, spring + dt.timedelta(hours=12)) == dt.timedelta(hours=1)


def test_the_russian_production_calendar_skips_new_year_and_shortens_eves() -> None:
    calendar = russian_calendar("Europe/Moscow", [[(540, 1080)]] * 5 + [[], []])
    moscow = ZoneInfo("Europe/Moscow")
    eve = dt.datetime(2026, 12, 30, 17, 30, tzinfo=moscow)
    due = add(calendar, eve, dt.timedelta(hours=1))
    assert due == dt.datetime(2027, 1, 11, 9, 30, tzinfo=moscow)
    # 30 April 2026 is a shortened day (until 17:00), 1 May a holiday, 4 May a working Monday.
    april = dt.datetime(2026, 4, 30, 16, 0, tzinfo=moscow)
    assert add(calendar, april, dt.timedelta(hours=2)) == dt.datetime(
        2026, 5, 4, 10, 0, tzinfo=moscow
    )
    year = between(
        calendar, dt.datetime(2026, 1, 1, tzinfo=moscow), dt.datetime(2027, 1, 1, tzinfo=moscow)
    )
    assert year == dt.timedelta(hours=247 * 9 - 4)  # 247 working days of 9 hours, 4 shortened


def test_a_calendar_with_no_working_time_never_reaches_a_deadline() -> None:
    calendar = Calendar("UTC", [[]] * 7, {dt.date(2026, 1, 5): [(540, 600)]})
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert add(calendar, start, dt.timedelta(minutes=30)) == dt.datetime(
        2026, 1, 5, 9, 30, tzinfo=dt.UTC
    )
    assert add(calendar, start, dt.timedelta(hours=2)) is None
    assert add(calendar, start, dt.timedelta(0), [(start, None)]) == start
