"""DOCX and XLSX versions of the receipt and acts, read back with python-docx and openpyxl."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from PIL import Image

from printforms import OrderDocumentData, UnsupportedFormat, render
from printforms.codes import qr_matrix
from tests.printforms.conftest import TODAY
from tests.printforms.reading import is_dark, squash

OFFICE_KINDS = ["receipt", "handover-act", "work-act"]


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a DOCX, whitespace collapsed."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return squash(" ".join(parts))


def xlsx_values(data: bytes) -> list[list[object]]:
    """Non-empty cell values of the first sheet, row by row."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = [value for value in row if value is not None]
        if values:
            rows.append(values)
    return rows


def xlsx_text(data: bytes) -> str:
    return squash(" ".join(str(v) for row in xlsx_values(data) for v in row))


@pytest.fixture(scope="module")
def office(order: OrderDocumentData) -> dict[tuple[str, str], bytes]:
    return {
        (kind, fmt): render(kind, order, fmt, today=TODAY)
        for kind in OFFICE_KINDS
        for fmt in ("docx", "xlsx")
    }


RECEIPT_TEXTS = [
    "Квитанция о приёме в ремонт № A-000123 от 05.03.2025 14:07",
    "Код для проверки статуса: K7P4Q2",
    "Иванов Иван Иванович",
    "M1N0CV12345",
    "Не включается, после включения пищит и гаснет экран",
    "4 500,00 руб.",
    "1 000,00 руб.",
    "https://remont-profi.ru/status?number=A-000123&code=K7P4Q2",
    "Условия приёма в ремонт",
]
HANDOVER_TEXTS = [
    "Акт выдачи изделия из ремонта",
    "к заказу № A-000123 от 05.03.2025 · дата выдачи 11.03.2025 17:45",
    "Неисправен модуль оперативной памяти",
    "К оплате при выдаче: Четыре тысячи четыреста рублей 50 копеек",
    "Условия гарантии",
]
WORK_ACT_TEXTS = [
    "Акт выполненных работ № A-000123 от 10.03.2025",
    "ООО «Ремонт-Профи», ИНН 7701234567, КПП 770101001",
    "на сумму 5 400,50 руб. (Пять тысяч четыреста рублей 50 копеек)",
    "Гарантийные обязательства",
]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize(
    ("kind", "texts"),
    [("receipt", RECEIPT_TEXTS), ("handover-act", HANDOVER_TEXTS), ("work-act", WORK_ACT_TEXTS)],
)
def test_office_document_text(
    office: dict[tuple[str, str], bytes], kind: str, texts: list[str], fmt: str
) -> None:
    text = (docx_text if fmt == "docx" else xlsx_text)(office[(kind, fmt)])
    for expected in texts:
        assert expected in text


def test_docx_work_act_lines_and_totals(office: dict[tuple[str, str], bytes]) -> None:
    document = docx.Document(io.BytesIO(office[("work-act", "docx")]))
    lines, totals = document.tables[1], document.tables[2]
    rows = [[squash(cell.text) for cell in row.cells] for row in lines.rows]
    assert rows[0][:2] == ["№", "Наименование"]
    assert rows[3] == [
        "3",
        "Модуль памяти SO-DIMM DDR4 8 ГБ 3200 МГц",
        "1",
        "шт.",
        "2 490,50",
        "90,00",
        "2 400,50",
        "180 дней",
    ]
    totals_rows = {squash(r.cells[0].text): squash(r.cells[1].text) for r in totals.rows}
    assert totals_rows == {
        "Итого:": "5 600,50",
        "Скидка на заказ:": "200,00",
        "Всего:": "5 400,50",
        "Без налога (НДС):": "—",
        "Оплачено:": "1 000,00",
        "К оплате:": "4 400,50",
    }


def test_xlsx_work_act_keeps_numbers_numeric(office: dict[tuple[str, str], bytes]) -> None:
    rows = xlsx_values(office[("work-act", "xlsx")])
    line = next(row for row in rows if row[:2] == [3, "Модуль памяти SO-DIMM DDR4 8 ГБ 3200 МГц"])
    assert [Decimal(str(v)) for v in line[4:7]] == [
        Decimal("2490.5"),
        Decimal("90"),
        Decimal("2400.5"),
    ]
    totals = {row[0]: row[1] for row in rows if len(row) == 2 and str(row[0]).endswith(":")}
    assert Decimal(str(totals["Итого:"])) == Decimal("5600.50")
    assert Decimal(str(totals["К оплате:"])) == Decimal("4400.50")
    sheet = openpyxl.load_workbook(io.BytesIO(office[("work-act", "xlsx")])).active
    assert sheet is not None
    money = [c for row in sheet.iter_rows() for c in row if c.number_format == "#,##0.00"]
    assert len(money) >= 12


def test_docx_receipt_qr_image_carries_the_status_url(
    office: dict[tuple[str, str], bytes],
) -> None:
    """Read the embedded PNG module by module (8 px modules, 4-module quiet zone)."""
    document = docx.Document(io.BytesIO(office[("receipt", "docx")]))
    [blob] = [part.blob for part in document.part.package.parts if part.content_type == "image/png"]
    image = Image.open(io.BytesIO(blob)).convert("L")
    expected = qr_matrix("https://remont-profi.ru/status?number=A-000123&code=K7P4Q2")
    size = len(expected)
    assert image.size == ((size + 8) * 8, (size + 8) * 8)
    read = [
        [is_dark(image, (x + 4) * 8 + 4, (y + 4) * 8 + 4) for x in range(size)] for y in range(size)
    ]
    assert read == expected


def test_office_files_carry_a_title(office: dict[tuple[str, str], bytes]) -> None:
    props = docx.Document(io.BytesIO(office[("work-act", "docx")])).core_properties
    assert props.title == "Акт выполненных работ № A-000123"
    workbook = openpyxl.load_workbook(io.BytesIO(office[("work-act", "xlsx")]))
    assert workbook.properties.title == "Акт выполненных работ № A-000123"


@pytest.mark.parametrize(
    ("kind", "fmt"), [("invoice", "docx"), ("label", "xlsx"), ("receipt", "odt")]
)
def test_unsupported_formats_are_refused(order: OrderDocumentData, kind: str, fmt: str) -> None:
    with pytest.raises(UnsupportedFormat):
        render(kind, order, fmt)
