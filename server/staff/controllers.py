"""HTTP API of employees and roles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter

from server.auth import services as auth
from server.auth.controllers import SessionId
from server.auth.schemas import LogoutEverywhereIn, SessionList
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import Cursor, Flag, Limit, RecordId, Search
from server.staff.master_schemas import (
    CalendarOut,
    ExceptionIn,
    ExceptionOut,
    MasterProfileIn,
    MasterProfileOut,
)
from server.staff.permissions import ACTION_LABELS, SECTION_LABELS
from server.staff.profiles import MasterProfileService
from server.staff.schemas import (
    EmployeeCreate,
    EmployeeOut,
    EmployeePatch,
    Page,
    RoleCreate,
    RoleList,
    RoleOut,
    RolePatch,
)
from server.staff.services import StaffService

Staff = NamedDependency[StaffService]


async def provide_staff(actor: CurrentActor) -> StaffService:
    """A staff service acting for the caller."""
    return StaffService(actor)


class EmployeeController(Controller):
    """Employees: list, create, read, change (never delete: deactivate)."""

    path = "/api/v1/employees"
    tags = ["staff"]
    dependencies = {"staff": Provide(provide_staff)}

    @get("/")
    async def list_employees(
        self,
        staff: Staff,
        q: Search = "",
        include_inactive: Flag = True,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page:
        """Employees by id; `next` is the cursor of the following page."""
        items, next_cursor = await staff.list_employees(
            q=q, include_inactive=include_inactive, after_id=cursor or 0, limit=limit
        )
        return Page(items=items, next=next_cursor)

    @post("/")
    async def create_employee(self, staff: Staff, data: JSONBody[EmployeeCreate]) -> EmployeeOut:
        """Create an employee."""
        return await staff.create_employee(data)

    @get("/{employee_id:int}")
    async def get_employee(self, staff: Staff, employee_id: RecordId) -> EmployeeOut:
        """One employee."""
        return await staff.get_employee(employee_id)

    @patch("/{employee_id:int}")
    async def update_employee(
        self, staff: Staff, employee_id: RecordId, data: JSONBody[EmployeePatch]
    ) -> EmployeeOut:
        """Change an employee; `is_active: false` deactivates and ends their sessions."""
        return await staff.update_employee(employee_id, data)

    @get("/{employee_id:int}/sessions")
    async def sessions(self, actor: CurrentActor, employee_id: RecordId) -> SessionList:
        """Live sessions of an employee."""
        return SessionList(items=await auth.list_sessions(actor, employee_id))

    @delete("/{employee_id:int}/sessions/{session_id:str}")
    async def end_session(
        self, actor: CurrentActor, employee_id: RecordId, session_id: SessionId
    ) -> None:
        """End one session of an employee."""
        await auth.end_session(actor, session_id, employee_id)

    @post("/{employee_id:int}/logout-everywhere", status_code=200)
    async def logout_everywhere(
        self, actor: CurrentActor, employee_id: RecordId, data: JSONBody[LogoutEverywhereIn]
    ) -> dict[str, int]:
        """End every session of an employee."""
        ended = await auth.end_all_sessions(
            actor, keep_current=data.keep_current, employee_id=employee_id
        )
        return {"ended": ended}


class RoleController(Controller):
    """Roles and their permissions."""

    path = "/api/v1/roles"
    tags = ["staff"]
    dependencies = {"staff": Provide(provide_staff)}

    @get("/")
    async def list_roles(self, staff: Staff) -> RoleList:
        """All roles."""
        return RoleList(items=await staff.list_roles())

    @post("/")
    async def create_role(self, staff: Staff, data: JSONBody[RoleCreate]) -> RoleOut:
        """Create a custom role."""
        return await staff.create_role(data)

    @get("/{role_id:int}")
    async def get_role(self, staff: Staff, role_id: RecordId) -> RoleOut:
        """One role."""
        return await staff.get_role(role_id)

    @patch("/{role_id:int}")
    async def update_role(
        self, staff: Staff, role_id: RecordId, data: JSONBody[RolePatch]
    ) -> RoleOut:
        """Change a role."""
        return await staff.update_role(role_id, data)

    @delete("/{role_id:int}")
    async def delete_role(self, staff: Staff, role_id: RecordId) -> None:
        """Delete a custom role that nobody holds."""
        await staff.delete_role(role_id)

    @get("/catalogue")
    async def catalogue(self, actor: CurrentActor) -> dict[str, list[dict[str, str]]]:
        """Sections and actions a role can hold, with their names."""
        return {
            "sections": [{"code": s.value, "name": gettext(n)} for s, n in SECTION_LABELS.items()],
            "actions": [{"code": a.value, "name": gettext(n)} for a, n in ACTION_LABELS.items()],
        }


Masters = NamedDependency[MasterProfileService]


async def provide_masters(actor: CurrentActor) -> MasterProfileService:
    """A master profile service acting for the caller."""
    return MasterProfileService(actor)


class MasterProfileController(Controller):
    """Field masters' profiles and calendars, as the scheduler reads them."""

    path = "/api/v1/staff/{employee_id:int}"
    tags = ["staff"]
    dependencies = {"masters": Provide(provide_masters)}

    @get("/master-profile")
    async def get_master_profile(self, masters: Masters, employee_id: RecordId) -> MasterProfileOut:
        """The master's profile (the defaults while none is stored: `is_default`)."""
        return await masters.get_profile(employee_id)

    @put("/master-profile")
    async def put_master_profile(
        self, masters: Masters, employee_id: RecordId, data: JSONBody[MasterProfileIn]
    ) -> MasterProfileOut:
        """Replace the master's profile and weekly pattern."""
        return await masters.put_profile(employee_id, data)

    @get("/calendar")
    async def get_calendar(
        self,
        masters: Masters,
        employee_id: RecordId,
        first_day: Annotated[dt.date | None, QueryParameter(name="from")] = None,
        last_day: Annotated[dt.date | None, QueryParameter(name="to")] = None,
    ) -> CalendarOut:
        """The master's resolved days from `from` to `to` (14 days from today by default)."""
        return await masters.calendar(employee_id, first_day, last_day)

    @post("/calendar")
    async def add_calendar_exception(
        self, masters: Masters, employee_id: RecordId, data: JSONBody[ExceptionIn]
    ) -> ExceptionOut:
        """Add a day off, vacation, sick leave or changed hours."""
        return await masters.add_exception(employee_id, data)

    @delete("/calendar/{exception_id:int}")
    async def delete_calendar_exception(
        self, masters: Masters, employee_id: RecordId, exception_id: RecordId
    ) -> None:
        """Remove a calendar exception."""
        await masters.delete_exception(employee_id, exception_id)
