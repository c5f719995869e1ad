"""master_days: the read API the dispatch domain plans with."""

from __future__ import annotations

import datetime as dt

import pytest

from server.errors import Forbidden, InvalidInput
from server.staff import api as staff
from server.staff.services import load_actor
from server.staff.tables import CalendarException, MasterProfile, MasterWeekday
from tests.querycount import count_queries
from tests.server.builders import make_employee

MONDAY = dt.date(2027, 3, 1)  # a Monday
T = dt.time


async def actor_of(login: str, roles: list[str], **fields: object):  # type: ignore[no-untyped-def]
    employee = await make_employee(login, roles=roles, **fields)
    actor = await load_actor(employee.id)
    assert actor is not None
    return actor


async def test_a_master_without_profile_works_weekdays_by_the_defaults(db: None) -> None:
    planner = await actor_of("disp", ["dispatcher"])
    master = await actor_of("fm", ["field_technician"], full_name="Пётр Мастеров")
    days = await staff.master_days(planner, MONDAY, MONDAY + dt.timedelta(days=6))
    assert [d.works for d in days] == [True] * 5 + [False] * 2
    monday, saturday = days[0], days[5]
    assert monday.employee_id == master.employee_id and monday.full_name == "Пётр Мастеров"
    assert (monday.shift_start, monday.shift_end) == (T(9), T(18))
    assert (monday.lunch_start, monday.lunch_end, monday.lunch_minutes) == (T(13), T(14), 30)
    assert monday.start_lat is None and monday.end_lon is None and monday.max_visits is None
    assert saturday.absence == "weekly_off" and saturday.shift_start is None


async def test_exceptions_override_the_weekly_pattern(db: None) -> None:
    planner = await actor_of("disp", ["dispatcher"])
    master = await actor_of("fm", ["field_technician"], manufacturers=["Bosch"])
    mid = master.employee_id
    await MasterProfile(
        employee=mid,
        shift_start=T(8),
        shift_end=T(17),
        lunch_start=T(12),
        lunch_end=T(13),
        lunch_minutes=45,
        start_address="Склад",
        start_lat=55.7,
        start_lon=37.6,
        device_type_ids=[3],
        max_visits=6,
    ).save()
    for weekday in range(7):
        await MasterWeekday(
            employee=mid,
            weekday=weekday,
            works=weekday != 2,
            shift_start=T(10) if weekday == 5 else None,
        ).save()
    rows = [
        ("vacation", MONDAY, MONDAY + dt.timedelta(days=1), None, None),
        ("sick", MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=1), None, None),
        (
            "changed_hours",
            MONDAY + dt.timedelta(days=2),
            MONDAY + dt.timedelta(days=3),
            T(12, 30),
            T(16),
        ),
    ]
    for kind, first, last, start, end in rows:
        await CalendarException(
            employee=mid,
            kind=kind,
            first_day=first,
            last_day=last,
            shift_start=start,
            shift_end=end,
        ).save()
    days = await staff.master_days(planner, MONDAY, MONDAY + dt.timedelta(days=6), [mid])
    assert [d.absence for d in days] == ["vacation", "sick", None, None, None, None, None]
    wednesday, thursday, friday, saturday = days[2], days[3], days[4], days[5]
    assert wednesday.works and (wednesday.shift_start, wednesday.shift_end) == (T(12, 30), T(16))
    assert wednesday.lunch_start is None and wednesday.lunch_minutes == 0  # 12:30-13:00 < 45 min
    assert thursday.works
    assert (friday.shift_start, friday.lunch_start, friday.lunch_minutes) == (T(8), T(12), 45)
    assert (saturday.shift_start, saturday.shift_end) == (T(10), T(17))
    assert friday.end_address == "Склад" and friday.end_lat == 55.7
    assert friday.device_type_ids == (3,) and friday.manufacturers == ("Bosch",)
    assert friday.max_visits == 6


async def test_a_master_reads_only_own_days_and_receivers_none(db: None) -> None:
    own = await actor_of("fm1", ["field_technician"])
    other = await actor_of("fm2", ["field_technician"])
    receiver = await actor_of("recv", ["receiver"])
    days = await staff.master_days(own, MONDAY, MONDAY)
    assert [d.employee_id for d in days] == [own.employee_id]
    with pytest.raises(Forbidden):
        await staff.master_days(own, MONDAY, MONDAY, [other.employee_id])
    assert await staff.master_days(receiver, MONDAY, MONDAY) == []
    with pytest.raises(Forbidden):
        await staff.master_days(receiver, MONDAY, MONDAY, [own.employee_id])


async def test_unknown_master_ids_are_named(db: None) -> None:
    planner = await actor_of("disp", ["dispatcher"])
    with pytest.raises(InvalidInput) as raised:
        await staff.master_days(planner, MONDAY, MONDAY, [planner.employee_id, 999])
    assert raised.value.field == "master_ids"
    with pytest.raises(InvalidInput) as raised:
        await staff.master_days(planner, MONDAY, MONDAY - dt.timedelta(days=1))
    assert raised.value.field == "last_day"


async def test_query_count_does_not_grow_with_masters_or_days(db: None) -> None:
    planner = await actor_of("disp", ["dispatcher"])
    await actor_of("fm1", ["field_technician"])
    with count_queries() as few:
        one = await staff.master_days(planner, MONDAY, MONDAY)
    for n in range(2, 7):
        master = await actor_of(f"fm{n}", ["field_technician"])
        await MasterProfile(employee=master.employee_id).save()
        await CalendarException(
            employee=master.employee_id, kind="sick", first_day=MONDAY, last_day=MONDAY
        ).save()
    with count_queries() as many:
        month = await staff.master_days(planner, MONDAY, MONDAY + dt.timedelta(days=27))
    assert len(one) == 1 and len(month) == 6 * 28
    assert len(many) == len(few), many.report()
    assert [(d.day, d.full_name) for d in month] == sorted((d.day, d.full_name) for d in month)
