"""The state of an order's clocks, derived from its events alone (no database here).

Nothing about a clock is stored: each reading starts from the order's creation, walks its
status history and its masters' arrivals, and measures business time on today's calendar
with today's policy. A changed calendar or policy therefore changes every reading at once,
and a clock cannot drift from the events it stands for.

- accept runs until the order first leaves the «new» group;
- first visit (field order types) runs until a master is first on site;
- resolution runs while the order is neither ready nor closed, and stops while it is ready
  or closed (an order taken back into work runs on from where it stood);
- every clock stands still in the policy's pause statuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from server.sla import clock
from server.sla.choices import SEVERITY, ClockKind, SlaState, Transition

NEW = "new"
RESOLVED = frozenset({"ready", "closed"})
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Policy:
    """The deadlines of a policy, in business minutes."""

    id: int
    name: str
    order_type_id: int | None
    priority: str
    targets: dict[ClockKind, int]
    warn_percent: int = 80
    escalate_percent: int | None = None
    pause_statuses: frozenset[str] = frozenset()

    def specificity(self) -> int:
        """How closely the policy names an order: type and priority beat type beat priority."""
        return (2 if self.order_type_id is not None else 0) + (1 if self.priority else 0)


@dataclass(frozen=True)
class Segment:
    """A stretch of time in one status; the last one has no end."""

    start: dt.datetime
    end: dt.datetime | None
    code: str
    group: str


@dataclass(frozen=True)
class Facts:
    """An order's events as the clocks read them."""

    order_id: int
    order_type_id: int
    priority: str
    is_field: bool
    created_at: dt.datetime
    segments: tuple[Segment, ...]
    arrivals: tuple[dt.datetime, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One clock of one order at one moment."""

    clock: ClockKind
    state: SlaState
    target: dt.timedelta
    used: dt.timedelta
    due_at: dt.datetime | None  # when the time runs (ran) out; None while paused
    warn_at: dt.datetime | None
    stopped_at: dt.datetime | None
    crossed: tuple[Transition, ...] = ()
    next_at: dt.datetime | None = None  # the next threshold not crossed yet; None: none comes

    @property
    def left(self) -> dt.timedelta:
        """Business time left; negative: late by that much."""
        return self.target - self.used


@dataclass(frozen=True)
class OrderReading:
    """Every clock of an order, and the worst state among them."""

    order_id: int
    policy: Policy | None
    clocks: tuple[Reading, ...] = field(default=())

    @property
    def state(self) -> SlaState | None:
        """The worst state of the clocks (None: no clock runs for this order)."""
        if not self.clocks:
            return None
        return min((c.state for c in self.clocks), key=lambda s: SEVERITY[s])

    next_at: dt.datetime | None = None  # when the reading next changes by itself

    @property
    def next_due(self) -> dt.datetime | None:
        """The nearest deadline of a clock still running."""
        dues = [c.due_at for c in self.clocks if c.stopped_at is None and c.due_at is not None]
        return min(dues, default=None)


def segments(
    created_at: dt.datetime,
    changes: Sequence[tuple[dt.datetime, str, str, str, str]],
    current: tuple[str, str],
) -> tuple[Segment, ...]:
    """Status stretches from (at, old code, old group, new code, new group) changes, oldest
    first, and the current (code, group); a change before creation counts at creation."""
    found: list[Segment] = []
    start = created_at
    first = changes[0] if changes else None
    code, group = (first[1], first[2]) if first else current
    for at, _old_code, _old_group, new_code, new_group in changes:
        at = max(at, start)
        found.append(Segment(start, at, code, group))
        start, code, group = at, new_code, new_group
    found.append(Segment(start, None, *current))
    return tuple(s for s in found if s.end is None or s.end > s.start)


def choose_policy(policies: Sequence[Policy], order_type_id: int, priority: str) -> Policy | None:
    """The most specific policy that names the order's type and priority (or any)."""
    fitting = [
        p
        for p in policies
        if p.order_type_id in (None, order_type_id) and p.priority in ("", priority)
    ]
    return max(fitting, key=lambda p: (p.specificity(), -p.id), default=None)


def _stop(kind: ClockKind, facts: Facts) -> dt.datetime | None:
    if kind is ClockKind.ACCEPT:
        return next((s.start for s in facts.segments if s.group != NEW), None)
    if kind is ClockKind.FIRST_VISIT:
        return min(facts.arrivals, default=None)
    last = facts.segments[-1]
    if last.group not in RESOLVED:
        return None
    stopped = last.start
    for segment in reversed(facts.segments):
        if segment.group not in RESOLVED:
            break
        stopped = segment.start
    return stopped


def _pauses(kind: ClockKind, facts: Facts, policy: Policy) -> list[clock.Pause]:
    paused = [
        (s.start, s.end)
        for s in facts.segments
        if s.code in policy.pause_statuses or (kind is ClockKind.RESOLUTION and s.group in RESOLVED)
    ]
    return clock.merge(paused)


def read_clock(
    kind: ClockKind,
    facts: Facts,
    policy: Policy,
    calendar: clock.Calendar,
    now: dt.datetime,
) -> Reading:
    """One clock of the order at `now`."""
    target = dt.timedelta(minutes=policy.targets[kind])
    stopped = _stop(kind, facts)
    if stopped is not None and stopped > now:
        stopped = None
    end = stopped or now
    pauses = [p for p in _pauses(kind, facts, policy) if p[0] <= end]
    used = clock.between(calendar, facts.created_at, end, pauses)
    paused = stopped is None and any(p[0] <= now and (p[1] is None or p[1] > now) for p in pauses)
    due_at = None if paused else clock.add(calendar, facts.created_at, target, pauses)
    warn = target * policy.warn_percent / 100
    warn_at = None if paused else clock.add(calendar, facts.created_at, warn, pauses)
    crossed = []
    ahead: list[dt.datetime | None] = []  # thresholds still to come, when they come
    if used >= warn:
        crossed.append(Transition.WARNING)
    else:
        ahead.append(warn_at)
    if used >= target:
        crossed.append(Transition.BREACH)
    else:
        ahead.append(due_at)
    if policy.escalate_percent is not None:
        escalate = target * policy.escalate_percent / 100
        if used >= escalate:
            crossed.append(Transition.ESCALATION)
        elif not paused and stopped is None:
            ahead.append(clock.add(calendar, facts.created_at, escalate, pauses))
    if stopped is not None:
        state = SlaState.MET if used <= target else SlaState.BREACHED
    elif used >= target:
        state = SlaState.BREACHED
    elif paused:
        state = SlaState.PAUSED
    elif used >= warn:
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TRACK
    coming = [a for a in ahead if a is not None and a > now] if stopped is None else []
    return Reading(
        kind,
        state,
        target,
        used,
        due_at,
        warn_at,
        stopped,
        tuple(crossed),
        min(coming, default=None),
    )


def _next_event(facts: Facts, now: dt.datetime) -> dt.datetime | None:
    """The first of the order's events after `now` (only a clock set back sees one): a reading
    at that instant differs."""
    later = [s.start for s in facts.segments if s.start > now] + [
        a for a in facts.arrivals if a > now
    ]
    return min(later, default=None)


def read_order(
    facts: Facts,
    policies: Sequence[Policy],
    calendar: clock.Calendar,
    now: dt.datetime,
) -> OrderReading:
    """Every clock the order's policy sets, at `now` (none for a cancelled order)."""
    policy = choose_policy(policies, facts.order_type_id, facts.priority)
    if policy is None or facts.segments[-1].group == CANCELLED:
        return OrderReading(facts.order_id, policy)
    clocks = []
    for kind in ClockKind:
        if policy.targets.get(kind) is None:
            continue
        if kind is ClockKind.FIRST_VISIT and not facts.is_field:
            continue
        clocks.append(read_clock(kind, facts, policy, calendar, now))
    instants = [c.next_at for c in clocks if c.next_at is not None]
    if clocks and (event := _next_event(facts, now)) is not None:
        instants.append(event)
    return OrderReading(facts.order_id, policy, tuple(clocks), min(instants, default=None))
