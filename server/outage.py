"""What a database outage looks like to a person: which errors mean "the database is away",
and the form a page sent, kept so that the "reconnecting" page can offer to send it again.

The first query of nearly every request is the session lookup in ActorMiddleware, before any
handler has read the body; so the body of a small form is read here, first, and replayed to
the app unchanged. Nothing is stored beyond the request.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import asyncpg
import procrastinate.exceptions
import psycopg
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

RETRY_AFTER = 10  # seconds: PostgreSQL restarts in a few; the page and the phone try again then
FORM_LIMIT = 64 * 1024  # bytes; bigger bodies are uploads, not typed text
FORM_TYPE = b"application/x-www-form-urlencoded"
KEPT = "servio_sent_form"

# Errors of a database that is away (stopped, restarting, unreachable, out of connections),
# as asyncpg (the app), psycopg (the job queue) and procrastinate raise them.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    OSError,  # refused, reset, no socket file, timeouts (TimeoutError is an OSError)
    asyncpg.PostgresConnectionError,  # 08xxx, the connection dropped mid-query
    asyncpg.OperatorInterventionError,  # 57P01 admin shutdown, 57P02 crash, 57P03 starting
    asyncpg.TooManyConnectionsError,
    asyncpg.InvalidCatalogNameError,  # 3D000: the database is gone for now (being restored)
    asyncpg.InternalClientError,  # a connection left mid-operation
    psycopg.OperationalError,
    procrastinate.exceptions.ConnectorException,
)
# asyncpg's InterfaceError also reports mistakes in our own code (a wrong argument count);
# only these texts are a connection that went away under the request.
OUTAGE_INTERFACE_TEXTS = (
    "connection is closed",
    "connection was closed",
    "another operation is in progress",
    "released back to the pool",
    "pool is closing",
)


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the database is away for now (trying again later may work)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return any(text in str(error) for text in OUTAGE_INTERFACE_TEXTS)
    return False


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return b""


def _keeps(scope: Scope) -> bool:
    """A small form a page POSTs, with its length announced."""
    if scope.get("method") != "POST":
        return False
    if not _header(scope, b"content-type").lower().startswith(FORM_TYPE):
        return False
    length = _header(scope, b"content-length")
    return length.isdigit() and int(length) <= FORM_LIMIT


class KeepSentForm(ASGIMiddleware):
    """Read a page's small form body before the app, note it in the scope, replay it."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if not _keeps(scope):
            await next_app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the browser went away
                await next_app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        scope.setdefault("state", {})[KEPT] = body  # type: ignore[typeddict-item]
        whole: ReceiveMessage = {"type": "http.request", "body": body, "more_body": False}
        await next_app(scope, _replay([whole], receive), send)


def _replay(messages: list[ReceiveMessage], receive: Receive) -> Receive:
    async def replay() -> ReceiveMessage:
        return messages.pop(0) if messages else await receive()

    return replay


def sent_form(scope: Scope) -> list[tuple[str, str]]:
    """The fields of the form this request sent (empty unless KeepSentForm kept it)."""
    body = scope.get("state", {}).get(KEPT)  # type: ignore[call-overload]
    if not isinstance(body, bytes):
        return []
    try:
        return parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=500)
    except (UnicodeDecodeError, ValueError):
        return []


def shown(name: str) -> bool:
    """Whether a kept field is shown on the page (never the token or a password)."""
    return not name.startswith("_") and "password" not in name.lower()
