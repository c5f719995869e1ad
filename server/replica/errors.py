"""What goes wrong in `servio replica`, told in words, and connections that say so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from server.db import connect
from server.dburl import DatabaseUrl, render

CONNECT_WITHIN = 10  # seconds to reach a server


class ReplicaError(Exception):
    """A replica command cannot go on; the message says why and what to do."""


@asynccontextmanager
async def connected(url: DatabaseUrl, role: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the server `role` names ("the primary"), or a ReplicaError saying that
    it does not answer (and why)."""
    try:
        conn = await connect(render(url), timeout=CONNECT_WITHIN)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error) or type(error).__name__
        raise ReplicaError(f"{role} ({url.shown()}) does not answer: {reason}") from None
    try:
        yield conn
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise ReplicaError(f"{role} ({url.shown()}): {error}") from None
    finally:
        conn.terminate()
