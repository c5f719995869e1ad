"""The audit log page: filters by employee, kind of record and period, errors by the field."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import QueryParameter
from litestar.response import Template

from server.actor import Actor
from server.audit import services
from server.audit.filters import AuditFilters, clean_filters
from server.audit.labels import ENTITY_LABELS
from server.audit.present import ShownEntry, present
from server.errors import InvalidInput
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import Cursor
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.web.forms import errors_of
from server.web.templating import page_context

Text50 = Annotated[str, QueryParameter(max_length=50)]
PAGE = 50


@get("/audit", include_in_schema=False)
async def audit_page(
    actor: CurrentActor,
    employee: Text50 = "",
    entity: Text50 = "",
    entity_id: Text50 = "",
    since: Text50 = "",
    until: Text50 = "",
    cursor: Cursor = None,
) -> Template:
    """Newest changes first, filterable by who, which kind of record and which days."""
    actor.require(Section.AUDIT, Action.VIEW)
    asked = {"employee": employee, "entity": entity, "entity_id": entity_id}
    asked |= {"since": since, "until": until}
    try:
        filters = clean_filters(**asked)
    except InvalidInput as error:
        return await _page(actor, asked, [], None, errors_of(error), 400)
    rows, next_cursor = await services.matching(actor, filters, cursor, PAGE)
    return await _page(actor, asked, await present(actor, rows), next_cursor, {}, 200, filters)


async def _page(
    actor: Actor,
    asked: dict[str, str],
    entries: list[ShownEntry],
    next_cursor: int | None,
    errors: dict[str, str],
    status: int,
    filters: AuditFilters | None = None,
) -> Template:
    kinds = sorted(
        ((code, gettext(label)) for code, label in ENTITY_LABELS.items()), key=lambda k: k[1]
    )
    people = sorted((await staff.names()).items(), key=lambda p: p[1])
    query = {k: v for k, v in asked.items() if v}
    context = page_context(
        actor,
        entries=entries,
        next_cursor=next_cursor,
        asked=asked,
        query=query,
        kinds=kinds,
        people=people,
        errors=errors,
        filtered=bool(query),
        record=filters.entity_id if filters else None,
    )
    return Template("audit/list.html", context=context, status_code=status)
