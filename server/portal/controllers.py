"""Public HTTP endpoints and pages (no login)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.response import Template

from server.dispatch import api as dispatch
from server.documents import api as documents
from server.errors import DomainError
from server.i18n import gettext
from server.middleware import client_ip
from server.orders import api as orders
from server.orders.schemas import StatusLookupIn, StatusLookupOut
from server.portal.numbers import canonical_number
from server.web.forms import read_form
from server.web.templating import page_context

Short = Annotated[str, QueryParameter(max_length=30)]


@post(
    "/api/v1/public/status",
    opt={"public": True, "exclude_from_csrf": True},
    status_code=200,
    tags=["public"],
)
async def status_lookup(
    request: Request[Any, Any, Any], data: JSONBody[StatusLookupIn]
) -> StatusLookupOut:
    """Order status by number and receipt code; the same answer when either is wrong."""
    return await _lookup(data.number, data.code, client_ip(request.scope))


async def _lookup(number: str, code: str, ip: str) -> StatusLookupOut:
    """The order's status with its next visit's planned arrival window, if one is planned (the
    number as customers type it: with or without the dash)."""
    result, order_id = await orders.status_lookup_order(canonical_number(number), code, ip)
    if order_id is not None:
        window = await dispatch.arrival_window(order_id)
        if window is not None:
            result.visit_day = window.day
            result.visit_window_start = window.window_start
            result.visit_window_end = window.window_end
    return result


@get("/status", opt={"public": True}, include_in_schema=False)
async def status_page(
    request: Request[Any, Any, Any], number: Short = "", code: Short = ""
) -> Template:
    """The customer's status page; the receipt's QR code opens it with the number and code,
    which prove the customer holds the receipt: the answer is shown at once (throttled and
    neutral for a wrong pair like the form)."""
    if number.strip() and code.strip():
        return await _answer(request, number, code)
    return await _page(number, code, None, None)


@post("/status", opt={"public": True}, include_in_schema=False)
async def status_page_submit(request: Request[Any, Any, Any]) -> Template:
    """Look the order up from the form."""
    form = await read_form(request)
    return await _answer(request, str(form.get("number", "")), str(form.get("code", "")))


async def _answer(request: Request[Any, Any, Any], number: str, code: str) -> Template:
    number, code = number[:30], code[:20]
    result, error, status_code = None, None, 200
    try:
        result = await _lookup(number, code, client_ip(request.scope))
    except DomainError as failure:
        error, status_code = failure.text(), failure.status_code
    if result is not None and not result.found:
        error = gettext("No order with this number and code. Check both against the receipt")
    return await _page(number, code, result, error, status_code)


async def _page(
    number: str,
    code: str,
    result: StatusLookupOut | None,
    error: str | None,
    status_code: int = 200,
) -> Template:
    context = page_context(
        None,
        number=number,
        code=code,
        result=result,
        error=error,
        center=await documents.center_contacts(),
    )
    return Template("portal/status.html", context=context, status_code=status_code)


handlers = [status_lookup]
page_handlers = [status_page, status_page_submit]
