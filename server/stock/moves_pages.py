"""The moves ledger page (/stock/moves): every move of the warehouses one sees, by warehouse,
item, document kind and period, with its export. The same service as the API, so the same
gate; the form sends its empty fields as empty values, which are no filter."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from litestar import get
from litestar.params import QueryParameter
from litestar.response import Template

from server.errors import InvalidInput, NotFound
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import Cursor, Search
from server.staff.permissions import Action, Section
from server.stock import moves, warehouses
from server.stock.choices import DOCUMENT_LABELS
from server.stock.moves import MoveFilters
from server.web.forms import errors_of
from server.web.templating import page_context

Value = Annotated[str, QueryParameter(max_length=20)]


def _day(value: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = gettext("Enter a date like 2026-11-23")
        return None


@get("/stock/moves", include_in_schema=False)
async def moves_page(
    actor: CurrentActor,
    q: Search = "",
    warehouse_id: Value = "",
    item_id: Value = "",
    kind: Value = "",
    date_from: Value = "",
    date_to: Value = "",
    cursor: Cursor = None,
) -> Template:
    """The moves ledger, newest first, a page at a time."""
    errors: dict[str, str] = {}
    filters = MoveFilters(
        q=q,
        warehouse_id=int(warehouse_id) if warehouse_id.isdigit() else None,
        item_id=int(item_id) if item_id.isdigit() else None,
        kind=kind if kind in DOCUMENT_LABELS else None,
        date_from=_day(date_from, "date_from", errors),
        date_to=_day(date_to, "date_to", errors),
    )
    try:
        found, before = await moves.list_moves(actor, filters, before=cursor or 0)
    except (InvalidInput, NotFound) as error:
        errors |= errors_of(error)
        filters = MoveFilters()
        found, before = await moves.list_moves(actor, filters)
    query = {
        "q": filters.q,
        "warehouse_id": filters.warehouse_id or "",
        "item_id": filters.item_id or "",
        "kind": filters.kind or "",
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
    }
    chosen = {k: v for k, v in query.items() if v}
    context = page_context(
        actor,
        moves=found,
        next=before,
        query=query,
        query_string=urlencode(chosen),
        warehouses=await warehouses.list_warehouses(actor),
        kinds=DOCUMENT_LABELS,
        can_export=actor.can(Section.STOCK, Action.EXPORT),
        errors=errors,
    )
    return Template("stock/moves.html", context=context, status_code=400 if errors else 200)


handlers = [moves_page]
