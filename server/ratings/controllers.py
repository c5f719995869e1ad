"""HTTP API of ratings (orders:view, the orders' scope) and their settings (settings)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, put
from litestar.params import JSONBody, QueryParameter
from litestar.response import Response

from server import clock
from server.guards import CurrentActor
from server.params import MAX_ID, Cursor, Limit
from server.ratings import services, settings
from server.ratings.schemas import RatingList, RatingReport, RatingSettingsIn, RatingSettingsOut
from server.ratings.services import RatingFilters, check_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Month = Annotated[str, QueryParameter(max_length=7, description="YYYY-MM")]
Score = Annotated[int | None, QueryParameter(ge=1, le=5)]


def filters(
    month: str, employee_id: int | None, service_center_id: int | None, score: int | None
) -> RatingFilters:
    """The filters of a list, report or export, the month checked."""
    return RatingFilters(
        month=check_month(month),
        employee_id=employee_id,
        service_center_id=service_center_id,
        score=score,
    )


class RatingController(Controller):
    """Customer ratings of orders."""

    path = "/api/v1"
    tags = ["ratings"]

    @get("/ratings")
    async def list_ratings(
        self,
        actor: CurrentActor,
        employee_id: OptionalId = None,
        service_center_id: OptionalId = None,
        month: Month = "",
        score: Score = None,
        cursor: Cursor = None,
        limit: Limit = services.PAGE,
    ) -> RatingList:
        """Ratings of the orders one may read, newest first, with the average and count of
        all that match (technician, partner service center, month YYYY-MM, score)."""
        chosen = filters(month, employee_id, service_center_id, score)
        return await services.list_ratings(actor, chosen, cursor, limit)

    @get("/ratings/report")
    async def rating_report(
        self,
        actor: CurrentActor,
        employee_id: OptionalId = None,
        service_center_id: OptionalId = None,
        month: Month = "",
        score: Score = None,
    ) -> RatingReport:
        """Per technician and per partner service center: the month's average, count and
        distribution, and the trend of the six months ending with it."""
        return await services.report(actor, filters(month, employee_id, service_center_id, score))

    @get("/ratings/export", media_type=XLSX)
    async def export_ratings(
        self,
        actor: CurrentActor,
        employee_id: OptionalId = None,
        service_center_id: OptionalId = None,
        month: Month = "",
        score: Score = None,
    ) -> Response[bytes]:
        """The ratings that match as XLSX (orders:export)."""
        chosen = filters(month, employee_id, service_center_id, score)
        body = await services.export_xlsx(actor, chosen)
        name = f"ratings-{chosen.month or clock.today().isoformat()}.xlsx"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(body, media_type=XLSX, headers=headers)

    @get("/settings/ratings")
    async def rating_settings(self, actor: CurrentActor) -> RatingSettingsOut:
        """When clients are asked to rate, on which channels, and the low-rating threshold."""
        return await settings.read(actor)

    @put("/settings/ratings")
    async def save_rating_settings(
        self, actor: CurrentActor, data: JSONBody[RatingSettingsIn]
    ) -> RatingSettingsOut:
        """Change the ratings settings (settings:edit)."""
        return await settings.save(actor, data)
