"""DOCX versions of the receipt and the acts (python-docx), editable in Word or LibreOffice."""

from __future__ import annotations

import io
from decimal import Decimal

import qrcode
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table

from printforms.money import format_money, format_qty
from printforms.outline import Cell, CellKind, Outline

FONT = "Arial"
GREY = RGBColor(0x44, 0x44, 0x44)


def format_cell(value: Cell, kind: CellKind) -> str:
    """A table value as printed text."""
    if isinstance(value, Decimal):
        return format_qty(value) if kind == "qty" else format_money(value)
    return str(value)


def qr_png(payload: str) -> bytes:
    """A QR code as PNG: 8 px per module, 4-module quiet zone (office files take no SVG)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()


def new_document(title: str, author: str) -> DocxDocument:
    """An A4 document with a plain Arial style and core properties filled in."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(12)
    section.top_margin, section.bottom_margin = Mm(12), Mm(12)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(9.5)
    style.paragraph_format.space_after = Pt(2)
    document.core_properties.title = title
    document.core_properties.author = author
    return document


def add_text(document: DocxDocument, text: str, size: float = 9.5, bold: bool = False) -> None:
    """A paragraph of one run."""
    run = document.add_paragraph().add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def set_widths(table: Table, widths_mm: list[float]) -> None:
    """Fix column widths (Word honours cell widths, not column widths)."""
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def add_fields(document: DocxDocument, fields: list[tuple[str, str]]) -> None:
    """The key/value table under the title."""
    shown = [(key, value) for key, value in fields if value]
    table = document.add_table(rows=len(shown), cols=2)
    table.style = "Table Grid"
    for row, (key, value) in zip(table.rows, shown, strict=True):
        row.cells[0].text = key
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.cells[1].text = value
    set_widths(table, [55, 123])


def add_lines(document: DocxDocument, outline: Outline) -> None:
    """The order lines table and the totals under it."""
    columns = outline.columns
    table = document.add_table(rows=1 + len(outline.rows), cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = column.title
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].runs[0].font.size = Pt(8)
    for row, values in zip(table.rows[1:], outline.rows, strict=True):
        for cell, value, column in zip(row.cells, values, columns, strict=True):
            cell.text = format_cell(value, column.kind)
            cell.paragraphs[0].runs[0].font.size = Pt(8.5)
            if column.kind != "text":
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    scale = 178 / sum(column.width for column in columns)
    set_widths(table, [column.width * scale for column in columns])
    totals = document.add_table(rows=len(outline.totals), cols=2)
    totals.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for row, (label, value) in zip(totals.rows, outline.totals, strict=True):
        row.cells[0].text = f"{label}:"
        row.cells[1].text = format_cell(value, "money")
        for cell in row.cells:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            cell.paragraphs[0].runs[0].bold = True
    set_widths(totals, [60, 30])


def add_signatures(document: DocxDocument, signatures: list[tuple[str, str]]) -> None:
    """Signature lines side by side: label, a line to sign on, the name under it."""
    table = document.add_table(rows=3, cols=len(signatures))
    for index, (label, name) in enumerate(signatures):
        table.rows[0].cells[index].text = f"{label}:"
        table.rows[1].cells[index].text = "\n_______________________________"
        caption = table.rows[2].cells[index].paragraphs[0].add_run(f"подпись / {name}")
        caption.font.size = Pt(7)
        caption.font.color.rgb = GREY


def render_outline_docx(outline: Outline) -> bytes:
    """Lay out an outline as a DOCX file."""
    document = new_document(outline.file_title, outline.header[0])
    if outline.qr_payload:
        header = document.add_table(rows=1, cols=2)
        left, right = header.rows[0].cells
        left.text = "\n".join(outline.header)
        left.paragraphs[0].runs[0].bold = True
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        right.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(outline.qr_payload)), Mm(28))
        set_widths(header, [145, 33])
    else:
        add_text(document, outline.header[0], 11, bold=True)
        add_text(document, " · ".join(outline.header[1:]), 8.5)
    add_text(document, outline.title, 13, bold=True)
    if outline.subtitle:
        add_text(document, outline.subtitle, 10.5)
    add_fields(document, outline.fields)
    if outline.columns:
        document.add_paragraph()
        add_lines(document, outline)
    if outline.words:
        add_text(document, outline.words, bold=True)
    for heading, text in outline.notes:
        if not text:
            continue
        if heading:
            add_text(document, heading, 10, bold=True)
        add_text(document, text, 8.5 if heading else 9.5)
    document.add_paragraph()
    add_signatures(document, outline.signatures)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
