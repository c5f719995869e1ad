"""The audit log page."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import QueryParameter
from litestar.response import Template

from server.audit import services
from server.guards import CurrentActor
from server.params import Cursor
from server.web.templating import page_context

Text50 = Annotated[str, QueryParameter(max_length=50)]


@get("/audit", include_in_schema=False)
async def audit_page(
    actor: CurrentActor, entity: Text50 = "", entity_id: Text50 = "", cursor: Cursor = None
) -> Template:
    """Newest changes first, filterable by record."""
    rows, next_cursor = await services.list_entries(
        actor, entity=entity or None, entity_id=entity_id or None, before_id=cursor, limit=50
    )
    context = page_context(
        actor, entries=rows, next_cursor=next_cursor, entity=entity, entity_id=entity_id
    )
    return Template("audit/list.html", context=context)
