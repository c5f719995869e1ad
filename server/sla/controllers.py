"""HTTP API of the SLA clocks: the calendar, the policies, an order's clocks, the late list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.params import JSONBody, PathParameter, QueryParameter

from server.clock import today as center_today
from server.errors import InvalidInput
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId
from server.sla import calendar, policies, services
from server.sla.schemas import (
    CalendarOut,
    DayIn,
    LateList,
    OrderSla,
    PolicyIn,
    PolicyList,
    PolicyOut,
    WeekIn,
)
from server.sla.services import LateFilters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Day = Annotated[dt.date, PathParameter(description="The date, YYYY-MM-DD")]
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Code = Annotated[str, QueryParameter(max_length=50)]
StateCode = Annotated[str, QueryParameter(name="state", max_length=50)]


def late_filters(
    employee: int | None, role: str, order_type: int | None, state: str, clock: str
) -> LateFilters:
    """The late list's query parameters as filters."""
    return LateFilters(employee, role.strip(), order_type, state.strip(), clock.strip())


class SlaController(Controller):
    """SLA clocks: the working calendar, policies per order type and priority, the late list."""

    path = "/api/v1/sla"
    tags = ["sla"]

    @get("/calendar")
    async def get_calendar(self, actor: CurrentActor) -> CalendarOut:
        """The weekly hours and the exception days (holidays, shortened and transferred days)."""
        return await calendar.calendar(actor)

    @put("/calendar/week")
    async def set_week(self, actor: CurrentActor, data: JSONBody[WeekIn]) -> CalendarOut:
        """Set the working hours of each weekday («09:00-13:00, 14:00-18:00»; empty: off)."""
        return await calendar.set_week(actor, data)

    @put("/calendar/days/{day:date}")
    async def set_day(self, actor: CurrentActor, day: Day, data: JSONBody[DayIn]) -> CalendarOut:
        """Make a date a holiday, a shortened day, a worked weekend day, or give it hours."""
        return await calendar.set_day(actor, day, data)

    @delete("/calendar/days/{day:date}", status_code=204)
    async def delete_day(self, actor: CurrentActor, day: Day) -> None:
        """The date goes back to its weekday's hours."""
        await calendar.delete_day(actor, day)

    @get("/policies")
    async def list_policies(self, actor: CurrentActor) -> PolicyList:
        """Every policy."""
        return await policies.list_policies(actor)

    @post("/policies")
    async def create_policy(self, actor: CurrentActor, data: JSONBody[PolicyIn]) -> PolicyOut:
        """Add a policy; one that could never fire is refused with the reason."""
        return await policies.create_policy(actor, data)

    @put("/policies/{policy_id:int}")
    async def update_policy(
        self, actor: CurrentActor, policy_id: RecordId, data: JSONBody[PolicyIn]
    ) -> PolicyOut:
        """Change a policy; every order's clocks follow at once."""
        return await policies.update_policy(actor, policy_id, data)

    @delete("/policies/{policy_id:int}", status_code=204)
    async def delete_policy(self, actor: CurrentActor, policy_id: RecordId) -> None:
        """Remove a policy."""
        await policies.delete_policy(actor, policy_id)

    @get("/orders/{order_id:int}")
    async def order_sla(self, actor: CurrentActor, order_id: RecordId) -> OrderSla:
        """An order's clocks now: state, business minutes used and left, when time runs out."""
        return await services.order_sla(actor, order_id)

    @get("/late")
    async def late(
        self,
        actor: CurrentActor,
        employee: OptionalId = None,
        role: Code = "",
        order_type: OptionalId = None,
        late_state: StateCode = "",
        clock: Code = "",
    ) -> LateList:
        """Every clock late or at risk of the orders one may read, worst first; filters by
        employee (technician or manager), role, order type, state and clock."""
        filters = late_filters(employee, role, order_type, late_state, clock)
        return await services.late(actor, filters)

    @get("/late/export", media_type=XLSX)
    async def export_late(
        self,
        actor: CurrentActor,
        format: Annotated[str, QueryParameter(max_length=10, description="xlsx")] = "xlsx",
        employee: OptionalId = None,
        role: Code = "",
        order_type: OptionalId = None,
        late_state: StateCode = "",
        clock: Code = "",
    ) -> Response[bytes]:
        """The late list as XLSX, with the same filters."""
        if format != "xlsx":
            raise InvalidInput(
                "Lists are exported as xlsx, not «{fmt}»", field="format", fmt=format
            )
        filters = late_filters(employee, role, order_type, late_state, clock)
        body = await services.late_xlsx(actor, filters)
        name = f"late-{center_today().isoformat()}.xlsx"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type=XLSX, headers=headers)
