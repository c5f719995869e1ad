"""Guards and dependencies that make every non-public handler require a logged-in employee."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from server.actor import Actor
from server.errors import Forbidden, NotAuthenticated


def _actor_or_raise(connection: ASGIConnection) -> Actor:
    actor = connection.scope.get("user")
    if isinstance(actor, Actor):
        return actor
    if connection.scope.get("state", {}).get("ip_denied"):
        raise Forbidden("Access from your address is not allowed for this account")
    raise NotAuthenticated("Log in to continue")


def require_login(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Refuse anonymous callers unless the handler is marked public (opt={"public": True})."""
    if handler.opt.get("public") or connection.scope.get("method") == "OPTIONS":
        return
    _actor_or_raise(connection)


async def provide_actor(request: ASGIConnection) -> Actor:
    """The Actor of the request, for handlers that declare `actor: Actor`."""
    return _actor_or_raise(request)


CurrentActor = NamedDependency[Actor]
