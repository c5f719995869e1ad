"""HTTP API of requests: the public one (no login) and the staff one (requests section)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.types import ControllerRouterHandler

from server.guards import CurrentActor
from server.middleware import client_ip
from server.params import Limit, RecordId, Search
from server.requests import convert, services
from server.requests.choices import Channel
from server.requests.schemas import (
    Converted,
    ConvertIn,
    ConvertPreview,
    CountOut,
    PublicRequestIn,
    ReasonIn,
    RequestCreated,
    RequestIn,
    RequestList,
    RequestOut,
)

PUBLIC_BODY_LIMIT = 64 * 1024  # the JSON of one request; photos go through the form
StatusFilter = Annotated[
    str | None,
    QueryParameter(
        pattern="^(new|in_review|returned|accepted|converted|rejected)$", description="Status"
    ),
]
ChannelFilter = Annotated[
    str | None, QueryParameter(pattern="^(website|api|phone|partner)$", description="Channel")
]
CursorText = Annotated[str | None, QueryParameter(max_length=500, description="From `next`")]


@post(
    "/api/v1/public/requests",
    opt={"public": True, "exclude_from_csrf": True},
    status_code=201,
    tags=["public"],
    request_max_body_size=PUBLIC_BODY_LIMIT,
)
async def public_request(
    request: Request[Any, Any, Any], data: JSONBody[PublicRequestIn]
) -> RequestCreated:
    """File a request without login; answers its number and the private link to follow it.
    Throttled per address; fields are size-limited."""
    row, token = await services.create(data, channel=Channel.API, ip=client_ip(request.scope))
    return RequestCreated(number=row["number"], link=services.link_of(token))


class RequestController(Controller):
    """Requests as staff work them (requests:view, create, edit)."""

    path = "/api/v1/requests"
    tags = ["requests"]

    @get("/")
    async def list_requests(
        self,
        actor: CurrentActor,
        status: StatusFilter = None,
        channel: ChannelFilter = None,
        q: Search = "",
        cursor: CursorText = None,
        limit: Limit = 50,
    ) -> RequestList:
        """Requests in the caller's scope, newest first; `next` is the following page."""
        items, following = await services.list_requests(
            actor, status=status, channel=channel, q=q, cursor=cursor, limit=limit
        )
        return RequestList(items, following)

    @get("/count")
    async def count_new(self, actor: CurrentActor) -> CountOut:
        """How many new requests wait (the navigation badge)."""
        return CountOut(await services.count_new(actor))

    @post("/", status_code=201)
    async def create_request(self, actor: CurrentActor, data: JSONBody[RequestIn]) -> RequestOut:
        """File a request taken by phone (an operator) or for a partner (its employee)."""
        created, _token = await services.create_by_staff(actor, data, data.channel)
        return created

    @get("/{request_id:int}")
    async def get_request(self, actor: CurrentActor, request_id: RecordId) -> RequestOut:
        """One request with its photos and timeline."""
        return await services.get(actor, request_id)

    @post("/{request_id:int}/take", status_code=200)
    async def take(self, actor: CurrentActor, request_id: RecordId) -> RequestOut:
        """Take a new request into review."""
        return await services.take(actor, request_id)

    @post("/{request_id:int}/return", status_code=200)
    async def return_request(
        self, actor: CurrentActor, request_id: RecordId, data: JSONBody[ReasonIn]
    ) -> RequestOut:
        """Return a request for rework: the requester gets the reason and the link."""
        return await services.return_for_rework(actor, request_id, data.reason)

    @post("/{request_id:int}/accept", status_code=200)
    async def accept(self, actor: CurrentActor, request_id: RecordId) -> RequestOut:
        """Accept a request."""
        return await services.accept(actor, request_id)

    @post("/{request_id:int}/reject", status_code=200)
    async def reject(
        self, actor: CurrentActor, request_id: RecordId, data: JSONBody[ReasonIn]
    ) -> RequestOut:
        """Reject a request with the reason."""
        return await services.reject(actor, request_id, data.reason)

    @get("/{request_id:int}/convert")
    async def convert_preview(self, actor: CurrentActor, request_id: RecordId) -> ConvertPreview:
        """The clients that already have the request's phone or email, before converting."""
        return await convert.preview(actor, request_id)

    @post("/{request_id:int}/convert", status_code=201)
    async def convert_request(
        self, actor: CurrentActor, request_id: RecordId, data: JSONBody[ConvertIn]
    ) -> Converted:
        """Make an order of an accepted request in one step."""
        return await convert.convert(actor, request_id, data)


handlers: list[ControllerRouterHandler] = [public_request, RequestController]
