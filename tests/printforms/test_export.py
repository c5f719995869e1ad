"""Streaming XLSX export: write-only workbook, typed cells, read back row by row."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl

from printforms import Column, export_rows
from printforms.model import LineKind

COLUMNS = [
    Column("number", "Номер"),
    Column("created_at", "Создан", "datetime"),
    Column("client", "Клиент"),
    Column("total", "Сумма", "money"),
    Column("due", "Срок", "date"),
    Column("ready", "Готов", "bool"),
    Column("lines", "Строк", "int"),
]


def synthetic_orders(count: int) -> Iterator[dict[str, object]]:
    """Orders made up on the fly: the exporter never sees a list."""
    start = datetime(2025, 1, 1, 9, 0)
    for i in range(count):
        yield {
            "number": f"A-{i:06d}",
            "created_at": start + timedelta(minutes=7 * i),
            "client": f"Клиент {i}",
            "total": Decimal(i * 13 % 100000) + Decimal("0.50"),
            "due": date(2025, 2, 1) + timedelta(days=i % 30),
            "ready": i % 3 == 0,
            "lines": i % 7,
        }


def test_export_streams_a_generator_and_reads_back() -> None:
    buffer = io.BytesIO()
    assert export_rows(COLUMNS, synthetic_orders(2500), buffer, sheet_title="Заказы") == 2500
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    sheet = workbook["Заказы"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Номер", "Создан", "Клиент", "Сумма", "Срок", "Готов", "Строк")
    assert len(rows) == 2501
    assert rows[1] == (
        "A-000000",
        datetime(2025, 1, 1, 9),
        "Клиент 0",
        0.5,
        datetime(2025, 2, 1),
        "да",
        0,
    )
    last = rows[2500]
    assert last[0] == "A-002499"
    assert Decimal(str(last[3])) == Decimal(2499 * 13 % 100000) + Decimal("0.50")
    workbook.close()


def test_export_formats_cells_and_freezes_the_header() -> None:
    buffer = io.BytesIO()
    export_rows(COLUMNS, synthetic_orders(3), buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet["B2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["D2"].number_format == "#,##0.00"
    assert sheet["E2"].number_format == "DD.MM.YYYY"


def test_export_accepts_sequences_and_keeps_formula_like_text_as_text() -> None:
    buffer = io.BytesIO()
    rows = [['=HYPERLINK("http://evil")', None, "+7 916 000-00-00", Decimal("1"), None, False, 1]]
    export_rows(COLUMNS, rows, buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet is not None
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil")'
    assert sheet["C2"].value == "+7 916 000-00-00"
    assert sheet["F2"].value == "нет"


def test_export_writes_enums_and_drops_control_characters(tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    export_rows(
        [Column("kind", "Вид"), Column("note", "Примечание")],
        [[LineKind.PART, "a\x00b\x07c"]],
        target,
    )
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert sheet["A2"].value == "part"
    assert sheet["B2"].value == "abc"
