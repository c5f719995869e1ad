"""Staff pages of requests: the list (/requests), one's new request (/requests/new) and the
card (/requests/<id>) with its steps: take, return, accept, reject, make an order."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Response, Stream, Template

from server.actor import Actor
from server.errors import DomainError, NotFound
from server.files.serve import streamed
from server.guards import CurrentActor
from server.orders import api as orders
from server.params import RecordId, Search
from server.requests import access, assign, convert, fields, public, services
from server.requests.choices import CHANNEL_LABELS, STATUS_STYLE, RequestStatus
from server.requests.public_pages import fields_of, read_posted
from server.requests.schemas import ConvertIn, RequestIn
from server.staff.permissions import Action, Section
from server.web.forms import FormError, errors_of, read_form
from server.web.forms import convert as convert_form
from server.web.templating import page_context

StatusFilter = Annotated[
    str, QueryParameter(pattern="^(|new|in_review|returned|accepted|converted|rejected)$")
]
ChannelFilter = Annotated[str, QueryParameter(pattern="^(|website|api|phone|partner)$")]
CursorText = Annotated[str | None, QueryParameter(max_length=500)]
FileId = Annotated[str, PathParameter(max_length=40)]


@get("/requests", include_in_schema=False)
async def requests_page(
    actor: CurrentActor,
    status: StatusFilter = "",
    channel: ChannelFilter = "",
    q: Search = "",
    cursor: CursorText = None,
) -> Template:
    """Requests in one's scope, newest first, with filters and the count of new ones."""
    items, following = await services.list_requests(
        actor, status=status or None, channel=channel or None, q=q, cursor=cursor
    )
    context = page_context(
        actor,
        items=items,
        following=following,
        status=status,
        channel=channel,
        q=q,
        new_count=await services.count_new(actor),
        statuses=STATUS_STYLE,
        channels=CHANNEL_LABELS,
        can_create=actor.can(Section.REQUESTS, Action.CREATE),
    )
    return Template("requests/list.html", context=context)


async def _new_page(
    actor: Actor, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Template:
    actor.require(Section.REQUESTS, Action.CREATE)
    context = page_context(
        actor,
        values=values,
        errors=errors,
        custom_fields=await fields.custom_fields(),
        problem_classes=await assign.problem_classes(),
        partner=actor.organization_id is not None,
    )
    return Template("requests/new.html", context=context, status_code=status)


@get("/requests/new", include_in_schema=False)
async def new_request_page(actor: CurrentActor) -> Template:
    """The form of a request taken by phone (or filed for one's partner organization)."""
    return await _new_page(actor, {"custom": {}}, {})


@post("/requests/new", include_in_schema=False)
async def new_request_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """File the request."""
    values, _photos = await read_posted(request)
    try:
        data = convert_form(fields_of(values), RequestIn)
        created, _token = await services.create_by_staff(actor, data, values.get("channel") or None)
    except (DomainError, FormError) as error:
        return await _new_page(actor, values, errors_of(error), 400)
    return Redirect(f"/requests/{created.id}")


async def _card(
    actor: Actor, request_id: int, errors: dict[str, str] | None = None, status: int = 200
) -> Template:
    found = await services.get(actor, request_id)
    current = RequestStatus(found.status)
    can_edit = actor.can(Section.REQUESTS, Action.EDIT)
    preview = None
    if can_edit and current is RequestStatus.ACCEPTED and actor.can(Section.ORDERS, Action.CREATE):
        preview = await convert.preview(actor, request_id)
    context = page_context(
        actor,
        r=found,
        errors=errors or {},
        can_edit=can_edit,
        can_take=can_edit and current is RequestStatus.NEW,
        can_return=can_edit and current in (RequestStatus.NEW, RequestStatus.IN_REVIEW),
        can_accept=can_edit and current in (RequestStatus.NEW, RequestStatus.IN_REVIEW),
        can_reject=can_edit
        and current in (RequestStatus.NEW, RequestStatus.IN_REVIEW, RequestStatus.RETURNED),
        preview=preview,
        order_types=await orders.order_types() if preview is not None else [],
        custom_fields=await fields.custom_fields(),
    )
    return Template("requests/card.html", context=context, status_code=status)


@get("/requests/{request_id:int}", include_in_schema=False)
async def request_card(actor: CurrentActor, request_id: RecordId) -> Template:
    """A request's card with its steps."""
    return await _card(actor, request_id)


@post("/requests/{request_id:int}/{step:str}", include_in_schema=False)
async def request_step(
    request: Request[Any, Any, Any],
    actor: CurrentActor,
    request_id: RecordId,
    step: Annotated[str, PathParameter(pattern="^(take|return|accept|reject|convert)$")],
) -> Response[Any]:
    """Take, return, accept, reject or convert, from the card's buttons."""
    form = await read_form(request)
    try:
        if step == "take":
            await services.take(actor, request_id)
        elif step == "return":
            await services.return_for_rework(actor, request_id, str(form.get("reason", ""))[:2000])
        elif step == "accept":
            await services.accept(actor, request_id)
        elif step == "reject":
            await services.reject(actor, request_id, str(form.get("reason", ""))[:2000])
        else:
            chosen = str(form.get("client_id", ""))
            order_type = str(form.get("order_type_id", ""))
            data = ConvertIn(
                client_id=int(chosen) if chosen.isdigit() and len(chosen) < 10 else None,
                create_client=chosen == "new",
                order_type_id=int(order_type)
                if order_type.isdigit() and len(order_type) < 10
                else None,
            )
            done = await convert.convert(actor, request_id, data)
            return Redirect(f"/orders/{done.order_id}")
    except DomainError as error:
        if error.status_code == 404:
            raise
        return await _card(
            actor,
            request_id,
            errors_of(error),
            409 if error.status_code == 409 else 400,
        )
    return Redirect(f"/requests/{request_id}")


@get("/requests/{request_id:int}/photos/{file_id:str}", include_in_schema=False)
async def request_photo(actor: CurrentActor, request_id: RecordId, file_id: FileId) -> Stream:
    """A photo of a request in one's scope."""
    await access.request_row(actor, request_id)
    found = await public.photo_of(request_id, file_id)
    if found is None:
        raise NotFound("No such file")
    opened, content_type, name = found
    return streamed(opened, name, content_type)


handlers = [
    requests_page,
    new_request_page,
    new_request_submit,
    request_card,
    request_step,
    request_photo,
]
