"""XLSX versions of the receipt and the acts (openpyxl): one printable A4 sheet each."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from printforms.cells import keep_as_text
from printforms.docx import qr_png
from printforms.outline import CellKind, Outline

NUMBER_FORMATS: dict[CellKind, str] = {"money": "#,##0.00", "qty": "0.###", "int": "0"}
THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
KEY_FILL = PatternFill("solid", fgColor="F0F0F0")
WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)


def write(sheet: Worksheet, row: int, col: int, value: object, **style: object) -> None:
    """Write a value with optional style attributes; formula-like text stays text.

    Every cell of an office document goes through here, so names, faults and notes from
    order data can never become formulas.
    """
    cell = sheet.cell(row=row, column=col, value=value)  # type: ignore[arg-type]
    keep_as_text(cell)
    for name, item in style.items():
        setattr(cell, name, item)


def merged(
    sheet: Worksheet, row: int, first: int, last: int, value: object, **style: object
) -> None:
    """Write a value into a merged run of cells on one row."""
    write(sheet, row, first, value, **style)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def row_height(text: str, chars_per_line: int, line_points: float = 13) -> float:
    """A row height that fits wrapped text (Excel does not grow merged rows by itself)."""
    lines = sum(max(1, -(-len(part) // chars_per_line)) for part in text.split("\n"))
    return max(15.0, lines * line_points)


def write_header(sheet: Worksheet, outline: Outline, ncols: int) -> int:
    """Center details, the QR code at the right, the title; return the next free row."""
    row = 1
    for index, line in enumerate(outline.header):
        font = Font(bold=True, size=12) if index == 0 else Font(size=9)
        merged(sheet, row, 1, ncols - 2, line, font=font)
        row += 1
    if outline.qr_payload:
        image = Image(io.BytesIO(qr_png(outline.qr_payload)))
        image.width = image.height = 96
        sheet.add_image(image, f"{get_column_letter(ncols - 1)}1")
        row = max(row, 7)
    row += 1
    merged(sheet, row, 1, ncols, outline.title, font=Font(bold=True, size=13))
    row += 1
    if outline.subtitle:
        merged(sheet, row, 1, ncols, outline.subtitle, font=Font(size=11))
        row += 1
    return row + 1


def write_fields(sheet: Worksheet, outline: Outline, ncols: int, row: int) -> int:
    """The key/value block; empty values are left out."""
    for key, text in outline.fields:
        if not text:
            continue
        merged(sheet, row, 1, 2, key, font=BOLD, fill=KEY_FILL, border=BOX, alignment=WRAP)
        merged(sheet, row, 3, ncols, text, border=BOX, alignment=WRAP)
        sheet.row_dimensions[row].height = row_height(text, 60)
        row += 1
    return row


def write_lines(sheet: Worksheet, outline: Outline, ncols: int, row: int) -> int:
    """Order lines as numbers with number formats, then the totals."""
    row += 1
    for col, column in enumerate(outline.columns, start=1):
        write(sheet, row, col, column.title, font=BOLD, fill=KEY_FILL, border=BOX, alignment=WRAP)
    row += 1
    for values in outline.rows:
        for col, (value, column) in enumerate(zip(values, outline.columns, strict=True), 1):
            write(sheet, row, col, value, border=BOX, alignment=WRAP)
            if column.kind in NUMBER_FORMATS:
                sheet.cell(row=row, column=col).number_format = NUMBER_FORMATS[column.kind]
        row += 1
    for label, total in outline.totals:
        merged(sheet, row, 1, ncols - 2, f"{label}:", font=BOLD, alignment=Alignment("right"))
        write(sheet, row, ncols - 1, total, font=BOLD)
        if isinstance(total, Decimal):
            sheet.cell(row=row, column=ncols - 1).number_format = NUMBER_FORMATS["money"]
        row += 1
    return row


def write_notes(sheet: Worksheet, outline: Outline, ncols: int, row: int) -> int:
    """Amount in words, terms and statements as wrapped merged rows."""
    if outline.words:
        row += 1
        merged(sheet, row, 1, ncols, outline.words, font=BOLD, alignment=WRAP)
        sheet.row_dimensions[row].height = row_height(outline.words, 95)
        row += 1
    for heading, text in outline.notes:
        if not text:
            continue
        row += 1
        if heading:
            merged(sheet, row, 1, ncols, heading, font=BOLD)
            row += 1
        merged(sheet, row, 1, ncols, text, alignment=WRAP, font=Font(size=9))
        sheet.row_dimensions[row].height = row_height(text, 105, 12)
        row += 1
    return row


def write_signatures(sheet: Worksheet, outline: Outline, ncols: int, row: int) -> None:
    """Two signature places side by side."""
    half = ncols // 2
    for index, (label, name) in enumerate(outline.signatures[:2]):
        first, last = (1, half) if index == 0 else (half + 1, ncols)
        merged(sheet, row, first, last, f"{label}: ____________________")
        merged(sheet, row + 1, first, last, f"подпись / {name}", font=Font(size=8, color="444444"))


def render_outline_xlsx(outline: Outline) -> bytes:
    """Lay out an outline on one A4 sheet: header, fields, lines with numbers, totals, signs."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = outline.file_title[:31].replace("№", "N")
    widths = [c.width for c in outline.columns] or [4, 36, 7, 6, 11, 10, 12, 9]
    ncols = len(widths)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = write_header(sheet, outline, ncols)
    row = write_fields(sheet, outline, ncols, row)
    if outline.columns:
        row = write_lines(sheet, outline, ncols, row)
    row = write_notes(sheet, outline, ncols, row)
    write_signatures(sheet, outline, ncols, row + 2)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.title = outline.file_title
    workbook.properties.creator = outline.header[0]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
