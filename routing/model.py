"""Problem and plan structures of the field-master scheduler.

All times are integer minutes from the origin of the planning horizon (for example Monday
00:00 in the center's time zone); the caller converts datetimes. Distances are metres.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import msgspec


class Priority(IntEnum):
    """How much a visit matters: urgent visits are dropped last and are late least."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


class VisitState(StrEnum):
    """Where a visit stands when (re-)planning; done and in-progress visits do not move."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Balance(StrEnum):
    """Workload policy: plain cost, spread work across masters, or use as few as possible."""

    NONE = "none"
    SPREAD = "spread"
    FEWEST = "fewest"


class Metric(StrEnum):
    """What travel costs: driving minutes (the field default) or distance (km, e.g. Solomon)."""

    TIME = "time"
    DISTANCE = "distance"


class Start(StrEnum):
    """How the first plan is built: VROOM's heuristics (when pyvroom is installed) or OR-Tools'."""

    AUTO = "auto"
    VROOM = "vroom"
    INSERTION = "insertion"


class Reason(StrEnum):
    """Why a visit was left unassigned."""

    NO_SKILL = "no_skill"
    OVER_CAPACITY = "over_capacity"
    PINNED_MASTER_CANNOT = "pinned_master_cannot"
    NO_WINDOW_FITS_SHIFT = "no_window_fits_shift"
    DAY_CAPACITY_EXHAUSTED = "day_capacity_exhausted"
    FIXED_TIME_UNREACHABLE = "fixed_time_unreachable"
    MOVE_LIMIT = "move_limit"
    NO_ROOM = "no_room"


class Location(msgspec.Struct, frozen=True):
    """A point in WGS84 degrees."""

    lat: float
    lon: float


class TimeWindow(msgspec.Struct, frozen=True):
    """A closed interval [start, end] of minutes; for a visit it bounds the service start."""

    start: int
    end: int


class Break(msgspec.Struct, frozen=True):
    """A break of `duration` minutes taken entirely inside `window` (e.g. lunch)."""

    window: TimeWindow
    duration: int


class Shift(msgspec.Struct, frozen=True):
    """One working day of a master: leave the start location and be back by `end`."""

    start: int
    end: int
    breaks: tuple[Break, ...] = ()


class Master(msgspec.Struct, frozen=True):
    """A field master (выездной мастер) with shifts, skills and costs.

    `capacity` is an optional load limit per shift (the sum of its visits' `load`)."""

    id: str
    start_location: Location
    shifts: tuple[Shift, ...]
    end_location: Location | None = None
    skills: frozenset[str] = frozenset()
    max_visits_per_day: int | None = None
    cost_per_hour: float = 0.0
    cost_per_km: float = 0.0
    capacity: int | None = None


class Visit(msgspec.Struct, frozen=True):
    """A field trip (выезд) to a client address.

    `windows` bound the start of service (empty: any time in a shift); `deadline` is the soft
    SLA end of service. `master_id` pins the visit to a master and `fixed_start` to a time;
    in-progress and done visits need both. `previous_master_id` is the master of the plan
    being re-planned, used to limit reshuffling. `load` counts against a master's capacity.
    """

    id: str
    location: Location
    duration: int
    windows: tuple[TimeWindow, ...] = ()
    skills: frozenset[str] = frozenset()
    priority: Priority = Priority.NORMAL
    deadline: int | None = None
    master_id: str | None = None
    fixed_start: int | None = None
    state: VisitState = VisitState.OPEN
    previous_master_id: str | None = None
    load: int = 0


class Problem(msgspec.Struct, frozen=True):
    """Masters and visits to plan; `skills` is the catalogue of known skills (None: unchecked)."""

    masters: tuple[Master, ...]
    visits: tuple[Visit, ...]
    skills: frozenset[str] | None = None


class Options(msgspec.Struct, frozen=True):
    """Solver settings. `now` forbids starting open visits earlier; `max_moved` caps how many
    previously assigned visits may change master; `solution_limit` makes runs reproducible.
    `metric` chooses what travel costs; `start` how the first plan is built (AUTO: VROOM when
    pyvroom is installed, unless a move limit or a solution limit is set; else OR-Tools').
    `patience` ends the search once its best plan has not improved for that share of the time
    limit (None: always search for the whole limit; ignored under a solution limit).
    `processes`: 2 runs ruin and recreate after VROOM's plan in a second, forked process with
    another seed beside this one and keeps the better plan (both cores); 1 keeps to this one."""

    time_limit_s: float = 5.0
    balance: Balance = Balance.NONE
    now: int | None = None
    max_moved: int | None = None
    move_penalty: float = 0.0
    solution_limit: int | None = None
    metric: Metric = Metric.TIME
    start: Start = Start.AUTO
    patience: float | None = 0.3
    processes: int = 2


class Stop(msgspec.Struct, frozen=True):
    """A visit in a route: arrival, service start and end, the leg that led here."""

    visit_id: str
    arrival: int
    start: int
    end: int
    travel_minutes: int
    travel_meters: int
    late_minutes: int = 0


class BreakTaken(msgspec.Struct, frozen=True):
    """A break placed in a route."""

    start: int
    end: int


class Route(msgspec.Struct, frozen=True):
    """One master's day: departure, stops in order, breaks, return and totals."""

    master_id: str
    shift_index: int
    start: int
    end: int
    stops: tuple[Stop, ...]
    breaks: tuple[BreakTaken, ...]
    return_minutes: int
    return_meters: int
    travel_minutes: int
    travel_meters: int


class Unassigned(msgspec.Struct, frozen=True):
    """A visit the plan leaves out, with the reason a dispatcher can act on."""

    visit_id: str
    reason: Reason
    detail: str


class Objective(msgspec.Struct, frozen=True):
    """The objective in points (1 point = 1 minute of driving) broken down by source."""

    total: float
    travel: float
    lateness: float
    unassigned: float
    other: float


class Plan(msgspec.Struct, frozen=True):
    """The result of a solve: routes of busy master-days and the visits left out."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    objective: Objective
    status: str
    wall_s: float
