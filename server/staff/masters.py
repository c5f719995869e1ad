"""Reading field masters' profiles and calendars in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import msgspec

from server.actor import Actor
from server.staff.permissions import Action, Capability, Section
from server.staff.tables import (
    CalendarException,
    Employee,
    EmployeeRole,
    MasterProfile,
    MasterWeekday,
)

FIELD_MASTER_ROLE = "field_technician"
MAX_RANGE_DAYS = 366


class MasterRow(msgspec.Struct, frozen=True):
    """An active field master as the calendar needs them."""

    id: int
    full_name: str
    manufacturers: tuple[str, ...]


class Calendars(msgspec.Struct):
    """Profiles, weekly patterns and exceptions of some masters over some days."""

    profiles: dict[int, dict[str, Any]]
    weekdays: dict[int, dict[int, dict[str, Any]]]
    exceptions: dict[int, list[dict[str, Any]]]


def is_planner(actor: Actor) -> bool:
    """True for those who plan every master's day: dispatch view and all orders."""
    return actor.can(Section.DISPATCH, Action.VIEW) and actor.has(Capability.ALL_ORDERS)


async def field_masters(employee_ids: Iterable[int] | None = None) -> list[MasterRow]:
    """Active holders of the field technician role by name, with their manufacturer
    restriction; one query."""
    query = EmployeeRole.select(
        EmployeeRole.employee.id.as_alias("id"),
        EmployeeRole.employee.full_name.as_alias("full_name"),
        EmployeeRole.employee.manufacturers.as_alias("manufacturers"),
    ).where(
        EmployeeRole.role._.code == FIELD_MASTER_ROLE,
        EmployeeRole.employee._.is_active.eq(True),
    )
    if employee_ids is not None:
        ids = sorted(set(employee_ids))
        if not ids:
            return []
        query = query.where(EmployeeRole.employee.is_in(ids))
    rows = await query.order_by(EmployeeRole.employee.full_name).order_by(EmployeeRole.employee)
    seen: dict[int, MasterRow] = {}
    for row in rows:
        seen.setdefault(
            row["id"], MasterRow(row["id"], row["full_name"], tuple(row["manufacturers"] or ()))
        )
    return list(seen.values())


async def is_field_master(employee_id: int) -> bool:
    """True when the employee is an active field master."""
    return bool(await field_masters([employee_id]))


async def employee_exists(employee_id: int) -> bool:
    """True when an employee with this id exists."""
    return bool(await Employee.exists().where(Employee.id == employee_id))


async def calendars(employee_ids: list[int], first_day: dt.date, last_day: dt.date) -> Calendars:
    """What the calendars of these masters are made of between the days; three queries."""
    if not employee_ids:
        return Calendars({}, {}, {})
    profiles = await MasterProfile.select().where(MasterProfile.employee.is_in(employee_ids))
    weekday_rows = await MasterWeekday.select().where(MasterWeekday.employee.is_in(employee_ids))
    exception_rows = await (
        CalendarException.select()
        .where(
            CalendarException.employee.is_in(employee_ids),
            CalendarException.first_day <= last_day,
            CalendarException.last_day >= first_day,
        )
        .order_by(CalendarException.created_at)
        .order_by(CalendarException.id)
    )
    weekdays: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in weekday_rows:
        weekdays[row["employee"]][row["weekday"]] = row
    exceptions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in exception_rows:
        exceptions[row["employee"]].append(row)
    return Calendars({p["employee"]: p for p in profiles}, dict(weekdays), dict(exceptions))


class Places(msgspec.Struct, frozen=True):
    """Where a master's day starts and ends (the end is the start unless set apart)."""

    start_address: str = ""
    start_lat: float | None = None
    start_lon: float | None = None
    end_address: str = ""
    end_lat: float | None = None
    end_lon: float | None = None


def places(profile: dict[str, Any] | None) -> Places:
    """The start and end places of a profile row (none without a profile)."""
    if profile is None:
        return Places()
    start = (profile["start_address"] or "", profile["start_lat"], profile["start_lon"])
    if profile["end_same_as_start"]:
        return Places(*start, *start)
    return Places(*start, profile["end_address"] or "", profile["end_lat"], profile["end_lon"])
