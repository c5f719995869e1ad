"""HTTP API of the time clock: check in or out, one's own state, the days of a period,
a manager's corrections."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import JSONBody

from server import clock
from server.guards import CurrentActor
from server.params import OptionalDay, OptionalId
from server.timeclock import checks, days
from server.timeclock.schemas import CheckIn, CorrectionIn, DayList, MyClock


class TimeClockController(Controller):
    """Checks in and out."""

    path = "/api/v1/timeclock"
    tags = ["time clock"]

    @post("/check")
    async def check(self, actor: CurrentActor, data: JSONBody[CheckIn]) -> MyClock:
        """Check in or out now, at the desk."""
        await checks.check(actor, data)
        return await days.my_clock(actor)

    @get("/me")
    async def mine(self, actor: CurrentActor) -> MyClock:
        """One's own state and this month's days."""
        return await days.my_clock(actor)

    @get("/days")
    async def list_days(
        self,
        actor: CurrentActor,
        date_from: OptionalDay = None,
        date_to: OptionalDay = None,
        employee_id: OptionalId = None,
    ) -> DayList:
        """Days with checks (everyone's for payroll viewers; one's own otherwise)."""
        today = clock.today()
        first, last = date_from or today.replace(day=1), date_to or today
        wanted = None if employee_id is None else [employee_id]
        return DayList(items=await days.days(actor, first, last, wanted))

    @post("/corrections")
    async def correct(self, actor: CurrentActor, data: JSONBody[CorrectionIn]) -> DayList:
        """Add, move or remove an employee's check, with the reason; answers their day."""
        await checks.correct(actor, data)
        at = clock.local(data.at) if data.at else None
        day = at.date() if at else clock.today()
        return DayList(items=await days.days(actor, day, day, [data.employee_id]))
