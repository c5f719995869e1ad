"""What other domains read of staff: names of employees, roles, field masters and their days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec

from server import refcache
from server.actor import Actor
from server.errors import Forbidden, InvalidInput
from server.staff import masters
from server.staff.calendar import days_between, resolve_day
from server.staff.permissions import BUILTIN_ROLES, Capability, parse_capabilities
from server.staff.tables import Employee, EmployeeRole, Role


class EmployeeName(msgspec.Struct, frozen=True):
    """An employee as other records show them."""

    id: int
    full_name: str


async def names(employee_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{id: full name} of the given employees (all of them when None), from the reference
    cache (no query while no employee changed)."""
    every = {e.id: e.full_name for e, _ in await _employees()}
    if employee_ids is None:
        return every
    return {i: every[i] for i in set(employee_ids) if i in every}


@refcache.reads("employee")
async def _employees() -> tuple[tuple[EmployeeName, bool], ...]:
    """Every employee by name, and whether they are active (one read for names and choices)."""
    rows = await Employee.select(Employee.id, Employee.full_name, Employee.is_active).order_by(
        Employee.full_name
    )
    return tuple((EmployeeName(r["id"], r["full_name"]), bool(r["is_active"])) for r in rows)


class EmployeeContact(msgspec.Struct, frozen=True):
    """Where and in which language an employee is told things."""

    id: int
    full_name: str
    email: str
    phone: str
    language: str


async def contacts(employee_ids: Iterable[int]) -> dict[int, EmployeeContact]:
    """{id: contact} of the given employees that are active, in one query."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    rows = await Employee.select(
        Employee.id, Employee.full_name, Employee.email, Employee.phone, Employee.language
    ).where(Employee.id.is_in(ids), Employee.is_active.eq(True))
    return {
        r["id"]: EmployeeContact(
            r["id"], r["full_name"], r["email"] or "", r["phone"] or "", r["language"] or "ru"
        )
        for r in rows
    }


async def active_employees() -> list[EmployeeName]:
    """Active employees by name (for choosing an assignee)."""
    return [e for e, active in await _employees() if active]


# Roles whose holders repair: at the bench or in the field.
TECHNICIAN_ROLES = ("technician", "field_technician")

# Active employees holding a technician role or a field master's profile, and those kept.
TECHNICIANS_SQL = """
SELECT e.id, e.full_name FROM employee e
WHERE e.id = ANY({}::int[]) OR (e.is_active AND (
    EXISTS (SELECT 1 FROM employee_role er JOIN role r ON r.id = er.role
            WHERE er.employee = e.id AND r.code = ANY({}::varchar[]))
    OR EXISTS (SELECT 1 FROM master_profile m WHERE m.employee = e.id)))
ORDER BY e.full_name, e.id
"""


async def technicians(keep: Iterable[int | None] = ()) -> list[EmployeeName]:
    """Who can be an order's technician, by name: active holders of a technician role or of a
    field master's profile (not receivers, dispatchers, managers or dealers); the `keep` ids
    (an order's current technician) are listed whatever they are. One query."""
    return list(await _technicians(tuple(sorted({i for i in keep if isinstance(i, int)}))))


@refcache.reads("employee", "employee_role", "role", "master_profile")
async def _technicians(kept: tuple[int, ...]) -> tuple[EmployeeName, ...]:
    rows = await Employee.raw(TECHNICIANS_SQL, list(kept), list(TECHNICIAN_ROLES))
    return tuple(EmployeeName(r["id"], r["full_name"]) for r in rows)


class Assignee(msgspec.Struct, frozen=True):
    """An employee as automatic assignment weighs them: active, restricted to manufacturers."""

    id: int
    full_name: str
    is_active: bool
    manufacturers: tuple[str, ...]  # brand names this employee is restricted to (empty: all)
    organization_id: int | None


async def assignees(employee_ids: Iterable[int]) -> dict[int, Assignee]:
    """{id: assignee} of the given employees that exist (inactive ones too), in one query."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    rows = await Employee.select(
        Employee.id,
        Employee.full_name,
        Employee.is_active,
        Employee.manufacturers,
        Employee.organization,
    ).where(Employee.id.is_in(ids))
    return {
        r["id"]: Assignee(
            r["id"],
            r["full_name"],
            bool(r["is_active"]),
            tuple(r["manufacturers"] or ()),
            r["organization"],
        )
        for r in rows
    }


async def holders_of_role(code: str) -> list[EmployeeName]:
    """Active employees holding the role, by name."""
    rows = await (
        EmployeeRole.select(
            EmployeeRole.employee.id.as_alias("id"),
            EmployeeRole.employee.full_name.as_alias("full_name"),
        )
        .where(EmployeeRole.role._.code == code, EmployeeRole.employee._.is_active.eq(True))
        .order_by(EmployeeRole.employee.full_name)
    )
    seen: dict[int, EmployeeName] = {}
    for row in rows:
        seen.setdefault(row["id"], EmployeeName(row["id"], row["full_name"]))
    return list(seen.values())


async def role_codes() -> list[str]:
    """Codes of every role, built-in ones first as created."""
    rows = await Role.select(Role.code).order_by(Role.id)
    return [r["code"] for r in rows]


async def role_names() -> dict[str, str]:
    """{code: name} of every role, built-in ones first as created (names are message ids)."""
    return dict(await _role_names())


@refcache.reads("role")
async def _role_names() -> dict[str, str]:
    rows = await Role.select(Role.code, Role.name).order_by(Role.id)
    return {r["code"]: r["name"] for r in rows}


async def known_role_codes() -> set[str]:
    """Codes of the stored roles and the built-in ones."""
    return set(await role_codes()) | set(BUILTIN_ROLES)


async def roles_with(capabilities: Iterable[Capability]) -> set[str]:
    """Codes of the roles granting any of the capabilities (admin always)."""
    wanted = set(capabilities)
    rows = await Role.select(Role.code, Role.permissions).output(load_json=True)
    return {
        r["code"]
        for r in rows
        if r["code"] == "admin" or wanted & parse_capabilities(r["permissions"] or {})
    }


async def any_employee() -> bool:
    """True once an employee exists."""
    return bool(await Employee.exists())


async def login_exists(login: str) -> bool:
    """True when an employee has this login."""
    return bool(await Employee.exists().where(Employee.login == login))


async def role_id(code: str) -> int | None:
    """The id of the role with this code."""
    row = await Role.select(Role.id).where(Role.code == code).first()
    return int(row["id"]) if row else None


async def password_hash_of(employee_id: int) -> str | None:
    """The stored password hash of an employee (for the auth domain's checks)."""
    row = await Employee.select(Employee.password_hash).where(Employee.id == employee_id).first()
    return str(row["password_hash"]) if row else None


async def record_login(employee_id: int, new_hash: str | None = None) -> None:
    """Stamp the login time; store a renewed hash of the same password when given."""
    values: dict[Any, Any] = {Employee.last_login_at: _now()}
    if new_hash is not None:
        values[Employee.password_hash] = new_hash
    await Employee.update(values).where(Employee.id == employee_id)


async def set_password_hash(employee_id: int, password_hash: str) -> None:
    """Store a new password hash and when it changed."""
    now = _now()
    await Employee.update(
        {
            Employee.password_hash: password_hash,
            Employee.password_changed_at: now,
            Employee.updated_at: now,
        }
    ).where(Employee.id == employee_id)


async def set_language(employee_id: int, language: str) -> None:
    """Remember an employee's UI language (already checked)."""
    await Employee.update({Employee.language: language}).where(Employee.id == employee_id)


class MasterDay(msgspec.Struct, frozen=True):
    """One field master's one day, as the scheduler plans it."""

    employee_id: int
    full_name: str
    day: dt.date
    works: bool  # False on a day off, vacation, sick day, or weekly day off
    absence: str | None  # "weekly_off" | "day_off" | "vacation" | "sick" | None
    shift_start: dt.time | None  # None when not working
    shift_end: dt.time | None
    lunch_start: dt.time | None  # the window lunch must be taken in; None = no lunch
    lunch_end: dt.time | None
    lunch_minutes: int
    start_address: str
    start_lat: float | None
    start_lon: float | None
    end_address: str
    end_lat: float | None
    end_lon: float | None
    device_type_ids: tuple[int, ...]  # empty: any device type
    brand_ids: tuple[int, ...]  # empty: any brand
    manufacturers: tuple[str, ...]  # Employee.manufacturers (brand names; empty: all)
    max_visits: int | None


async def master_days(
    actor: Actor,
    first_day: dt.date,
    last_day: dt.date,
    master_ids: Iterable[int] | None = None,
) -> list[MasterDay]:
    """Every active field master's days from first_day to last_day, by (day, full name).

    Planners (dispatch view and the all-orders capability) read any master; anyone else reads
    only their own days (none when they are not a field master). `master_ids` narrows the
    masters; an id that is not an active field master is an error naming `master_ids`. A master
    without a profile works by `server.staff.calendar.DEFAULTS`. Four queries, whatever the
    number of masters and days.
    """
    _check_range(first_day, last_day)
    planner = masters.is_planner(actor)
    wanted = None if master_ids is None else _ids(master_ids)
    if wanted is not None and not planner and wanted - {actor.employee_id}:
        raise Forbidden("You may read only your own calendar", field="master_ids")
    if wanted is None and not planner:
        wanted = {actor.employee_id}
    found = await masters.field_masters(wanted)
    if master_ids is not None and wanted is not None:
        unknown = wanted - {m.id for m in found}
        if unknown:
            raise InvalidInput(
                "Not a field master: {ids}",
                field="master_ids",
                ids=", ".join(str(i) for i in sorted(unknown)),
            )
    return await _days(found, first_day, last_day)


async def own_days(actor: Actor, first_day: dt.date, last_day: dt.date) -> list[MasterDay]:
    """The actor's own days, as master_days gives them; none unless they are an active field
    master (the field app's "my schedule")."""
    _check_range(first_day, last_day)
    return list(await _own_days(actor.employee_id, first_day, last_day))


# A phone asks for its master's days at every pull: they change when the master's profile,
# week, exceptions or roles do.
@refcache.reads(
    "employee", "employee_role", "role", "master_profile", "master_weekday", "calendar_exception"
)
async def _own_days(
    employee_id: int, first_day: dt.date, last_day: dt.date
) -> tuple[MasterDay, ...]:
    found = await masters.field_masters([employee_id])
    return tuple(await _days(found, first_day, last_day))


def _check_range(first_day: dt.date, last_day: dt.date) -> None:
    if last_day < first_day:
        raise InvalidInput("The last day must not be before the first day", field="last_day")
    if (last_day - first_day).days >= masters.MAX_RANGE_DAYS:
        raise InvalidInput("At most {n} days at a time", field="last_day", n=masters.MAX_RANGE_DAYS)


async def _days(
    found: list[masters.MasterRow], first_day: dt.date, last_day: dt.date
) -> list[MasterDay]:
    stored = await masters.calendars([m.id for m in found], first_day, last_day)
    days = days_between(first_day, last_day)
    return [_master_day(master, day, stored) for day in days for master in found]


def _ids(master_ids: Iterable[int]) -> set[int]:
    ids: set[int] = set()
    for value in master_ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput("Master ids must be whole numbers", field="master_ids")
        ids.add(value)
    return ids


def _master_day(master: masters.MasterRow, day: dt.date, stored: masters.Calendars) -> MasterDay:
    profile = stored.profiles.get(master.id)
    plan = resolve_day(
        day, profile, stored.weekdays.get(master.id, {}), stored.exceptions.get(master.id, ())
    )
    place = masters.places(profile)
    return MasterDay(
        employee_id=master.id,
        full_name=master.full_name,
        day=day,
        works=plan.works,
        absence=plan.absence,
        shift_start=plan.shift_start,
        shift_end=plan.shift_end,
        lunch_start=plan.lunch_start,
        lunch_end=plan.lunch_end,
        lunch_minutes=plan.lunch_minutes,
        start_address=place.start_address,
        start_lat=place.start_lat,
        start_lon=place.start_lon,
        end_address=place.end_address,
        end_lat=place.end_lat,
        end_lon=place.end_lon,
        device_type_ids=tuple(profile["device_type_ids"] or ()) if profile else (),
        brand_ids=tuple(profile["brand_ids"] or ()) if profile else (),
        manufacturers=master.manufacturers,
        max_visits=profile["max_visits"] if profile else None,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def employees_with_roles() -> list[tuple[int, str, tuple[str, ...]]]:
    """(id, name, role codes) of every active employee, by name (one query)."""
    rows = await EmployeeRole.select(
        EmployeeRole.employee.id.as_alias("id"),
        EmployeeRole.employee.full_name.as_alias("full_name"),
        EmployeeRole.role._.code.as_alias("code"),
    ).where(EmployeeRole.employee._.is_active.eq(True))
    found: dict[int, tuple[str, list[str]]] = {}
    for row in rows:
        found.setdefault(row["id"], (row["full_name"], []))[1].append(row["code"])
    return sorted(
        ((i, name, tuple(sorted(codes))) for i, (name, codes) in found.items()),
        key=lambda e: (e[1], e[0]),
    )
