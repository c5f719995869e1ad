"""HTTP API of exports (orders and clients lists to XLSX) and of one's downloads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import File, Response, Stream

from server.actor import Actor
from server.clients.controllers import custom_filters
from server.clients.services import ClientFilters
from server.documents import exports
from server.documents.downloads import DownloadService, export_now
from server.documents.jobs import start_background
from server.documents.schemas import DownloadOut
from server.errors import InvalidInput
from server.files.serve import streamed
from server.guards import CurrentActor
from server.i18n import current_language
from server.orders.controllers import FILTERS, Filters
from server.params import Flag, RecordId, Search

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


async def run_export(actor: Actor, spec: exports.ExportSpec) -> File | Response[DownloadOut]:
    """Send the file now, or (over the threshold) prepare it in the background: 202."""
    prepared = await exports.prepare(actor, spec)
    if await prepared.count() > exports.background_threshold():
        await prepared.rows.aclose()
        spec.columns = [c.key for c in prepared.columns]  # the columns of now, not of the job
        download = await start_background(actor, spec, prepared.file_name)
        return Response(download, status_code=202, headers={"Location": "/api/v1/downloads"})
    return await export_now(prepared.columns, prepared.rows, prepared.title, prepared.file_name)


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
        check_format(format)
        spec = exports.ExportSpec(
            list_name="orders",
            filters=msgspec.to_builtins(filters),
            sort=sort,
            columns=exports.split_columns(columns) or [],
            language=current_language.get(),
        )
        return await run_export(actor, spec)

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
        check_format(format)
        filters = ClientFilters(
            q=q, kind=kind, tag=tag, source=source, created_from=created_from,
            created_to=created_to, custom=custom_filters(request), archived=archived, sort=sort,
        )  # fmt: skip
        spec = exports.ExportSpec(
            list_name="clients",
            filters=msgspec.to_builtins(filters),
            sort=sort,
            columns=[],
            language=current_language.get(),
        )
        return await run_export(actor, spec)


class DownloadController(Controller):
    """Files prepared for the employee."""

    path = "/api/v1/downloads"
    tags = ["documents"]

    @get("/")
    async def list_downloads(self, actor: CurrentActor) -> dict[str, list[DownloadOut]]:
        """One's downloads, newest first."""
        return {"items": await DownloadService(actor).list_downloads()}

    @get("/{download_id:int}/file")
    async def download_file(self, actor: CurrentActor, download_id: RecordId) -> Stream:
        """One's finished file."""
        opened, name = await DownloadService(actor).file_of(download_id)
        return streamed(opened, name, exports.printforms.MEDIA_TYPES["xlsx"], "attachment")


controllers = [ExportController, DownloadController]
