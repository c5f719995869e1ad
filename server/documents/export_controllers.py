"""HTTP API of exports (orders and clients lists to XLSX) and of one's downloads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import File, Response

from server.actor import Actor
from server.clients.controllers import custom_filters
from server.clients.services import ClientFilters
from server.documents import exports
from server.documents.downloads import DownloadService, export_now, start_background
from server.documents.schemas import DownloadOut
from server.errors import InvalidInput
from server.guards import CurrentActor
from server.i18n import gettext
from server.orders.controllers import FILTERS, Filters
from server.params import Flag, RecordId, Search
from server.staff.permissions import Action, Section

Text = Annotated[str, QueryParameter(max_length=200)]
OptionalText = Annotated[str | None, QueryParameter(max_length=500)]
OptionalDate = Annotated[dt.date | None, QueryParameter()]
Format = Annotated[str, QueryParameter(max_length=10, description="xlsx")]
Columns = Annotated[
    str | None, QueryParameter(max_length=1000, description="Column codes, comma-separated")
]


def check_format(fmt: str) -> None:
    """Lists are exported as XLSX only."""
    if fmt != "xlsx":
        raise InvalidInput("Lists are exported as xlsx, not «{fmt}»", field="format", fmt=fmt)


def stamp() -> str:
    """Date and time for a file name."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")


async def run_export(
    actor: Actor, count: int, columns: Any, rows: Any, title: str, file_name: str
) -> File | Response[DownloadOut]:
    """Send the file now, or (over the threshold) prepare it in the background: 202."""
    if count > exports.background_threshold():
        download = await start_background(actor, columns, rows, title, file_name)
        return Response(download, status_code=202, headers={"Location": "/api/v1/downloads"})
    return await export_now(columns, rows, title, file_name)


class ExportController(Controller):
    """Lists as XLSX files."""

    path = "/api/v1"
    tags = ["documents"]

    @get("/orders/export", dependencies=FILTERS)
    async def export_orders(
        self,
        actor: CurrentActor,
        filters: Filters,
        format: Format = "xlsx",
        columns: Columns = None,
        sort: Annotated[str, QueryParameter(max_length=20)] = "-created",
    ) -> File | Response[DownloadOut]:
        """Orders as XLSX with the filters of the list; big exports answer 202 (see downloads)."""
        actor.require(Section.ORDERS, Action.EXPORT)
        check_format(format)
        chosen = await exports.order_export_columns(actor, exports.split_columns(columns))
        codes = [c.key for c in chosen]
        # the first page checks the sort and filters before anything is recorded
        await exports.OrderService(actor).list_orders(filters, sort=sort, limit=1)
        count = await exports.count_orders(actor, filters)
        rows = exports.order_rows(actor, filters, sort, codes)
        title = gettext("Orders")
        return await run_export(actor, count, chosen, rows, title, f"orders-{stamp()}.xlsx")

    @get("/clients/export")
    async def export_clients(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        format: Format = "xlsx",
        q: Search = "",
        kind: Text = "",
        tag: Text = "",
        source: Text = "",
        created_from: OptionalDate = None,
        created_to: OptionalDate = None,
        archived: Flag = False,
        sort: Annotated[str, QueryParameter(max_length=20)] = "name",
    ) -> File | Response[DownloadOut]:
        """Clients as XLSX with the filters of the list; big exports answer 202."""
        actor.require(Section.CLIENTS, Action.EXPORT)
        check_format(format)
        filters = ClientFilters(
            q=q, kind=kind, tag=tag, source=source, created_from=created_from,
            created_to=created_to, custom=custom_filters(request), archived=archived, sort=sort,
        )  # fmt: skip
        chosen = exports.client_export_columns(actor)
        codes = [c.key for c in chosen]
        from server.clients.services import ClientService

        await ClientService(actor).list_clients(filters, None, 1)
        count = await exports.count_clients(actor, filters)
        rows = exports.client_rows(actor, filters, codes)
        title = gettext("Clients")
        return await run_export(actor, count, chosen, rows, title, f"clients-{stamp()}.xlsx")


class DownloadController(Controller):
    """Files prepared for the employee."""

    path = "/api/v1/downloads"
    tags = ["documents"]

    @get("/")
    async def list_downloads(self, actor: CurrentActor) -> dict[str, list[DownloadOut]]:
        """One's downloads, newest first."""
        return {"items": await DownloadService(actor).list_downloads()}

    @get("/{download_id:int}/file")
    async def download_file(self, actor: CurrentActor, download_id: RecordId) -> File:
        """One's finished file."""
        path, name = await DownloadService(actor).file_of(download_id)
        return File(path, filename=name, media_type=exports.printforms.MEDIA_TYPES["xlsx"])


controllers = [ExportController, DownloadController]
