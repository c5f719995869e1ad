"""The requester's pages (no login): the request form (/request), embeddable in the center's
own site, and the private link (/r/<token>) to follow the request and complete it."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Stream, Template

from server.errors import DomainError, NotFound
from server.files.serve import streamed
from server.middleware import client_ip
from server.params import Flag
from server.requests import antispam, assign, embedding, fields, public, services
from server.requests.choices import Channel
from server.requests.schemas import PublicRequestIn, RequestFields
from server.web.forms import FormError, convert, errors_of
from server.web.templating import page_context

Token = Annotated[str, PathParameter(max_length=4000)]  # a longer guess: the neutral 404 too
FileId = Annotated[str, PathParameter(max_length=40)]
FORM_BODY_LIMIT = 16 * 1024 * 1024  # five photos of up to 5 MB each would not fit: 15 MB in all
TEXT_FIELDS = tuple(
    k for k in RequestFields.__struct_fields__ if k not in ("custom", "problem_class_id")
)


async def read_posted(
    request: Request[Any, Any, Any],
) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The posted fields (custom ones as custom.<code>) and the photos."""
    form = await request.form()
    values: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    photos: list[tuple[str, bytes]] = []
    for key in form:
        if key == "photos":
            for item in form.getall(key):
                if isinstance(item, UploadFile) and item.filename:
                    photos.append((item.filename, await item.read()))
            continue
        value = form.get(key)
        if not isinstance(value, str):
            continue
        if key.startswith("custom."):
            custom[key.removeprefix("custom.")] = value
        else:
            values[key] = value
    values["custom"] = custom
    return values, photos


def fields_of(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {k: values.get(k, "") for k in TEXT_FIELDS}
    for key in ("preferred_day", "preferred_from", "preferred_to"):
        data[key] = data[key] or None
    problem_class = str(values.get("problem_class_id", ""))
    data["problem_class_id"] = (
        int(problem_class) if problem_class.isdigit() and len(problem_class) < 10 else None
    )
    data["custom"] = {k: v for k, v in values.get("custom", {}).items() if v != ""}
    return data


async def _form_page(values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Template:
    context = page_context(
        None,
        values=values,
        errors=errors,
        stamp=antispam.form_stamp(),
        honeypot=antispam.HONEYPOT,
        custom_fields=await fields.custom_fields(),
        problem_classes=await _problem_classes(),
        max_photos=services.MAX_PHOTOS,
    )
    return Template(
        "requests/public_form.html",
        context=context,
        status_code=status,
        headers=embedding.form_headers(),
    )


async def _problem_classes() -> list[Any]:
    return await assign.problem_classes()


@get("/request", opt={"public": True}, include_in_schema=False)
async def request_form() -> Template:
    """The public request form."""
    return await _form_page({"custom": {}}, {})


@post(
    "/request",
    opt={"public": True, "exclude_from_csrf": True},
    include_in_schema=False,
    request_max_body_size=FORM_BODY_LIMIT,
)
async def request_submit(request: Request[Any, Any, Any]) -> Template:
    """Send the form: honeypot and fill time checked, throttled per address; the confirmation
    page shows the number and the private link (also sent by email)."""
    values, photos = await read_posted(request)
    try:
        antispam.check_form(str(values.get("stamp", "")), str(values.get(antispam.HONEYPOT, "")))
        data = convert(fields_of(values), PublicRequestIn)
        row, token = await services.create(
            data, channel=Channel.WEBSITE, ip=client_ip(request.scope), photos=photos
        )
    except (DomainError, FormError) as error:
        status = error.status_code if isinstance(error, DomainError) else 400
        return await _form_page(values, errors_of(error), status if status in (429, 503) else 400)
    context = page_context(
        None, number=row["number"], link=services.link_of(token), email=row["email"]
    )
    return Template("requests/public_sent.html", context=context, headers=embedding.form_headers())


def _neutral() -> NotFound:
    return NotFound("This link does not work. Check it against the message you received")


@get("/r/{token:str}", opt={"public": True}, include_in_schema=False)
async def follow_page(token: Token, saved: Flag = False) -> Template:
    """The request as its sender follows it; a wrong link gets the same neutral page."""
    found = await public.view(token)
    if found is None:
        raise _neutral()
    return _follow(token, found, {}, {}, notice="saved" if saved else "")


def _follow(
    token: str,
    found: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    notice: str = "",
    status: int = 200,
) -> Template:
    context = page_context(
        None,
        token=token,
        found=found,
        values=values or found.fields,
        errors=errors,
        saved=notice == "saved",
        max_photos=services.MAX_PHOTOS,
    )
    return Template("requests/public_follow.html", context=context, status_code=status)


@post(
    "/r/{token:str}",
    opt={"public": True},
    include_in_schema=False,
    request_max_body_size=FORM_BODY_LIMIT,
)
async def follow_complete(request: Request[Any, Any, Any], token: Token) -> Response[Any]:
    """The requester's corrections of a returned request: back into review."""
    values, photos = await read_posted(request)
    try:
        data = convert(fields_of(values), RequestFields)
        found = await public.complete(token, data, photos)
    except (DomainError, FormError) as error:
        current = await public.view(token)
        if current is None:
            raise _neutral() from None
        conflict = isinstance(error, DomainError) and error.status_code == 409
        shown = {**current.fields, **values}
        return _follow(token, current, shown, errors_of(error), status=409 if conflict else 400)
    if found is None:
        raise _neutral()
    return Redirect(f"/r/{token}?saved=1")


@get("/r/{token:str}/photos/{file_id:str}", opt={"public": True}, include_in_schema=False)
async def follow_photo(token: Token, file_id: FileId) -> Stream:
    """A photo of the request the link is of."""
    found = await public.photo(token, file_id)
    if found is None:
        raise _neutral()
    opened, content_type, name = found
    return streamed(opened, name, content_type)


handlers = [request_form, request_submit, follow_page, follow_complete, follow_photo]
