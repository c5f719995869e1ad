"""A board warning that states a count says it in the count's plural form."""

from __future__ import annotations

import datetime as dt

import pytest

from server.dispatch.problem import Work
from server.dispatch.warnings import Placed, _warn
from server.i18n import current_language


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 выезд "), (2, "2 выезда "), (5, "5 выездов "), (21, "21 выезд ")]
)
def test_the_capacity_warning_counts_visits_in_russian(count: int, said: str) -> None:
    work = Work(key="o1", order_id=1, visit_id=None, address="", lat=None, lon=None, duration=60)
    placed = Placed(work=work, master_id=7, start=dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC))
    token = current_language.set("ru")
    try:
        warning = _warn("capacity", placed, master="Орлов", count=count)
    finally:
        current_language.reset(token)
    assert warning.text == f"У мастера Орлов уже {said}— больше в день нельзя"
