"""Stock pages: levels (/stock), an item's card with its history, documents and the form to
post one (the warehouses: warehouse_pages; the moves ledger: moves_pages). The same services as
the API, so the same gate."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import Conflict, DomainError
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import Cursor, Flag, RecordId, Search
from server.staff.permissions import Action, Section
from server.stock import (
    documents,
    issuing,
    items,
    levels,
    moves,
    moves_pages,
    warehouse_pages,
    warehouses,
)
from server.stock.choices import DOCUMENT_LABELS, ORDER_DOCUMENTS, DocumentKind
from server.stock.schemas import DocumentIn, ItemIn, LineIn
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

OptionalId = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]
KindParam = Annotated[str, QueryParameter(max_length=20)]
FORM_LINES = 8
HAND_KINDS = [k for k in DocumentKind if k not in ORDER_DOCUMENTS]


@get("/stock", include_in_schema=False)
async def levels_page(
    actor: CurrentActor, q: Search = "", warehouse_id: OptionalId = None, low: Flag = False
) -> Template:
    """What each warehouse holds, searched by name, article, code or model."""
    return await _levels(actor, {"q": q, "warehouse_id": warehouse_id, "low": low}, {}, {})


async def _levels(
    actor: Actor,
    query: dict[str, Any],
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> Template:
    context = page_context(
        actor,
        levels=await levels.list_levels(
            actor, q=query["q"], warehouse_id=query["warehouse_id"], low=query["low"]
        ),
        warehouses=await warehouses.list_warehouses(actor),
        query=query,
        query_string=urlencode({k: "true" if v is True else v for k, v in query.items() if v}),
        errors=errors,
        values=values,
        can_create=actor.can(Section.STOCK, Action.CREATE),
        can_export=actor.can(Section.STOCK, Action.EXPORT),
    )
    return Template("stock/levels.html", context=context, status_code=status)


@post("/stock/items", include_in_schema=False)
async def item_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a stock item from the form under the levels."""
    form = await read_form(request)
    values: dict[str, Any] = {
        k: form[k] for k in ("name", "article", "barcode", "unit", "min_level") if k in form
    }
    values["kind"] = form.get("kind", "part")
    values["compatible"] = [
        s.strip() for s in str(form.get("compatible", "")).split(",") if s.strip()
    ]
    try:
        created = await items.create_item(actor, convert(values, ItemIn))
    except (DomainError, FormError) as error:
        query = {"q": "", "warehouse_id": None, "low": False}
        return await _levels(actor, query, errors_of(error), form, 400)
    return Redirect(f"/stock/items/{created.id}")


@get("/stock/shortages", include_in_schema=False)
async def shortages_page(actor: CurrentActor) -> Template:
    """What to order (under the minimum, or waited for by orders) and what to issue to vans."""
    context = page_context(
        actor,
        shortages=await levels.shortages(actor),
        to_issue=await issuing.to_issue(actor),
        can_create=actor.can(Section.STOCK, Action.CREATE),
    )
    return Template("stock/shortages.html", context=context)


@get("/stock/items/{item_id:int}", include_in_schema=False)
async def item_page(actor: CurrentActor, item_id: RecordId, cursor: Cursor = None) -> Template:
    """An item: its levels in the warehouses one sees and its history, newest first."""
    return await _item(actor, item_id, cursor or 0, {})


async def _item(
    actor: Actor, item_id: int, cursor: int, errors: dict[str, str], status: int = 200
) -> Template:
    found, before = await moves.history(actor, item_id, before=cursor)
    context = page_context(
        actor,
        item=await items.get_item(actor, item_id),
        levels=await levels.item_levels(actor, item_id),
        moves=found,
        next=before,
        can_export=actor.can(Section.STOCK, Action.EXPORT),
        can_delete=actor.can(Section.STOCK, Action.DELETE) and not found and not cursor,
        errors=errors,
    )
    return Template("stock/item.html", context=context, status_code=status)


@post("/stock/items/{item_id:int}/delete", include_in_schema=False)
async def item_delete(actor: CurrentActor, item_id: RecordId) -> Response[Any]:
    """Delete an item nothing has moved yet; one with moves is refused on its card."""
    try:
        await items.delete_item(actor, item_id)
    except Conflict as error:
        return await _item(actor, item_id, 0, errors_of(error), 409)
    return Redirect("/stock")


@get("/stock/documents", include_in_schema=False)
async def documents_page(
    actor: CurrentActor, kind: KindParam = "", cursor: Cursor = None
) -> Template:
    """Posted documents, newest first."""
    found, before = await documents.list_documents(
        actor, kind=kind if kind in DocumentKind._value2member_map_ else None, before=cursor or 0
    )
    context = page_context(
        actor,
        documents=found,
        next=before,
        kind=kind,
        kinds=DOCUMENT_LABELS,
        hand_kinds=HAND_KINDS if actor.can(Section.STOCK, Action.CREATE) else [],
    )
    return Template("stock/documents.html", context=context)


@get("/stock/documents/{document_id:int}", include_in_schema=False)
async def document_page(actor: CurrentActor, document_id: RecordId) -> Template:
    """One posted document with its lines."""
    context = page_context(actor, document=await documents.get_document(actor, document_id))
    return Template("stock/document.html", context=context)


@get("/stock/documents/new", include_in_schema=False)
async def document_form(actor: CurrentActor, kind: KindParam = "receipt") -> Template:
    """The form of a document of a kind: where, what and how many."""
    actor.require(Section.STOCK, Action.CREATE)
    return await _document_form(actor, kind, {}, {"kind": kind})


async def _document_form(
    actor: Actor, kind: str, errors: dict[str, str], values: dict[str, Any], status: int = 200
) -> Template:
    shown = kind if kind in {k.value for k in HAND_KINDS} else DocumentKind.RECEIPT.value
    found, _ = await items.search_items(actor, limit=200)
    context = page_context(
        actor,
        kind=shown,
        kind_label=DOCUMENT_LABELS[DocumentKind(shown)],
        warehouses=await warehouses.list_warehouses(actor, active_only=True),
        items=found,
        rows=range(FORM_LINES),
        errors=errors,
        values=values,
    )
    return Template("stock/document_form.html", context=context, status_code=status)


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    text = str(value or "").strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        errors[field] = gettext("Enter a number")
        return None


def _form_lines(form: dict[str, Any], kind: str) -> list[LineIn]:
    errors: dict[str, str] = {}
    found: list[LineIn] = []
    for row in range(FORM_LINES):
        item = str(form.get(f"item_{row}", "")).strip()
        if not item.isdigit():
            continue
        at = len(found)
        name = "counted" if kind == DocumentKind.STOCKTAKE else "quantity"
        amount = _decimal(form.get(f"quantity_{row}"), f"lines.{at}.{name}", errors)
        cost = _decimal(form.get(f"unit_cost_{row}"), f"lines.{at}.unit_cost", errors)
        if kind == DocumentKind.STOCKTAKE:
            found.append(LineIn(item_id=int(item), counted=amount))
        else:
            found.append(LineIn(item_id=int(item), quantity=amount, unit_cost=cost))
    if errors:
        raise FormError(errors)
    if not found:
        raise FormError({"lines": gettext("Add at least one line")})
    return found


@post("/stock/documents", include_in_schema=False)
async def document_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Post the document of the form; what was typed stays when it is refused."""
    form = await read_form(request)
    kind = str(form.get("kind", ""))[:20]
    try:
        data = DocumentIn(
            kind=kind,
            warehouse_id=int(form["warehouse_id"])
            if str(form.get("warehouse_id", "")).isdigit()
            else 0,
            to_warehouse_id=int(form["to_warehouse_id"])
            if str(form.get("to_warehouse_id", "")).isdigit()
            else None,
            supplier=str(form.get("supplier", ""))[:200],
            supplier_document=str(form.get("supplier_document", ""))[:100],
            reason=str(form.get("reason", ""))[:300],
            note=str(form.get("note", ""))[:2000],
            lines=_form_lines(form, kind),
        )
        if not data.warehouse_id:
            raise FormError({"warehouse_id": gettext("Choose a warehouse")})
        posted = await documents.post_document(actor, data)
    except (DomainError, FormError) as error:
        errors = errors_of(error)
        return await _document_form(actor, kind, _by_row(errors, form), form, 400)
    return Redirect(f"/stock/documents/{posted.id}")


def _by_row(errors: dict[str, str], form: dict[str, Any]) -> dict[str, str]:
    """Errors of `lines.N.field` moved to the form row that holds the N-th filled line."""
    filled = [r for r in range(FORM_LINES) if str(form.get(f"item_{r}", "")).strip().isdigit()]
    out = {}
    for key, message in errors.items():
        parts = key.split(".")
        if (
            len(parts) == 3
            and parts[0] == "lines"
            and parts[1].isdigit()
            and int(parts[1]) < len(filled)
        ):
            key = f"{parts[2]}_{filled[int(parts[1])]}"
        out[key] = message
    return out


handlers = [
    levels_page,
    shortages_page,
    item_create,
    item_page,
    documents_page,
    document_form,
    document_page,
    document_submit,
    item_delete,
    *warehouse_pages.handlers,
    *moves_pages.handlers,
]
