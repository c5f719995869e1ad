"""Pages of the customer cabinet (public): ask for a link (/my), open it (/my/link/<token>),
«my requests and orders» (/my/orders), leave (/my/logout)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Template

from server.cabinet import services
from server.errors import InvalidInput, TooManyRequests
from server.middleware import client_ip
from server.web.forms import errors_of, read_form
from server.web.templating import page_context

Token = Annotated[str, PathParameter(max_length=200)]
Number = Annotated[str, PathParameter(max_length=30)]
PUBLIC = {"public": True}
LINK = {"public": True, "exclude_from_csrf": True}  # the token in the path is the secret


def _ask_page(contact: str, errors: dict[str, str], sent: bool, status: int = 200) -> Template:
    context = page_context(None, contact=contact, errors=errors, sent=sent)
    return Template("cabinet/ask.html", context=context, status_code=status)


@get("/my", opt=PUBLIC, include_in_schema=False)
async def ask_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Ask for a link by email or phone (or, with a session, go to one's orders)."""
    if await services.session_of(request.cookies.get(services.COOKIE, "")) is not None:
        return Redirect("/my/orders")
    return _ask_page("", {}, False)


@post("/my", opt=PUBLIC, include_in_schema=False, status_code=200)
async def ask_submit(request: Request[Any, Any, Any]) -> Template:
    """Send the link if the contact is a client's; the same page either way."""
    form = await read_form(request)
    contact = str(form.get("contact", ""))[:254]
    try:
        await services.ask_link(contact, client_ip(request.scope))
    except InvalidInput as error:
        return _ask_page(contact, errors_of(error), False, 422)
    except TooManyRequests as error:
        return _ask_page(contact, {"": error.text()}, False, 429)
    return _ask_page("", {}, True)


@get("/my/link/{token:str}", opt=PUBLIC, include_in_schema=False)
async def link_page(token: Token) -> Template:
    """The link's page: one button opens the session (a mail scanner spends nothing)."""
    works = await services.link_works(token)
    context = page_context(None, token=token, works=works)
    return Template("cabinet/link.html", context=context, status_code=200 if works else 404)


@post("/my/link/{token:str}", opt=LINK, include_in_schema=False)
async def link_open(request: Request[Any, Any, Any], token: Token) -> Response[Any]:
    """Spend the link, start the customer's session, show their orders."""
    session = await services.open_session(token)
    if session is None:
        context = page_context(None, token=token, works=False)
        return Template("cabinet/link.html", context=context, status_code=404)
    cookie = Cookie(
        key=services.COOKIE,
        value=session,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/my",
        max_age=int(services.SESSION_LIFETIME.total_seconds()),
    )
    return Redirect("/my/orders", cookies=[cookie])


@get("/my/orders", opt=PUBLIC, include_in_schema=False)
async def orders_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The customer's current and past orders (and requests)."""
    session = await services.session_of(request.cookies.get(services.COOKIE, ""))
    if session is None:
        return Redirect("/my")
    context = page_context(None, cabinet=await services.cabinet(session))
    return Template("cabinet/orders.html", context=context)


@post("/my/requests/{number:str}", opt=PUBLIC, include_in_schema=False)
async def open_request(request: Request[Any, Any, Any], number: Number) -> Redirect:
    """Open one of the session's requests through a private link made for this visit."""
    session = await services.session_of(request.cookies.get(services.COOKIE, ""))
    link = None if session is None else await services.request_link(session, number)
    return Redirect(link or "/my/orders")


@post("/my/logout", opt=PUBLIC, include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    """End the customer's session."""
    await services.close_session(request.cookies.get(services.COOKIE, ""))
    gone = Cookie(key=services.COOKIE, value="", max_age=0, path="/my", httponly=True)
    return Redirect("/my", cookies=[gone])


handlers = [ask_page, ask_submit, link_page, link_open, orders_page, open_request, logout]
