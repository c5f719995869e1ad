"""Printing an order's documents and previewing templates, off the event loop and within
printforms' render budget."""

from __future__ import annotations

import datetime as dt
from functools import partial

import anyio.to_thread

import printforms
from server.actor import Actor
from server.documents.data import order_document_data, zone
from server.documents.print_templates import check_kind, check_source, template_for_print
from server.errors import InvalidInput, NotFound
from server.i18n import N_
from server.staff.permissions import Action, Section

# A limit of printforms.Budget: the message without a line, and with the line it was hit on.
BUDGET_MESSAGES = {
    "number": (
        N_("The template computes a number longer than {limit} digits"),
        N_("Line {line}: the template computes a number longer than {limit} digits"),
    ),
    "text": (
        N_("The template builds a text longer than {limit} characters"),
        N_("Line {line}: the template builds a text longer than {limit} characters"),
    ),
    "items": (
        N_("The template builds a list longer than {limit} items"),
        N_("Line {line}: the template builds a list longer than {limit} items"),
    ),
    "loops": (
        N_("The template makes more than {limit} loop passes and macro calls"),
        N_("Line {line}: the template makes more than {limit} loop passes and macro calls"),
    ),
    "depth": (
        N_("Macros of the template call each other more than {limit} levels deep"),
        N_("Line {line}: macros of the template call each other more than {limit} levels deep"),
    ),
    "output": (
        N_("The filled-in template is longer than {limit} characters"),
        N_("Line {line}: the filled-in template is longer than {limit} characters"),
    ),
    "time": (
        N_("The template takes longer than {limit} s to fill in"),
        N_("Line {line}: the template takes longer than {limit} s to fill in"),
    ),
}
RENDER_ERRORS = (
    printforms.TemplateRenderError,
    printforms.TemplateValidationError,
    printforms.RefusedURL,
)


def check_document(kind: str, fmt: str) -> None:
    """Refuse an unknown kind (404) or a format the kind does not come in (422)."""
    if kind not in printforms.DOCUMENT_KINDS:
        raise NotFound(
            "Unknown document «{kind}»; choose one of: {choices}",
            kind=kind,
            choices=", ".join(printforms.DOCUMENT_KINDS),
        )
    if fmt not in printforms.FORMATS[kind]:
        raise InvalidInput(
            "The document «{kind}» is available as {formats}, not «{fmt}»",
            field="format",
            kind=kind,
            formats=", ".join(printforms.FORMATS[kind]),
            fmt=fmt,
        )


def shown_limit(value: float) -> str:
    """1000000 as «1 000 000», 5.0 as «5»."""
    return f"{value:,.0f}".replace(",", " ") if value == int(value) else str(value)


def _refused(error: Exception, field: str | None = None) -> InvalidInput:
    """A template that failed to print or preview: which limit or reason, and on which line."""
    if isinstance(error, printforms.TemplateBudgetExceeded):
        plain, with_line = BUDGET_MESSAGES[error.limit]
        limit = shown_limit(error.maximum)
        if error.line:
            return InvalidInput(with_line, field=field, line=error.line, limit=limit)
        return InvalidInput(plain, field=field, limit=limit)
    if isinstance(error, printforms.RefusedURL):
        return InvalidInput(
            "The print template refers to a file from outside: {reason}",
            field=field,
            reason=str(error),
        )
    if field is not None and isinstance(error, printforms.TemplateRenderError):
        if error.line:
            return InvalidInput(
                "Line {line}: {reason}", field=field, line=error.line, reason=error.reason
            )
        return InvalidInput("The template failed: {reason}", field=field, reason=error.reason)
    return InvalidInput(
        "The print template failed: {reason}. Fix it in the settings",
        field=field,
        reason=str(error),
    )


class Document:
    """A rendered document: its bytes, file name and media type."""

    def __init__(self, content: bytes, file_name: str, media_type: str) -> None:
        self.content = content
        self.file_name = file_name
        self.media_type = media_type


async def render_document(
    actor: Actor, order_id: int, kind: str, fmt: str, template_id: int | None, base_url: str
) -> Document:
    """One document of an order in a format; the template by id, by match, or built-in."""
    check_document(kind, fmt)
    actor.require(Section.ORDERS, Action.VIEW)
    data, order_type, brand = await order_document_data(actor, order_id, kind, base_url)
    source = await template_for_print(kind, template_id, order_type, brand)
    today = dt.datetime.now(zone()).date()
    job = partial(printforms.render, kind, data, fmt, source if fmt == "pdf" else None, today)
    try:
        content = await anyio.to_thread.run_sync(job)
    except RENDER_ERRORS as error:
        raise _refused(error) from None
    return Document(content, printforms.file_name(kind, data, fmt), printforms.MEDIA_TYPES[fmt])


async def preview_html(
    actor: Actor, kind: str, source: str | None, order_id: int, base_url: str
) -> str:
    """A template (or the built-in one) filled in with a real order, as HTML.

    Validation and rendering run in a worker thread within printforms' budget; past a limit
    the answer is a 422 on `source` saying which limit and on which line.
    """
    actor.require(Section.SETTINGS, Action.VIEW)
    check_kind(kind)
    if source is not None:
        await check_source(source)
    data, _type, _brand = await order_document_data(actor, order_id, kind, base_url)
    today = dt.datetime.now(zone()).date()
    job = partial(printforms.render_html, kind, data, source, today)
    try:
        return await anyio.to_thread.run_sync(job)
    except RENDER_ERRORS as error:
        raise _refused(error, field="source") from None
