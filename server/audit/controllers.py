"""HTTP API of the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import QueryParameter

from server.audit import services
from server.audit.filters import clean_filters
from server.audit.present import present
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
    entity_name: str
    action_name: str
    title: str
    url: str | None


class AuditPage(msgspec.Struct):
    """A page of audit entries."""

    items: list[AuditEntryOut]
    next: int | None


Text50 = Annotated[str | None, QueryParameter(max_length=50)]
Day = Annotated[dt.date | None, QueryParameter(description="A day of the center, YYYY-MM-DD")]


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
        since: Day = None,
        until: Day = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AuditPage:
        """Newest first; filter by record, by who made the change and by the center's days
        (`until` included); only what the caller may see of each record."""
        filters = clean_filters(
            str(actor_id or ""),
            entity or "",
            entity_id or "",
            since.isoformat() if since else "",
            until.isoformat() if until else "",
        )
        rows, next_cursor = await services.matching(actor, filters, cursor, limit)
        items = [
            AuditEntryOut(
                id=e.id,
                at=e.at,
                actor_id=e.author_id,
                actor_name=e.author,
                entity=e.entity,
                entity_id=e.entity_id,
                action=e.action,
                changes=e.values,
                ip=e.ip,
                entity_name=e.entity_label,
                action_name=e.action_label,
                title=e.title,
                url=e.url,
            )
            for e in await present(actor, rows)
        ]
        return AuditPage(items=items, next=next_cursor)
