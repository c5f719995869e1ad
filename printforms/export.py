"""Streaming XLSX export of any list (orders, clients, payments) in constant memory.

openpyxl's write-only mode writes each row to a temporary file as it is appended, so memory
does not grow with the number of rows. The caller decides which columns to export (the
visible, permitted ones, in the user's order) and passes rows already filtered and sorted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any, Literal

import msgspec
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from printforms.cells import is_formula_like, keep_as_text, xml_text

ColumnKind = Literal["text", "int", "money", "decimal", "date", "datetime", "bool"]
NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "money": "#,##0.00",
    "decimal": "0.###",
    "date": "DD.MM.YYYY",
    "datetime": "DD.MM.YYYY HH:MM",
}


class Column(msgspec.Struct, frozen=True):
    """One exported column: where to find the value, its header and how to format it."""

    key: str
    title: str
    kind: ColumnKind = "text"
    width: float | None = None
    """Width in characters; None picks one from the title and kind."""


def cell_value(value: Any, kind: str) -> Any:
    """A Python value as openpyxl should store it for a column kind."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        # Excel has no time zones: callers pass local time; an aware value keeps its wall clock
        return value.replace(tzinfo=None)
    if isinstance(value, date | int | float | Decimal):
        return value
    return xml_text(str(value))


def default_width(column: Column) -> float:
    """A readable width for a column when none is given."""
    minimum = {"date": 11, "datetime": 16, "money": 13, "int": 8}.get(column.kind, 12)
    return float(max(minimum, min(len(column.title) + 2, 40)))


def export_rows(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any] | Mapping[str, Any]],
    target: str | Path | IO[bytes],
    sheet_title: str = "Выгрузка",
) -> int:
    """Write rows (sequences in column order, or mappings by column key) as XLSX; return count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, column in enumerate(columns, start=1):
        width = column.width or default_width(column)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8E8E8")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in columns]
    kinds = [column.kind for column in columns]
    keys = [column.key for column in columns]
    count = 0
    for row in rows:
        values = [row.get(key) for key in keys] if isinstance(row, Mapping) else row
        out: list[Any] = []
        for value, kind, number_format in zip(values, kinds, formats, strict=True):
            converted = cell_value(value, kind)
            if number_format and converted is not None and not isinstance(converted, str):
                cell = WriteOnlyCell(sheet, value=converted)
                cell.number_format = number_format
                out.append(cell)
            elif isinstance(converted, str) and is_formula_like(converted):
                out.append(keep_as_text(WriteOnlyCell(sheet, value=converted)))
            else:
                out.append(converted)
        sheet.append(out)
        count += 1
    workbook.save(target)
    return count
