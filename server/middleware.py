"""Per-request context: who is calling (from the session cookie), in which language; headers."""

from __future__ import annotations

from litestar.config.compression import CompressionConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.middleware.compression import CompressionMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from server import refcache
from server.auth import sessions
from server.config import get_settings
from server.i18n import current_language, normalize_language
from server.staff import services as staff
from server.staff.validation import ip_allowed

LANGUAGE_COOKIE = "servio_lang"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def client_ip(scope: Scope) -> str:
    """The caller's address as the ASGI server saw it (proxy headers are the server's job)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


def _cookie(scope: Scope, name: str) -> str:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                cookie_name, _, cookie_value = part.strip().partition("=")
                if cookie_name == name:
                    return cookie_value
    return ""


NO_SESSION_PATHS = ("/static/", "/health", "/sw.js", "/favicon.ico")


def _needs_no_session(scope: Scope) -> bool:
    return str(scope.get("path", "")).startswith(NO_SESSION_PATHS)


class ActorMiddleware(ASGIMiddleware):
    """Resolve the session cookie into an Actor (or None) and set the request language."""

    scopes = (ScopeType.HTTP,)
    should_bypass_for_scope = staticmethod(_needs_no_session)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        marks = refcache.start_request()
        try:
            await self._handle(scope, receive, send, next_app)
        finally:
            refcache.end_request(marks)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        settings = get_settings()
        ip = client_ip(scope)
        actor = None
        state = scope.setdefault("state", {})  # type: ignore[typeddict-item]
        # Said before the session is looked up: a database outage answers in this language.
        scope["user"] = None
        chosen = _cookie(scope, LANGUAGE_COOKIE)
        current_language.set(normalize_language(chosen or settings.default_language))
        token = _cookie(scope, settings.session_cookie)
        if token:
            live = await sessions.resolve(token)
            if live is not None:
                state["session_hash"] = live.token_hash  # what the CSRF token is bound to
                actor = await staff.load_actor(live.employee_id, session_id=live.token_hash, ip=ip)
            if actor is not None and not ip_allowed(ip, actor.ip_allowlist):
                state["ip_denied"] = True
                actor = None
        scope["user"] = actor
        if actor is not None:
            current_language.set(normalize_language(actor.language or settings.default_language))
        await next_app(scope, receive, send)


# The app's own files keep the static router's policy; the service worker and the manifest set
# theirs. Everything else is about someone (pages, API answers, PDFs, files, the pull) or holds
# a CSRF token, and must not stay in a shared or the browser's cache after logout.
CACHEABLE_PATHS = ("/static/",)


async def security_headers(message: Message, scope: Scope) -> None:
    """Add the security headers to every HTTP response."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "cache-control" not in headers and not str(scope.get("path", "")).startswith(
        CACHEABLE_PATHS
    ):
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    if "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""):
        headers["X-Frame-Options"] = "DENY"  # a page that names its frame-ancestors (the
        # public request form) is framed by exactly those; X-Frame-Options would refuse all
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
    if scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = "max-age=31536000"


# Only responses that carry no secret are compressed: a page holds the CSRF token next to what
# the user typed, and compressing the two together leaks the token by size (BREACH).
COMPRESSED_PATHS = ("/static/", "/sw.js", "/manifest.webmanifest", "/api/v1/sync/pull")


class PublicCompression(CompressionMiddleware):
    """gzip for the app's own files and the field app's pull, nothing else."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope.get("path", "")).startswith(COMPRESSED_PATHS):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)


COMPRESSION = CompressionConfig(
    backend="gzip", gzip_compress_level=6, minimum_size=1024, middleware_class=PublicCompression
)
