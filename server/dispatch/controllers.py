"""HTTP API of visits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.dispatch import accept, jobs, planning, services, suggest
from server.dispatch import board as boards
from server.dispatch.schemas import (
    PlanAccept,
    PlanAccepted,
    PlanOut,
    PlanQueued,
    PlanRequest,
    VisitCreate,
    VisitList,
    VisitOut,
    VisitPatch,
    VisitStatusChange,
)
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId


def _out(visit: dict[str, Any]) -> VisitOut:
    return msgspec.convert(visit, VisitOut)


class VisitController(Controller):
    """Field visits (выезды)."""

    path = "/api/v1/visits"
    tags = ["dispatch"]

    @get("/")
    async def list_visits(
        self,
        actor: CurrentActor,
        day: Annotated[dt.date | None, QueryParameter()] = None,
        master: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)] = None,
    ) -> VisitList:
        """The visits of a day (today by default), of one master or of all."""
        visits = await services.list_visits(actor, day or services.today(), master)
        return VisitList(items=[_out(v) for v in visits])

    @post("/")
    async def create_visit(self, actor: CurrentActor, data: JSONBody[VisitCreate]) -> VisitOut:
        """Plan a visit for a field order; its master becomes the order's technician."""
        return _out(await services.create_visit(actor, data))

    @get("/{visit_id:int}")
    async def get_visit(self, actor: CurrentActor, visit_id: RecordId) -> VisitOut:
        """One visit."""
        return _out(await services.get_visit(actor, visit_id))

    @patch("/{visit_id:int}")
    async def update_visit(
        self, actor: CurrentActor, visit_id: RecordId, data: JSONBody[VisitPatch]
    ) -> VisitOut:
        """Replan a visit; send `version` to refuse overwriting someone else's change."""
        return _out(await services.update_visit(actor, visit_id, data))

    @post("/{visit_id:int}/status", status_code=200)
    async def change_status(
        self, actor: CurrentActor, visit_id: RecordId, data: JSONBody[VisitStatusChange]
    ) -> VisitOut:
        """En route, on site, done, failed (with a reason), cancelled or planned again."""
        return _out(await services.set_status(actor, visit_id, data))


class PlanController(Controller):
    """The scheduler: plan a day, read the proposal, accept it; suggest a place for one order."""

    path = "/api/v1/dispatch"
    tags = ["dispatch"]

    @post("/plans", status_code=202)
    async def request_plan(self, actor: CurrentActor, data: JSONBody[PlanRequest]) -> PlanQueued:
        """Plan the day in the background; 409 names the dispatcher already planning it
        (send `take_over: true` to replace their plan)."""
        return PlanQueued(id=await jobs.start_plan(actor, data))

    @get("/plans/{plan_id:int}")
    async def get_plan(self, actor: CurrentActor, plan_id: RecordId) -> PlanOut:
        """A plan: its status, and when ready the proposal and its figures."""
        return await planning.get_plan(actor, plan_id)

    @post("/plans/{plan_id:int}/accept", status_code=200)
    async def accept_plan(
        self, actor: CurrentActor, plan_id: RecordId, data: JSONBody[PlanAccept]
    ) -> PlanAccepted:
        """Save the proposal of all masters, or of the given ones."""
        saved, plan = await accept.accept_plan(actor, plan_id, data.master_ids)
        return PlanAccepted(visits=[_out(v) for v in saved], plan=plan)

    @get("/suggestions")
    async def suggestions(
        self,
        actor: CurrentActor,
        order_id: Annotated[int, QueryParameter(ge=1, le=MAX_ID)],
        day: Annotated[dt.date | None, QueryParameter()] = None,
    ) -> suggest.Suggestions:
        """The best few places for a waiting order in the day as planned, cheapest first."""
        return await suggest.suggestions(actor, order_id, day or services.today())

    @get("/board")
    async def day_board(
        self, actor: CurrentActor, day: Annotated[dt.date | None, QueryParameter()] = None
    ) -> boards.Board:
        """The day's lanes, queue, warnings and estimated arrivals (today)."""
        return await boards.board(actor, day or services.today())

    @post("/check", status_code=200)
    async def check(self, actor: CurrentActor, data: JSONBody[boards.Check]) -> boards.Checked:
        """Warnings a placement would bring, before it is saved."""
        return await boards.check(actor, data)

    @get("/week")
    async def week(
        self, actor: CurrentActor, start: Annotated[dt.date | None, QueryParameter()] = None
    ) -> boards.Week:
        """Seven days from `start` (this Monday by default): shifts, absences, load."""
        today = services.today()
        return await boards.week(actor, start or today - dt.timedelta(days=today.weekday()))
