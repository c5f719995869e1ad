"""Staff pages: employees and roles, for phones (cards) and desktops (tables)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.auth import services as auth
from server.errors import DomainError
from server.fieldaccess import ENTITY_LABELS, FIELD_CATALOGUE
from server.guards import CurrentActor
from server.params import Flag, RecordId, Search
from server.partners import api as partners
from server.staff import master_pages
from server.staff.permissions import (
    ACTION_LABELS,
    CAPABILITY_LABELS,
    SECTION_LABELS,
    Action,
    Section,
)
from server.staff.schemas import EmployeeCreate, EmployeePatch, RoleCreate, RolePatch
from server.staff.services import StaffService
from server.web.forms import FormError, convert, errors_of, lines, read_form
from server.web.templating import page_context

MATRIX = {
    "sections": SECTION_LABELS,
    "actions": ACTION_LABELS,
    "capabilities": CAPABILITY_LABELS,
    "fields": FIELD_CATALOGUE,
    "entities": ENTITY_LABELS,
}


def _field_levels_from(form: dict[str, Any]) -> dict[str, str]:
    """field:<entity>.<name> selects (— / read / hidden) into {entity.name: level}."""
    return {
        key.removeprefix("field:"): str(value)
        for key, value in form.items()
        if key.startswith("field:") and value in ("read", "hidden")
    }


def _checked(form: dict[str, Any], key: str) -> list[str]:
    value = form.get(key, [])
    return value if isinstance(value, list) else [value]


def _permissions_from(form: dict[str, Any]) -> dict[str, list[str]]:
    """perm=section:action checkboxes into {section: [actions]}."""
    result: dict[str, list[str]] = {}
    for item in _checked(form, "perm"):
        section, _, action = str(item).partition(":")
        result.setdefault(section, []).append(action)
    result["special"] = [str(c) for c in _checked(form, "cap")]
    return result


def _overrides_from(form: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """override:section:action selects (inherit / allow / deny) into {section: {action: bool}}."""
    result: dict[str, dict[str, bool]] = {}
    for section in Section:
        for action in Action:
            choice = form.get(f"override:{section.value}:{action.value}", "")
            if choice in ("allow", "deny"):
                result.setdefault(section.value, {})[action.value] = choice == "allow"
    return result


def _employee_form(form: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "login": form.get("login", ""),
        "full_name": form.get("full_name", ""),
        "email": form.get("email", "") or None,
        "phone": form.get("phone", ""),
        "position": form.get("position", ""),
        "language": form.get("language", "ru"),
        "role_ids": [int(i) for i in _checked(form, "role_ids") if str(i).isdigit()],
        "manufacturers": lines(str(form.get("manufacturers", ""))),
        "ip_allowlist": lines(str(form.get("ip_allowlist", ""))),
        "permission_overrides": _overrides_from(form),
    }
    org = str(form.get("organization_id", ""))
    data["organization_id"] = int(org) if org.isdigit() and len(org) < 10 else None
    password = str(form.get("password", ""))
    if creating or password:
        data["password"] = password
    return data


async def _employee_page(
    staff: StaffService,
    employee_id: int | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    notice: str | None = None,
) -> Template:
    roles = await staff.list_roles()
    sessions = []
    employee = None
    if employee_id:
        employee = await staff.get_employee(employee_id)
        if staff.actor.can(Section.STAFF, Action.EDIT):
            sessions = await auth.list_sessions(staff.actor, employee_id)
    context = page_context(
        staff.actor,
        employee=employee,
        values=values,
        errors=errors,
        roles=roles,
        sessions=sessions,
        matrix=MATRIX,
        organizations=await partners.organizations(active_only=False),
        notice=notice,
        can_edit=staff.actor.can(Section.STAFF, Action.EDIT),
        can_deactivate=staff.actor.can(Section.STAFF, Action.DELETE),
    )
    return Template("staff/employee_form.html", context=context, status_code=status_code)


def _values_of(employee: Any) -> dict[str, Any]:
    data = msgspec.structs.asdict(employee)
    data["role_ids"] = [r.id for r in employee.roles]
    return data


@get("/staff/employees", include_in_schema=False)
async def employees_page(actor: CurrentActor, q: Search = "") -> Template:
    """The list of employees with a search box."""
    staff = StaffService(actor)
    items, _next = await staff.list_employees(q=q, limit=200)
    context = page_context(
        actor, employees=items, q=q, can_create=actor.can(Section.STAFF, Action.CREATE)
    )
    return Template("staff/employees.html", context=context)


@get("/staff/employees/new", include_in_schema=False)
async def employee_new_page(actor: CurrentActor) -> Template:
    """The empty form of a new employee."""
    actor.require(Section.STAFF, Action.CREATE)
    values = {
        "language": "ru",
        "role_ids": [],
        "manufacturers": [],
        "ip_allowlist": [],
        "permission_overrides": {},
    }
    return await _employee_page(StaffService(actor), None, values, {})


@post("/staff/employees/new", include_in_schema=False)
async def employee_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Create an employee from the form; on error show it next to the field, keep the input."""
    staff = StaffService(actor)
    data = _employee_form(await read_form(request), creating=True)
    try:
        employee = await staff.create_employee(convert(data, EmployeeCreate))
    except (DomainError, FormError) as error:
        return await _employee_page(staff, None, data, errors_of(error), status_code=400)
    return Redirect(f"/staff/employees/{employee.id}?saved=1")


@get("/staff/employees/{employee_id:int}", include_in_schema=False)
async def employee_page(
    actor: CurrentActor, employee_id: RecordId, saved: Flag = False
) -> Template:
    """An employee's card and edit form."""
    staff = StaffService(actor)
    employee = await staff.get_employee(employee_id)
    from server.i18n import gettext

    notice = gettext("Saved") if saved else None
    return await _employee_page(staff, employee_id, _values_of(employee), {}, notice=notice)


@post("/staff/employees/{employee_id:int}", include_in_schema=False)
async def employee_update(
    request: Request[Any, Any, Any], actor: CurrentActor, employee_id: RecordId
) -> Response[Any]:
    """Save the edit form."""
    staff = StaffService(actor)
    data = _employee_form(await read_form(request), creating=False)
    try:
        await staff.update_employee(employee_id, convert(data, EmployeePatch))
    except (DomainError, FormError) as error:
        return await _employee_page(staff, employee_id, data, errors_of(error), status_code=400)
    return Redirect(f"/staff/employees/{employee_id}?saved=1")


@post("/staff/employees/{employee_id:int}/active", include_in_schema=False)
async def employee_set_active(
    request: Request[Any, Any, Any], actor: CurrentActor, employee_id: RecordId
) -> Response[Any]:
    """Deactivate or reactivate an employee."""
    staff = StaffService(actor)
    form = await read_form(request)
    try:
        await staff.update_employee(employee_id, EmployeePatch(is_active=form.get("active") == "1"))
    except DomainError as error:
        employee = await staff.get_employee(employee_id)
        return await _employee_page(staff, employee_id, _values_of(employee), errors_of(error), 400)
    return Redirect(f"/staff/employees/{employee_id}?saved=1")


@post("/staff/employees/{employee_id:int}/logout-everywhere", include_in_schema=False)
async def employee_logout_everywhere(actor: CurrentActor, employee_id: RecordId) -> Redirect:
    """End every session of an employee."""
    await auth.end_all_sessions(actor, keep_current=True, employee_id=employee_id)
    return Redirect(f"/staff/employees/{employee_id}?saved=1")


@get("/staff/roles", include_in_schema=False)
async def roles_page(actor: CurrentActor) -> Template:
    """The list of roles."""
    roles = await StaffService(actor).list_roles()
    context = page_context(actor, roles=roles, can_create=actor.can(Section.STAFF, Action.CREATE))
    return Template("staff/roles.html", context=context)


async def _role_page(
    staff: StaffService,
    role: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    context = page_context(
        staff.actor,
        role=role,
        values=values,
        errors=errors,
        matrix=MATRIX,
        can_edit=staff.actor.can(Section.STAFF, Action.EDIT),
    )
    return Template("staff/role_form.html", context=context, status_code=status_code)


@get("/staff/roles/new", include_in_schema=False)
async def role_new_page(actor: CurrentActor) -> Template:
    """The empty form of a new role."""
    actor.require(Section.STAFF, Action.CREATE)
    return await _role_page(StaffService(actor), None, {"permissions": {}}, {})


@post("/staff/roles/new", include_in_schema=False)
async def role_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Create a role from the form."""
    staff = StaffService(actor)
    form = await read_form(request)
    data = {
        "name": form.get("name", ""),
        "description": form.get("description", ""),
        "permissions": _permissions_from(form),
    }
    try:
        role = await staff.create_role(convert(data, RoleCreate))
    except (DomainError, FormError) as error:
        return await _role_page(staff, None, data, errors_of(error), 400)
    return Redirect(f"/staff/roles/{role.id}")


@get("/staff/roles/{role_id:int}", include_in_schema=False)
async def role_page(actor: CurrentActor, role_id: RecordId) -> Template:
    """A role and its permission matrix."""
    staff = StaffService(actor)
    role = await staff.get_role(role_id)
    return await _role_page(staff, role, msgspec.structs.asdict(role), {})


@post("/staff/roles/{role_id:int}", include_in_schema=False)
async def role_update(
    request: Request[Any, Any, Any], actor: CurrentActor, role_id: RecordId
) -> Response[Any]:
    """Save a role."""
    staff = StaffService(actor)
    role = await staff.get_role(role_id)
    form = await read_form(request)
    data: dict[str, Any] = {
        "name": form.get("name", ""),
        "description": form.get("description", ""),
    }
    if role.code != "admin":
        data["permissions"] = _permissions_from(form)
        data["field_permissions"] = _field_levels_from(form)
    try:
        await staff.update_role(role_id, convert(data, RolePatch))
    except (DomainError, FormError) as error:
        return await _role_page(
            staff, role, {**msgspec.structs.asdict(role), **data}, errors_of(error), 400
        )
    return Redirect("/staff/roles")


handlers = [
    employees_page,
    employee_new_page,
    employee_create,
    employee_page,
    employee_update,
    employee_set_active,
    employee_logout_everywhere,
    roles_page,
    role_new_page,
    role_create,
    role_page,
    role_update,
    *master_pages.handlers,
]
