"""Domain errors and the one mapping that turns them into 4xx answers a person can act on."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from server import outage
from server.i18n import N_, current_language, gettext

log = logging.getLogger("servio.errors")


class DomainError(Exception):
    """Base of the errors services raise; `message` is an English id translated on the way out."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params

    def text(self) -> str:
        """The message in the language of the current request."""
        return gettext(self.message, **self.params)


class InvalidInput(DomainError):
    """The input breaks a rule; `field` names the field to show it next to."""

    status_code = 422


class NotFound(DomainError):
    """No such record, or the caller may not know it exists."""

    status_code = 404


class NotAuthenticated(DomainError):
    """No valid session."""

    status_code = 401


class Forbidden(DomainError):
    """The caller may not do this."""

    status_code = 403


class UnsupportedMediaType(DomainError):
    """The body is not in the format the endpoint takes."""

    status_code = 415


class Conflict(DomainError):
    """The record changed or the value is taken."""

    status_code = 409


class Unavailable(DomainError):
    """A part the request needs is down for now: trying again later may work."""

    status_code = 503


class TooManyRequests(DomainError):
    """Throttled; `retry_after` seconds until the next try may work."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after


def error_body(message: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The JSON shape of every error answer."""
    return {"detail": message, "errors": errors or []}


JSON_PATHS = ("/api/", "/schema", "/health")


def wants_html(request: Request) -> bool:
    """True for page requests (a browser's), false for the JSON API."""
    return not request.url.path.startswith(JSON_PATHS)


def html_error(request: Request, status_code: int, message: str) -> Response:
    """The error page, or for an anonymous visitor of a page, the login page."""
    if status_code == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return Redirect(f"/login?next={target}")
    return Template(
        template_name="error.html",
        context={
            "status_code": status_code,
            "message": message,
            "actor": request.scope.get("user"),
            "lang": current_language.get(),
        },
        status_code=status_code,
    )


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    """Render a domain error as JSON with the field it concerns (or as an error page)."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else {}
    if isinstance(exc, Unavailable):  # a part that is away (the file store, the job queue)
        headers = {"Retry-After": "30"}
    if wants_html(request):
        page = html_error(request, exc.status_code, exc.text())
        page.headers.update(headers)
        return page
    errors = [{"field": exc.field, "message": exc.text()}] if exc.field else []
    return Response(
        error_body(exc.text(), errors),
        status_code=exc.status_code,
        media_type=MediaType.JSON,
        headers=headers,
    )


_MSGSPEC_MESSAGES = (
    ("Object missing required field", N_("Required field is missing")),
    ("Expected `str`", N_("Expected text")),
    ("Expected `int`", N_("Expected a whole number")),
    ("Expected `bool`", N_("Expected true or false")),
    ("Expected `array`", N_("Expected a list")),
    ("Expected `object`", N_("Expected an object")),
    ("Expected `str` of length <=", N_("Too long")),
    ("Expected `str` of length >=", N_("Too short")),
    ("Expected `array` of length <=", N_("Too many items")),
    ("Object contains unknown field", N_("Unknown field")),
    ("Invalid enum value", N_("Unknown value")),
    ("Expected `int` >=", N_("Too small")),
    ("Expected `int` <=", N_("Too large")),
)


def _human(message: str) -> str:
    """A translated message for a msgspec validation text (longest known prefix wins)."""
    best = ""
    human = N_("Invalid value")
    for prefix, text in _MSGSPEC_MESSAGES:
        if message.startswith(prefix) and len(prefix) > len(best):
            best, human = prefix, text
    return gettext(human)


def _field_name(item: dict[str, Any]) -> str:
    key = str(item.get("key") or "")
    message = str(item.get("message", ""))
    # msgspec puts the path in the message: "... - at `$.roles[0]`"
    if " - at `$." in message:
        return message.rsplit(" - at `$.", 1)[1].rstrip("`")
    if "required field `" in message:
        return message.split("required field `", 1)[1].split("`", 1)[0]
    if "unknown field `" in message:
        return message.split("unknown field `", 1)[1].split("`", 1)[0]
    return key


def validation_error_handler(request: Request, exc: ValidationException) -> Response:
    """Litestar's body/query validation errors, field by field, in the user's language."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            errors.append({"field": _field_name(item), "message": _human(message)})
    if not errors and exc.detail and "JSON" in str(exc.detail):
        errors.append({"field": "", "message": gettext("The request body is not valid JSON")})
    return Response(
        error_body(gettext("Check the highlighted fields"), errors),
        status_code=400,
        media_type=MediaType.JSON,
    )


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    """Framework HTTP errors (404 route, 405, CSRF 403...) as the same JSON shape."""
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        message = gettext("The form has expired. Reload the page and try again")
    elif isinstance(exc, NotAuthorizedException):
        message = gettext("Log in to continue")
    elif exc.status_code == 404:
        message = gettext("Not found")
    elif exc.status_code == 405:
        message = gettext("This method is not allowed here")
    else:
        message = gettext(str(exc.detail)) if exc.detail else gettext("Request refused")
    if wants_html(request):
        return html_error(request, exc.status_code, message)
    return Response(
        error_body(message),
        status_code=exc.status_code,
        media_type=MediaType.JSON,
        headers=exc.headers or {},
    )


def internal_error_handler(request: Request, exc: Exception) -> Response:
    """Anything unexpected: log it with the trace, show the person no trace."""
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if wants_html(request):
        return html_error(
            request, 500, gettext("Something went wrong on the server. The error has been logged")
        )
    return Response(
        error_body(gettext("Something went wrong on the server. The error has been logged")),
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
        media_type=MediaType.JSON,
    )


def data_error_handler(request: Request, exc: asyncpg.DataError) -> Response:
    """A value PostgreSQL cannot store (a NUL character, a number out of range)."""
    log.warning("refused input on %s %s: %s", request.method, request.url.path, exc)
    message = gettext("The input holds a value that cannot be stored (for example a NUL character)")
    if wants_html(request):
        return html_error(request, 400, message)
    return Response(error_body(message), status_code=400, media_type=MediaType.JSON)


def database_down_handler(request: Request, exc: Exception) -> Response:
    """The database does not answer: a temporary 503, not a server bug. A page says the
    system is reconnecting and tries again by itself; a sent form comes back filled in."""
    if not outage.is_outage(exc):  # an InterfaceError of our own making
        return internal_error_handler(request, exc)
    log.error("database unavailable on %s %s: %r", request.method, request.url.path, exc)
    headers = {"Retry-After": str(outage.RETRY_AFTER)}
    if wants_html(request):
        form = outage.sent_form(request.scope)
        return Template(
            template_name="outage.html",
            context={
                "actor": request.scope.get("user"),
                "lang": current_language.get(),
                "retry_after": outage.RETRY_AFTER,
                "method": request.method,
                "path": request.url.path,
                "form": form,
                "form_shown": [(name, value) for name, value in form if outage.shown(name)],
            },
            status_code=503,
            headers=headers,
        )
    message = gettext("The database is not answering. Try again in a minute")
    return Response(
        error_body(message), status_code=503, media_type=MediaType.JSON, headers=headers
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    **{error: database_down_handler for error in outage.OUTAGE_ERRORS},
    asyncpg.InterfaceError: database_down_handler,  # only a connection gone away is a 503
    asyncpg.DataError: data_error_handler,
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
