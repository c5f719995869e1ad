"""HTTP API of visits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.dispatch import services
from server.dispatch.schemas import VisitCreate, VisitPatch, VisitStatusChange
from server.guards import CurrentActor
from server.params import MAX_ID, RecordId

Visit = dict[str, Any]


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
    ) -> dict[str, list[Visit]]:
        """The visits of a day (today by default), of one master or of all."""
        return {"items": await services.list_visits(actor, day or services.today(), master)}

    @post("/")
    async def create_visit(self, actor: CurrentActor, data: JSONBody[VisitCreate]) -> Visit:
        """Plan a visit for a field order; its master becomes the order's technician."""
        return await services.create_visit(actor, data)

    @get("/{visit_id:int}")
    async def get_visit(self, actor: CurrentActor, visit_id: RecordId) -> Visit:
        """One visit."""
        return await services.get_visit(actor, visit_id)

    @patch("/{visit_id:int}")
    async def update_visit(
        self, actor: CurrentActor, visit_id: RecordId, data: JSONBody[VisitPatch]
    ) -> Visit:
        """Replan a visit; send `version` to refuse overwriting someone else's change."""
        return await services.update_visit(actor, visit_id, data)

    @post("/{visit_id:int}/status", status_code=200)
    async def change_status(
        self, actor: CurrentActor, visit_id: RecordId, data: JSONBody[VisitStatusChange]
    ) -> Visit:
        """En route, on site, done, failed (with a reason), cancelled or planned again."""
        return await services.set_status(actor, visit_id, data)
