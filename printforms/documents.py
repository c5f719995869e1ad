"""The document kinds and the one entry point that renders any of them in any format."""

from __future__ import annotations

from datetime import date
from functools import cache

from printforms.assets import TEMPLATES_DIR
from printforms.budget import DEFAULT_BUDGET, Budget
from printforms.cells import office_safe
from printforms.context import build_context
from printforms.docx import render_outline_docx
from printforms.model import OrderDocumentData
from printforms.outline import build_outline
from printforms.pdf import html_to_pdf
from printforms.sandbox import TemplateRenderError, render_template
from printforms.validate import validate_template
from printforms.xlsx import render_outline_xlsx

DOCUMENT_KINDS: tuple[str, ...] = ("receipt", "handover-act", "work-act", "invoice", "label")
DOCUMENT_TITLES: dict[str, str] = {
    "receipt": "Квитанция о приёме в ремонт",
    "handover-act": "Акт выдачи изделия из ремонта",
    "work-act": "Акт выполненных работ",
    "invoice": "Счёт на оплату",
    "label": "Этикетка на изделие",
}
FORMATS: dict[str, tuple[str, ...]] = {
    "receipt": ("pdf", "docx", "xlsx"),
    "handover-act": ("pdf", "docx", "xlsx"),
    "work-act": ("pdf", "docx", "xlsx"),
    "invoice": ("pdf",),
    "label": ("pdf",),
}
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


class UnknownDocumentKind(ValueError):
    """The kind is not one of DOCUMENT_KINDS."""


class UnsupportedFormat(ValueError):
    """The kind cannot be produced in the asked format."""


def check_kind(kind: str) -> None:
    """Raise UnknownDocumentKind unless the kind exists."""
    if kind not in DOCUMENT_KINDS:
        raise UnknownDocumentKind(f"unknown document kind {kind!r}; have {DOCUMENT_KINDS}")


@cache
def default_template(kind: str) -> str:
    """The built-in HTML+CSS template of a kind (what «restore built-in» puts back)."""
    check_kind(kind)
    return (TEMPLATES_DIR / f"{kind}.html").read_text(encoding="utf-8")


def file_name(kind: str, data: OrderDocumentData, fmt: str) -> str:
    """A download file name such as `work-act-A-000123.pdf` (ASCII-safe where the number is)."""
    check_kind(kind)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in data.number)
    return f"{kind}-{safe}.{fmt}"


def render_html(
    kind: str,
    data: OrderDocumentData,
    template_html: str | None = None,
    today: date | None = None,
    budget: Budget = DEFAULT_BUDGET,
) -> str:
    """The filled-in HTML of a document (for a live preview); custom templates are validated.

    The render stays within `budget`, or raises TemplateBudgetExceeded naming the limit.
    """
    check_kind(kind)
    if template_html is None:
        template_html = default_template(kind)
    else:
        validate_template(template_html)
    return render_template(template_html, build_context(data, today), budget)


def render(
    kind: str,
    data: OrderDocumentData,
    fmt: str = "pdf",
    template_html: str | None = None,
    today: date | None = None,
    budget: Budget = DEFAULT_BUDGET,
) -> bytes:
    """Render a document of a kind as pdf, docx or xlsx bytes.

    `template_html` replaces the built-in HTML template (PDF only; DOCX and XLSX have fixed
    layouts). `today` is the date printed where a document has no date of its own. The HTML
    is filled in within `budget` (its output limit also bounds what WeasyPrint lays out).
    """
    check_kind(kind)
    if fmt not in FORMATS[kind]:
        raise UnsupportedFormat(f"{kind} is available as {FORMATS[kind]}, not {fmt!r}")
    if fmt == "pdf":
        html = render_html(kind, data, template_html, today, budget)
        try:
            return html_to_pdf(html)
        except RecursionError:  # WeasyPrint lays out nested boxes recursively: ~500 levels
            raise TemplateRenderError("разметка вложена слишком глубоко для PDF") from None
    outline = office_safe(build_outline(kind, data, build_context(data, today)))
    if fmt == "docx":
        return render_outline_docx(outline)
    return render_outline_xlsx(outline)
