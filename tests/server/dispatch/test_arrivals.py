"""Today's estimated arrivals follow the phones: from the last status of each master's route,
the rest of it is driven and served in order, and a window that will be missed is flagged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server import clock
from server.dispatch.board import _etas
from server.dispatch.problem import build_day
from server.staff.api import MasterDay

DAY = dt.date(2026, 12, 2)
ZONE = clock.zone()


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=ZONE)


def _master() -> MasterDay:
    return MasterDay(
        employee_id=7, full_name="Мастер", day=DAY, works=True, absence=None,
        shift_start=dt.time(9), shift_end=dt.time(18), lunch_start=None, lunch_end=None,
        lunch_minutes=0, start_address="Дом", start_lat=56.30, start_lon=44.00,
        end_address="Дом", end_lat=56.30, end_lon=44.00, device_type_ids=(), brand_ids=(),
        manufacturers=(), max_visits=None,
    )  # fmt: skip


def _visit(
    visit_id: int, sequence: int, status: str, start: dt.datetime, **more: Any
) -> dict[str, Any]:
    row = {
        "id": visit_id, "order": 100 + visit_id, "master": 7, "day": DAY, "sequence": sequence,
        "status": status, "status_at": None, "planned_start": start, "duration_min": 60,
        "window_start": None, "window_end": None, "latitude": 56.31 + visit_id / 100,
        "longitude": 44.01,
    }  # fmt: skip
    return row | more


def test_the_rest_of_the_route_is_estimated_from_the_phones_last_status() -> None:
    now = _at(12, 0)
    rows = [
        _visit(1, 1, "done", _at(9, 30), status_at=_at(10, 30)),
        # on site since 11:30 with an hour's work: free at 12:30, not at the planned 11:00 end
        _visit(2, 2, "on_site", _at(10, 0), status_at=_at(11, 30)),
        _visit(3, 3, "planned", _at(12, 0), window_start=dt.time(12), window_end=dt.time(13)),
        _visit(4, 4, "planned", _at(15, 0), window_start=dt.time(15), window_end=dt.time(17)),
    ]
    day = build_day(DAY, clock.day_start(DAY), [_master()], [], {})
    found = _etas(day, rows, {7: _master()}, now.astimezone(dt.UTC))
    assert found[1] == (None, False) and found[2] == (None, False), "behind the master already"
    eta3, late3 = found[3]
    assert eta3 is not None and _at(12, 30) < eta3 < _at(12, 45), "after on site and the drive"
    assert not late3
    eta4, late4 = found[4]
    assert eta4 is not None and not late4 and eta4 < _at(15)


def test_a_window_that_will_be_missed_is_at_risk() -> None:
    now = _at(12, 50)
    rows = [
        _visit(1, 1, "on_site", _at(12, 0), status_at=_at(12, 40), duration_min=90),
        _visit(2, 2, "planned", _at(13, 0), window_start=dt.time(13), window_end=dt.time(13, 30)),
        _visit(3, 3, "planned", _at(16, 0)),
    ]
    day = build_day(DAY, clock.day_start(DAY), [_master()], [], {})
    found = _etas(day, rows, {7: _master()}, now.astimezone(dt.UTC))
    eta, late = found[2]
    assert eta is not None and eta > _at(14, 10) and late, "on site until 14:10, window to 13:30"
    eta3, late3 = found[3]
    assert eta3 is not None and not late3, "16:00 is still within an hour of the plan"
