"""CSRF protection bound to the session, checked for every unsafe request in one middleware.

A logged-in employee's token is an HMAC of the session (its stored hash) under the server's
secret: every answer for one session yields the same token, so two answers racing each other
(a page, the field app's pull, the login) can never leave a cookie the next form does not
match, and a token of one session is worthless with another session's cookie. Forms carry it
in `_csrf_token`, scripts read the `csrftoken` cookie right before each request and send it
as `X-CSRFToken`.

Before login there is no session to bind to: an anonymous page (the login and status forms)
gets a signed random token, set as a cookie by the HTML answer that hands it out and by
nothing else, so answers to requests the browser sent without cookies (an API call, the
service worker) never replace it. A form is accepted when the token it sends is the cookie's.

Browsers also say where an unsafe request comes from (`Sec-Fetch-Site`, else `Origin`): a
request from another site is refused before any token is looked at, the login API included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from server.config import get_settings
from server.errors import Forbidden, UnsupportedMediaType

COOKIE = "csrftoken"
HEADER = b"x-csrftoken"
FORM_FIELD = "_csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FAILED = "CSRF token verification failed"  # errors.py turns this into "the form has expired"
_NONCE_HEX = 32
_MAC_HEX = 64


def _mac(purpose: str, value: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _same(a: str, b: str) -> bool:
    """Constant-time equality of two texts of any characters."""
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def session_token(session_hash: str) -> str:
    """The one CSRF token of a session (given by its stored token hash)."""
    return _mac("csrf-session", session_hash)


def anonymous_token() -> str:
    """A fresh signed token for a visitor with no session."""
    nonce = secrets.token_hex(_NONCE_HEX // 2)
    return nonce + _mac("csrf-anonymous", nonce)


def is_anonymous_token(token: str) -> bool:
    """Whether `token` is an anonymous token this server signed."""
    if len(token) != _NONCE_HEX + _MAC_HEX:
        return False
    nonce, mac = token[:_NONCE_HEX], token[_NONCE_HEX:]
    return _same(mac, _mac("csrf-anonymous", nonce))


def token_cookie(token: str, *, secure: bool) -> Cookie:
    """The `csrftoken` cookie scripts read (so not HttpOnly)."""
    return Cookie(key=COOKIE, value=token, path="/", samesite="lax", secure=secure, httponly=False)


def _headers(scope: Scope) -> dict[bytes, str]:
    return {key: value.decode("latin-1") for key, value in scope.get("headers", [])}


def _cookie(header: str, name: str) -> str:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def from_this_site(scope: Scope) -> bool:
    """False when the browser says the request was made by another site's page."""
    headers = _headers(scope)
    site = headers.get(b"sec-fetch-site", "").strip().lower()
    if site:
        return site in ("same-origin", "none")
    origin = headers.get(b"origin", "").strip().lower()
    if not origin:
        return True  # no browser told where it came from: the token (or JSON-only) decides
    hosts = {headers.get(b"host", ""), headers.get(b"x-forwarded-host", "").split(",")[0]}
    return origin != "null" and urlsplit(origin).netloc in {h.strip().lower() for h in hosts if h}


def refuse_other_sites(scope: Scope) -> None:
    """Raise 403 for an unsafe request made by another site's page."""
    if not from_this_site(scope):
        raise Forbidden("This request came from another site and was refused. Open Servio itself")


def require_json(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard: the body must be declared JSON. A page of another site can send text/plain and
    form bodies without asking, but `application/json` only through CORS, which we do not
    allow; so a JSON-only handler cannot be called by another site's form."""
    content_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise UnsupportedMediaType("Send the request body as JSON (Content-Type: application/json)")


async def _sent_tokens(scope: Scope, receive: Receive) -> list[str]:
    """The header token and the form field token, whichever were sent."""
    tokens = [value.decode("latin-1") for key, value in scope["headers"] if key == HEADER]
    content_type = _headers(scope).get(b"content-type", "").split(";")[0].strip().lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        form = await request.form()  # kept in the scope: the handler reads the same form
        value = form.get(FORM_FIELD)
        if isinstance(value, str):
            tokens.append(value)
    return [token for token in tokens if token]


def _needs_token(scope: Scope, *, has_session: bool) -> bool:
    """Whether an unsafe request must carry the token. Without a session only public handlers
    do: the others refuse an anonymous caller anyway, with a 401 that sends a page to the login
    and tells the field app to log in again (a session that just ended is no stale form)."""
    handler = scope.get("route_handler")
    opt = handler.opt if handler is not None else {}
    if opt.get("exclude_from_csrf"):
        return False
    return has_session or bool(opt.get("public"))


class CSRFMiddleware(ASGIMiddleware):
    """Check the token of unsafe requests; give pages and scripts the current token."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, bypass: tuple[str, ...] = ()) -> None:
        self.bypass = bypass

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        path = str(scope.get("path", ""))
        if path.startswith(self.bypass) and scope.get("method") in SAFE_METHODS:
            await next_app(scope, receive, send)
            return
        session_hash = scope.get("state", {}).get("session_hash")
        cookie = _cookie(_headers(scope).get(b"cookie", ""), COOKIE)
        if session_hash:
            expected: str | None = session_token(session_hash)
        else:
            expected = cookie if is_anonymous_token(cookie) else None
        if scope.get("method") not in SAFE_METHODS:
            refuse_other_sites(scope)
            if _needs_token(scope, has_session=bool(session_hash)):
                sent = await _sent_tokens(scope, receive)
                if expected is None or not any(_same(token, expected) for token in sent):
                    raise PermissionDeniedException(FAILED)
        token = expected or anonymous_token()
        ScopeState.from_scope(scope).csrf_token = token
        secure = scope.get("scheme") == "https"
        # A session's token goes out with any answer that finds the cookie different; an
        # anonymous one only with the page that shows it.
        only_pages = not session_hash

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and cookie != token:
                _set_cookie(message, token, secure=secure, only_pages=only_pages)
            await send(message)

        await next_app(scope, receive, send_with_cookie)


def _set_cookie(message: Any, token: str, *, secure: bool, only_pages: bool) -> None:
    headers = MutableScopeHeaders.from_message(message)
    if any(value.startswith(f"{COOKIE}=") for value in headers.getall("set-cookie", [])):
        return  # the handler set the token itself (login, password change)
    if only_pages and not headers.get("content-type", "").startswith("text/html"):
        return
    headers.add("set-cookie", token_cookie(token, secure=secure).to_header(header=""))
