"""HTTP API of visits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.dispatch import services
from server.dispatch.schemas import (
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
