"""Employees and roles: every rule about who may manage whom."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, cast

import msgspec
from piccolo.columns.combination import Or
from piccolo.query.functions.aggregate import Count

from server import refcache
from server.actor import Actor
from server.audit import services as audit
from server.auth import passwords, sessions
from server.errors import Conflict, Forbidden, InvalidInput, NotFound
from server.fieldaccess import clean_field_permissions
from server.i18n import N_, Msg
from server.partners import api as partners
from server.staff import validation as check
from server.staff.permissions import (
    ACTION_LABELS,
    BUILTIN_FIELD_PERMISSIONS,
    BUILTIN_ROLES,
    CAPABILITY_LABELS,
    SECTION_LABELS,
    Action,
    Capability,
    Section,
    all_permissions,
    builtin_permissions,
    effective_permissions,
    parse_capabilities,
    parse_overrides,
    parse_permissions,
)
from server.staff.schemas import (
    EmployeeCreate,
    EmployeeOut,
    EmployeePatch,
    RoleCreate,
    RoleOut,
    RolePatch,
    RoleRef,
)
from server.staff.tables import Employee, EmployeeRole, Role

TAKEN = {
    "login": N_("This login is already taken"),
    "email": N_("This email already belongs to another employee"),
    "code": N_("This code is already taken"),
}
SECRET_FIELDS = frozenset({"password_hash"})
AUDITED_FIELDS = (
    "login",
    "email",
    "full_name",
    "phone",
    "position",
    "is_active",
    "language",
    "manufacturers",
    "ip_allowlist",
    "permission_overrides",
    "password_hash",
    "organization",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@functools.cache
def _role_columns() -> tuple[Any, ...]:
    """An employee's role columns, made once (aliased joined columns are deep copies)."""
    return (
        EmployeeRole.employee,
        EmployeeRole.role.id.as_alias("id"),
        EmployeeRole.role.code.as_alias("code"),
        EmployeeRole.role.name.as_alias("name"),
        EmployeeRole.role.permissions.as_alias("permissions"),
        EmployeeRole.role.field_permissions.as_alias("field_permissions"),
    )


async def roles_of(employee_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Roles of many employees in one query: {employee_id: [role row, ...]}."""
    if not employee_ids:
        return {}
    rows = (
        await EmployeeRole.select(*_role_columns())
        .where(EmployeeRole.employee.is_in(employee_ids))
        .output(load_json=True)
    )
    grouped: dict[int, list[dict[str, Any]]] = {i: [] for i in employee_ids}
    for row in rows:
        grouped[row["employee"]].append(row)
    for roles in grouped.values():
        roles.sort(key=lambda r: r["id"])
    return grouped


def _permissions_of(row: dict[str, Any], roles: list[dict[str, Any]]) -> Any:
    return effective_permissions(
        [r["permissions"] for r in roles],
        row["permission_overrides"] or {},
        [r["code"] for r in roles],
    )


def _field_permissions_of(roles: list[dict[str, Any]]) -> dict[str, str]:
    """The most open field access among the roles: limited only where every role limits it."""
    if not roles:
        return {}
    rank = {"hidden": 0, "read": 1, "write": 2}
    merged: dict[str, str] = {}
    keys = set().union(*(set(r["field_permissions"] or {}) for r in roles))
    for key in keys:
        levels = [(r["field_permissions"] or {}).get(key, "write") for r in roles]
        best = max(levels, key=lambda level: rank.get(level, 2))
        if best != "write":
            merged[key] = best
    return merged


def _capabilities_of(roles: list[dict[str, Any]]) -> frozenset[Capability]:
    if any(r["code"] == "admin" for r in roles):
        return frozenset(Capability)
    return frozenset().union(*(parse_capabilities(r["permissions"]) for r in roles))


def to_out(row: dict[str, Any], roles: list[dict[str, Any]]) -> EmployeeOut:
    """The API form of an employee row."""
    from server.staff.permissions import to_stored

    return EmployeeOut(
        id=row["id"],
        login=row["login"],
        email=row["email"],
        full_name=row["full_name"],
        phone=row["phone"],
        position=row["position"],
        is_active=row["is_active"],
        language=row["language"],
        roles=[RoleRef(id=r["id"], code=r["code"], name=r["name"]) for r in roles],
        manufacturers=list(row["manufacturers"] or []),
        ip_allowlist=list(row["ip_allowlist"] or []),
        organization_id=row.get("organization"),
        permission_overrides=row["permission_overrides"] or {},
        permissions={
            **to_stored(_permissions_of(row, roles)),
            "special": sorted(_capabilities_of(roles)),
        },
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
    )


# The employee and their roles in one statement, written out: it runs on every request, and
# building it through the ORM cost more CPU than the database spent answering it.
_ACTOR = """
SELECT e.id, e.login, e.full_name, e.language, e.manufacturers, e.ip_allowlist,
       e.permission_overrides, e.organization,
       COALESCE((
           SELECT json_agg(json_build_object(
                      'id', r.id, 'code', r.code, 'permissions', r.permissions,
                      'field_permissions', r.field_permissions) ORDER BY r.id)
           FROM employee_role er JOIN role r ON r.id = er.role
           WHERE er.employee = e.id), '[]') AS roles
FROM employee e
WHERE e.id = {} AND e.is_active
"""


async def load_actor(employee_id: int, *, session_id: str = "", ip: str = "") -> Actor | None:
    """The Actor of an active employee, or None: from the reference cache while neither the
    employee nor a role changed (then one query)."""
    actor = await _actor_of(employee_id)
    return None if actor is None else dataclasses.replace(actor, session_id=session_id, ip=ip)


@refcache.reads("employee", "employee_role", "role")
async def _actor_of(employee_id: int) -> Actor | None:
    rows = await Employee.raw(_ACTOR, employee_id)
    if not rows:
        return None
    row = rows[0]
    row["permission_overrides"] = msgspec.json.decode(row["permission_overrides"] or "{}")
    roles: list[dict[str, Any]] = msgspec.json.decode(row["roles"])
    return Actor(
        employee_id=row["id"],
        login=row["login"],
        full_name=row["full_name"],
        language=row["language"],
        role_codes=frozenset(r["code"] for r in roles),
        permissions=_permissions_of(row, roles),
        manufacturers=tuple(row["manufacturers"] or ()),
        ip_allowlist=tuple(row["ip_allowlist"] or ()),
        field_permissions=_field_permissions_of(roles),
        capabilities=_capabilities_of(roles),
        organization_id=row["organization"],
    )


def system_actor() -> Actor:
    """The actor of command-line tools and background jobs: every permission, no employee."""
    return Actor(
        employee_id=0,
        login="system",
        full_name="System",
        language="ru",
        role_codes=frozenset({"admin"}),
        permissions=all_permissions(),
    )


async def find_for_login(login_or_email: str) -> dict[str, Any] | None:
    """The employee row whose login or email is the given one (case-insensitive)."""
    key = login_or_email.strip().lower()
    if not key:
        return None
    return await (
        Employee.select()
        .output(load_json=True)
        .where(Or(Employee.login == key, Employee.email == key))
        .first()
    )


async def ensure_builtin_roles() -> None:
    """Create missing built-in roles; keep the admin role holding every permission."""
    existing = {
        r["code"]: r
        for r in await Role.select(Role.id, Role.code, Role.permissions).output(load_json=True)
    }
    now = _now()
    for code, (name, _spec) in BUILTIN_ROLES.items():
        stored = builtin_permissions(code)
        if code not in existing:
            await Role.insert(
                Role(
                    code=code,
                    name=name,
                    description="",
                    is_builtin=True,
                    permissions=stored,
                    field_permissions=BUILTIN_FIELD_PERMISSIONS.get(code, {}),
                    created_at=now,
                    updated_at=now,
                )
            )
        elif code == "admin" and existing[code]["permissions"] != stored:
            await Role.update({Role.permissions: stored, Role.updated_at: now}).where(
                Role.code == "admin"
            )


async def _organization(org_id: int | None) -> int | None:
    """The id of an existing partner organization (or None: the center's own staff)."""
    if org_id is None:
        return None
    if await partners.organization(org_id) is None:
        raise InvalidInput("No organization with id {id}", field="organization_id", id=org_id)
    return org_id


class StaffService:
    """Employee and role management on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    # ---- employees -------------------------------------------------------------------------

    async def list_employees(
        self, *, q: str = "", include_inactive: bool = True, after_id: int = 0, limit: int = 50
    ) -> tuple[list[EmployeeOut], int | None]:
        """Employees ordered by id, filtered by a search text; keyset-paginated."""
        self.actor.require(Section.STAFF, Action.VIEW)
        query = Employee.select().output(load_json=True).order_by(Employee.id)
        if after_id:
            query = query.where(Employee.id > after_id)
        if not include_inactive:
            query = query.where(Employee.is_active.eq(True))
        if q.strip():
            pattern = f"%{q.strip()}%"
            query = query.where(
                Or(
                    Or(Employee.login.ilike(pattern), Employee.full_name.ilike(pattern)),
                    Or(Employee.email.ilike(pattern), Employee.phone.ilike(pattern)),
                )
            )
        rows = await query.limit(limit + 1)
        page = rows[:limit]
        roles = await roles_of([r["id"] for r in page])
        items = [to_out(r, roles[r["id"]]) for r in page]
        return items, (page[-1]["id"] if len(rows) > limit else None)

    async def get_employee(self, employee_id: int) -> EmployeeOut:
        """One employee; everyone may see themselves, others need staff:view."""
        if employee_id != self.actor.employee_id:
            self.actor.require(Section.STAFF, Action.VIEW)
        row = (
            await Employee.select().output(load_json=True).where(Employee.id == employee_id).first()
        )
        if row is None:
            raise NotFound("No employee with id {id}", id=employee_id)
        return to_out(row, (await roles_of([employee_id]))[employee_id])

    async def create_employee(self, data: EmployeeCreate) -> EmployeeOut:
        """Create an employee with roles; one may only grant what one holds."""
        self.actor.require(Section.STAFF, Action.CREATE)
        login = check.login(data.login)
        values: dict[str, Any] = {
            "login": login,
            "email": check.email(data.email),
            "full_name": check.text(data.full_name, "full_name"),
            "phone": check.phone(data.phone),
            "position": data.position.strip(),
            "language": check.language(data.language),
            "manufacturers": check.manufacturers(data.manufacturers),
            "ip_allowlist": check.cidrs(data.ip_allowlist),
            "permission_overrides": check.overrides(data.permission_overrides),
            "organization": await _organization(data.organization_id),
        }
        passwords.check_policy(data.password, login=login)
        role_rows = await self._assignable_roles(data.role_ids)
        self._check_overrides_grantable(values["permission_overrides"])
        await self._check_unique(values["login"], values["email"], exclude_id=None)
        now = _now()
        async with Employee._meta.db.transaction():
            employee = Employee(
                **values,
                password_hash=passwords.hash_password(data.password),
                is_active=True,
                created_at=now,
                updated_at=now,
                password_changed_at=now,
            )
            await employee.save()
            for role in role_rows:
                await EmployeeRole(employee=employee.id, role=role["id"]).save()
            after = {**values, "is_active": True, "roles": sorted(r["code"] for r in role_rows)}
            await audit.record(self.actor, "employee", employee.id, "create", audit.diff({}, after))
        return await self.get_employee(employee.id)

    async def update_employee(self, employee_id: int, patch: EmployeePatch) -> EmployeeOut:
        """Change an employee; deactivation needs staff:delete and ends their sessions."""
        is_self = employee_id == self.actor.employee_id
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        self_service = {"full_name", "phone", "language", "email"}
        if not (is_self and set(changes) <= self_service):
            self.actor.require(Section.STAFF, Action.EDIT)
        before = (
            await Employee.select().output(load_json=True).where(Employee.id == employee_id).first()
        )
        if before is None:
            raise NotFound("No employee with id {id}", id=employee_id)
        values = self._clean_patch(changes, before)
        if "organization_id" in changes:
            values["organization"] = await _organization(changes["organization_id"])
        if "is_active" in values and values["is_active"] != before["is_active"]:
            self.actor.require(Section.STAFF, Action.DELETE)
            if is_self and not values["is_active"]:
                raise InvalidInput("You cannot deactivate yourself", field="is_active")
        role_rows = None
        if "role_ids" in changes:
            role_rows = await self._assignable_roles(changes["role_ids"])
        if "permission_overrides" in values:
            self._check_overrides_grantable(values["permission_overrides"])
        await self._check_unique(values.get("login"), values.get("email"), exclude_id=employee_id)
        now = _now()
        async with Employee._meta.db.transaction():
            old_roles = (await roles_of([employee_id]))[employee_id]
            if values:
                await Employee.update(cast(dict[Any, Any], {**values, "updated_at": now})).where(
                    Employee.id == employee_id
                )
            if role_rows is not None:
                await EmployeeRole.delete().where(EmployeeRole.employee == employee_id)
                for role in role_rows:
                    await EmployeeRole(employee=employee_id, role=role["id"]).save()
            await self._ensure_an_admin_remains()
            diff_before = {k: before[k] for k in values}
            diff_after = dict(values)
            if role_rows is not None:
                diff_before["roles"] = sorted(r["code"] for r in old_roles)
                diff_after["roles"] = sorted(r["code"] for r in role_rows)
            delta = audit.diff(diff_before, diff_after, SECRET_FIELDS)
            if delta:
                action = "update"
                if "is_active" in delta:
                    action = "deactivate" if not values["is_active"] else "activate"
                await audit.record(self.actor, "employee", employee_id, action, delta)
            if values.get("is_active") is False:
                await sessions.revoke_all(employee_id, reason="deactivated")
            elif "password_hash" in values:
                await sessions.revoke_all(employee_id, reason="password_reset")
        return await self.get_employee(employee_id)

    def _clean_patch(self, changes: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        cleaners: dict[str, Callable[[Any], Any]] = {
            "login": check.login,
            "email": check.email,
            "full_name": lambda v: check.text(v, "full_name"),
            "phone": check.phone,
            "position": str.strip,
            "language": check.language,
            "manufacturers": check.manufacturers,
            "ip_allowlist": check.cidrs,
            "permission_overrides": check.overrides,
            "is_active": bool,
        }
        for key, clean in cleaners.items():
            if key in changes:
                values[key] = clean(changes[key])
        if "password" in changes:
            passwords.check_policy(changes["password"], login=values.get("login", before["login"]))
            values["password_hash"] = passwords.hash_password(changes["password"])
            values["password_changed_at"] = _now()
        return values

    async def _assignable_roles(self, role_ids: list[int]) -> list[dict[str, Any]]:
        unique_ids = sorted(set(role_ids))
        rows = (
            await Role.select().output(load_json=True).where(Role.id.is_in(unique_ids))
            if unique_ids
            else []
        )
        missing = set(unique_ids) - {r["id"] for r in rows}
        if missing:
            raise InvalidInput("No role with id {id}", field="role_ids", id=min(missing))
        if self.actor.is_admin:
            return rows
        for role in rows:
            beyond = parse_permissions(role["permissions"]) - self.actor.permissions
            beyond_caps = parse_capabilities(role["permissions"]) - self.actor.capabilities
            if role["code"] == "admin" or beyond or beyond_caps:
                raise Forbidden(
                    "You cannot give the role «{name}»: it holds permissions you do not have",
                    field="role_ids",
                    name=role["name"],
                )
        return rows

    def _check_overrides_grantable(self, overrides: dict[str, dict[str, bool]]) -> None:
        if self.actor.is_admin:
            return
        for (section, action), allow in parse_overrides(overrides).items():
            if allow and not self.actor.can(section, action):
                raise Forbidden(
                    "You cannot grant a permission you do not have: {section} — {action}",
                    field="permission_overrides",
                    section=Msg(SECTION_LABELS[section]),
                    action=Msg(ACTION_LABELS[action]),
                )

    async def _check_unique(
        self, login: str | None, email: str | None, exclude_id: int | None
    ) -> None:
        for field, value in (("login", login), ("email", email)):
            if not value:
                continue
            column = Employee.login if field == "login" else Employee.email
            query = Employee.exists().where(column == value)
            if exclude_id:
                query = query.where(Employee.id != exclude_id)
            if await query:
                message = TAKEN[field]
                raise Conflict(message, field=field)

    async def _ensure_an_admin_remains(self) -> None:
        count = await EmployeeRole.count().where(
            EmployeeRole.role._.code == "admin", EmployeeRole.employee._.is_active.eq(True)
        )
        if count == 0:
            raise InvalidInput("At least one active administrator must remain", field="role_ids")

    # ---- roles -----------------------------------------------------------------------------

    async def list_roles(self) -> list[RoleOut]:
        """All roles, built-in first."""
        self.actor.require(Section.STAFF, Action.VIEW)
        rows = (
            await Role.select()
            .output(load_json=True)
            .order_by(Role.is_builtin, ascending=False)
            .order_by(Role.id)
        )
        counts = await self._role_counts()
        return [self._role_out(r, counts.get(r["id"], 0)) for r in rows]

    async def get_role(self, role_id: int) -> RoleOut:
        """One role."""
        self.actor.require(Section.STAFF, Action.VIEW)
        row = await Role.select().output(load_json=True).where(Role.id == role_id).first()
        if row is None:
            raise NotFound("No role with id {id}", id=role_id)
        return self._role_out(row, (await self._role_counts()).get(role_id, 0))

    async def create_role(self, data: RoleCreate) -> RoleOut:
        """A custom role; its permissions must be ones the actor holds."""
        self.actor.require(Section.STAFF, Action.CREATE)
        name = check.text(data.name, "name")
        permissions = self._grantable(check.permissions(data.permissions))
        field_levels = clean_field_permissions(data.field_permissions)
        code = check.role_code(data.code) if data.code else await self._free_code(name)
        if await Role.exists().where(Role.code == code):
            raise Conflict(TAKEN["code"], field="code")
        now = _now()
        async with Role._meta.db.transaction():
            role = Role(
                code=code,
                name=name,
                description=data.description.strip(),
                is_builtin=False,
                permissions=permissions,
                field_permissions=field_levels,
                created_at=now,
                updated_at=now,
            )
            await role.save()
            after = {"code": code, "name": name, "permissions": permissions}
            await audit.record(self.actor, "role", role.id, "create", audit.diff({}, after))
        return await self.get_role(role.id)

    async def update_role(self, role_id: int, patch: RolePatch) -> RoleOut:
        """Rename or re-permission a role; the admin role stays all-powerful."""
        self.actor.require(Section.STAFF, Action.EDIT)
        before = await Role.select().output(load_json=True).where(Role.id == role_id).first()
        if before is None:
            raise NotFound("No role with id {id}", id=role_id)
        values: dict[str, Any] = {}
        if patch.name is not msgspec.UNSET:
            values["name"] = check.text(patch.name, "name")
        if patch.description is not msgspec.UNSET:
            values["description"] = patch.description.strip()
        if patch.permissions is not msgspec.UNSET:
            if before["code"] == "admin":
                raise InvalidInput(
                    "The administrator role always holds every permission", field="permissions"
                )
            values["permissions"] = self._grantable(check.permissions(patch.permissions))
        if patch.field_permissions is not msgspec.UNSET:
            if before["code"] == "admin":
                raise InvalidInput(
                    "The administrator role always holds every permission",
                    field="field_permissions",
                )
            values["field_permissions"] = clean_field_permissions(patch.field_permissions)
        async with Role._meta.db.transaction():
            if values:
                await Role.update(cast(dict[Any, Any], {**values, "updated_at": _now()})).where(
                    Role.id == role_id
                )
            delta = audit.diff({k: before[k] for k in values}, values)
            if delta:
                await audit.record(self.actor, "role", role_id, "update", delta)
        return await self.get_role(role_id)

    async def delete_role(self, role_id: int) -> None:
        """Delete a custom role nobody holds."""
        self.actor.require(Section.STAFF, Action.DELETE)
        row = await Role.select().output(load_json=True).where(Role.id == role_id).first()
        if row is None:
            raise NotFound("No role with id {id}", id=role_id)
        if row["is_builtin"]:
            raise InvalidInput("A built-in role cannot be deleted")
        if await EmployeeRole.exists().where(EmployeeRole.role == role_id):
            raise Conflict("The role is given to employees; take it from them first")
        async with Role._meta.db.transaction():
            await Role.delete().where(Role.id == role_id)
            await audit.record(self.actor, "role", role_id, "delete", {"name": [row["name"], None]})

    def _grantable(self, permissions: dict[str, list[str]]) -> dict[str, list[str]]:
        beyond_caps = parse_capabilities(permissions) - self.actor.capabilities
        if beyond_caps and not self.actor.is_admin:
            raise Forbidden(
                "You cannot grant a permission you do not have: {section} — {action}",
                field="permissions",
                section=Msg(SECTION_LABELS[Section.ORDERS]),
                action=Msg(CAPABILITY_LABELS[sorted(beyond_caps)[0]]),
            )
        beyond = parse_permissions(permissions) - self.actor.permissions
        if beyond and not self.actor.is_admin:
            section, action = sorted(beyond)[0]
            raise Forbidden(
                "You cannot grant a permission you do not have: {section} — {action}",
                field="permissions",
                section=Msg(SECTION_LABELS[section]),
                action=Msg(ACTION_LABELS[action]),
            )
        return permissions

    async def _free_code(self, name: str) -> str:
        base = "custom"
        taken = {r["code"] for r in await Role.select(Role.code)}
        index = 1
        while f"{base}_{index}" in taken:
            index += 1
        return f"{base}_{index}"

    async def _role_counts(self) -> dict[int, int]:
        rows = await EmployeeRole.select(EmployeeRole.role, Count()).group_by(EmployeeRole.role)
        return {r["role"]: r["count"] for r in rows}

    @staticmethod
    def _role_out(row: dict[str, Any], count: int) -> RoleOut:
        return RoleOut(
            id=row["id"],
            code=row["code"],
            name=row["name"],
            description=row["description"],
            is_builtin=row["is_builtin"],
            permissions=row["permissions"] or {},
            field_permissions=row["field_permissions"] or {},
            employee_count=count,
        )
