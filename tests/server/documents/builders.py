"""An order worth printing, and reading documents back as text."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import httpx
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from printforms import format_money
from tests.server.orders.builders import intake, make_client, make_device, price_item

TOTAL = "4 900,00"
TOTAL_WORDS = "Четыре тысячи девятьсот рублей 00 копеек"


def squash(text: str) -> str:
    """Every run of whitespace (NBSP too) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def document_text(content: bytes, fmt: str) -> str:
    """All text of a PDF, DOCX or XLSX document."""
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(content))
        return squash(" ".join(page.extract_text() for page in reader.pages))
    if fmt == "docx":
        document = Document(io.BytesIO(content))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        return squash(" ".join(parts))
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    values = [
        format_money(Decimal(str(value))) if isinstance(value, int | float) else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    workbook.close()
    return squash(" ".join(values))


async def order_with_lines(
    client: httpx.AsyncClient, name: str = "Петров Пётр Петрович", **fields: Any
) -> dict[str, Any]:
    """An order of a washing machine with a diagnosis, a pump and its fitting (4 900 ₽)."""
    client_id = await make_client(name, phone="+79161234567")
    device_id = await make_device(client_id, serial="SN-777", brand=fields.pop("brand", "Bosch"))
    order = await intake(
        client, client_id, device_id=device_id, declared_fault="Не сливает воду", **fields
    )
    for code in ("DIAG", "WASH-PUMP", "P-PUMP"):
        item = await price_item(code)
        response = await client.post(
            f"/api/v1/orders/{order['id']}/lines", json={"price_item_id": item["id"]}
        )
        assert response.status_code == 201, response.text
    return order
