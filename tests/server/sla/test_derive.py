"""The next instant of a reading, as properties: between a reading and its `next_at` the state
and the transitions crossed stay as they are (so the sweep may leave the order alone), and at
`next_at` something changes (or an event of the order falls then: a clock read back in time);
with no next instant nothing ever changes by itself."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.sla.choices import ClockKind
from server.sla.clock import Calendar
from server.sla.derive import Facts, OrderReading, Policy, read_order, segments
from tests.server.sla.test_clock import calendars

PROFILE = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
START = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
STATUSES = [("new", "new"), ("diagnostics", "in_work"), ("waiting_parts", "waiting"),
            ("ready", "ready")]  # fmt: skip


@st.composite
def orders(draw: st.DrawFn) -> Facts:
    """An order taken in at START with a few status changes and maybe an arrival."""
    at, code, changes = START, ("new", "new"), []
    for _ in range(draw(st.integers(0, 4))):
        at += dt.timedelta(minutes=draw(st.integers(1, 3000)))
        new = draw(st.sampled_from(STATUSES))
        changes.append((at, *code, *new))
        code = new
    arrivals = ()
    if draw(st.booleans()):
        arrivals = (START + dt.timedelta(minutes=draw(st.integers(1, 6000))),)
    return Facts(1, 1, "normal", True, START, segments(START, changes, code), arrivals)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    targets = {
        kind: draw(st.integers(1, 2400))
        for kind in ClockKind
        if draw(st.booleans()) or kind is ClockKind.RESOLUTION
    }
    return Policy(
        id=1,
        name="p",
        order_type_id=None,
        priority="",
        targets=targets,
        warn_percent=draw(st.integers(1, 99)),
        escalate_percent=draw(st.none() | st.integers(100, 300)),
        pause_statuses=frozenset(draw(st.sets(st.sampled_from(["waiting_parts", "diagnostics"])))),
    )


def _seen(reading: OrderReading) -> tuple[object, ...]:
    return tuple((c.clock, c.state, c.crossed) for c in reading.clocks)


@PROFILE
@given(orders(), policies(), calendars(), st.integers(0, 12000), st.floats(0, 1))
def test_nothing_changes_before_the_next_instant_and_something_does_at_it(
    facts: Facts, policy: Policy, calendar: Calendar, offset: int, share: float
) -> None:
    now = START + dt.timedelta(minutes=offset)
    first = read_order(facts, [policy], calendar, now)
    if first.next_at is None:
        later = read_order(facts, [policy], calendar, now + dt.timedelta(days=400))
        assert _seen(later) == _seen(first)
        return
    assert first.next_at > now
    between = now + (first.next_at - now) * share
    if between < first.next_at:
        middle = read_order(facts, [policy], calendar, between)
        assert _seen(middle) == _seen(first)
    at = read_order(facts, [policy], calendar, first.next_at)
    events = {s.start for s in facts.segments} | set(facts.arrivals)
    assert _seen(at) != _seen(first) or first.next_at in events
