"""Printing an order's documents and previewing templates, off the event loop."""

from __future__ import annotations

import datetime as dt
from functools import partial

import anyio.to_thread

import printforms
from server.actor import Actor
from server.documents.data import order_document_data, zone
from server.documents.print_templates import check_kind, check_source, template_for_print
from server.errors import InvalidInput, NotFound
from server.staff.permissions import Action, Section


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


def _refused(error: Exception) -> InvalidInput:
    if isinstance(error, printforms.RefusedURL):
        return InvalidInput(
            "The print template refers to a file from outside: {reason}", reason=str(error)
        )
    return InvalidInput(
        "The print template failed: {reason}. Fix it in the settings", reason=str(error)
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
    except (
        printforms.TemplateRenderError,
        printforms.TemplateValidationError,
        printforms.RefusedURL,
    ) as error:
        raise _refused(error) from None
    return Document(content, printforms.file_name(kind, data, fmt), printforms.MEDIA_TYPES[fmt])


async def preview_html(
    actor: Actor, kind: str, source: str | None, order_id: int, base_url: str
) -> str:
    """A template (or the built-in one) filled in with a real order, as HTML."""
    actor.require(Section.SETTINGS, Action.VIEW)
    check_kind(kind)
    if source is not None:
        check_source(source)
    data, _type, _brand = await order_document_data(actor, order_id, kind, base_url)
    today = dt.datetime.now(zone()).date()
    job = partial(printforms.render_html, kind, data, source, today)
    try:
        return await anyio.to_thread.run_sync(job)
    except (printforms.TemplateRenderError, printforms.TemplateValidationError) as error:
        raise _refused(error) from None
