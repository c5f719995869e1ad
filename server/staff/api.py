"""What other domains read of staff: names of employees, roles, field masters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec

from server.staff.permissions import BUILTIN_ROLES, Capability, parse_capabilities
from server.staff.tables import Employee, EmployeeRole, Role


class EmployeeName(msgspec.Struct, frozen=True):
    """An employee as other records show them."""

    id: int
    full_name: str


async def names(employee_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{id: full name} of the given employees (all of them when None), in one query."""
    query = Employee.select(Employee.id, Employee.full_name)
    if employee_ids is not None:
        ids = sorted(set(employee_ids))
        if not ids:
            return {}
        query = query.where(Employee.id.is_in(ids))
    return {r["id"]: r["full_name"] for r in await query}


async def active_employees() -> list[EmployeeName]:
    """Active employees by name (for choosing an assignee)."""
    rows = await (
        Employee.select(Employee.id, Employee.full_name)
        .where(Employee.is_active.eq(True))
        .order_by(Employee.full_name)
    )
    return [EmployeeName(r["id"], r["full_name"]) for r in rows]


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
