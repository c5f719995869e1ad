"""HTTP API of the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter

from server.audit import services
from server.guards import CurrentActor
from server.params import Cursor, Limit


class AuditEntryOut(msgspec.Struct):
    """One audit entry."""

    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any]
    ip: str


class AuditPage(msgspec.Struct):
    """A page of audit entries."""

    items: list[AuditEntryOut]
    next: int | None


Text50 = Annotated[str | None, QueryParameter(max_length=50)]


class AuditController(Controller):
    """Reading the audit log (admins)."""

    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/")
    async def list_entries(
        self,
        actor: CurrentActor,
        entity: Text50 = None,
        entity_id: Text50 = None,
        actor_id: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AuditPage:
        """Newest first; filter by record or by who made the change."""
        rows, next_cursor = await services.list_entries(
            actor,
            entity=entity,
            entity_id=entity_id,
            actor_id=actor_id,
            before_id=cursor,
            limit=limit,
        )
        items = [
            AuditEntryOut(
                id=r["id"],
                at=r["at"],
                actor_id=r["actor"],
                actor_name=r["actor_name"],
                entity=r["entity"],
                entity_id=r["entity_id"],
                action=r["action"],
                changes=r["changes"] or {},
                ip=r["ip"],
            )
            for r in rows
        ]
        return AuditPage(items=items, next=next_cursor)
