"""An order's documents over HTTP: every kind and format, totals, QR link, scope and fields."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import printforms
from server.documents.data import order_document_data
from server.staff.services import load_actor
from server.staff.tables import Role
from tests.server.builders import login_as, make_employee, open_cash_shift
from tests.server.documents.builders import (
    TOTAL,
    TOTAL_WORDS,
    document_text,
    order_with_lines,
)

PAIRS = [(kind, fmt) for kind in printforms.DOCUMENT_KINDS for fmt in printforms.FORMATS[kind]]


@pytest.mark.parametrize(("kind", "fmt"), PAIRS)
async def test_every_document_prints_the_order(
    admin_client: httpx.AsyncClient, kind: str, fmt: str
) -> None:
    order = await order_with_lines(admin_client)
    response = await admin_client.get(
        f"/api/v1/orders/{order['id']}/documents/{kind}", params={"format": fmt}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(printforms.MEDIA_TYPES[fmt])
    assert f"{kind}-{order['number']}.{fmt}" in response.headers["content-disposition"]
    text = document_text(response.content, fmt)
    assert order["number"] in text
    if kind == "label":
        assert "Петров П." in text
        return
    assert "Петров Пётр Петрович" in text
    if kind != "receipt":
        assert TOTAL in text
        assert TOTAL_WORDS in text


async def test_receipt_qr_carries_the_status_link(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    actor = await load_actor(1)
    assert actor is not None
    data, _type, brand = await order_document_data(
        actor, order["id"], "receipt", "https://sc.example.ru"
    )
    link = urlsplit(data.status_url)
    assert (link.scheme, link.netloc, link.path) == ("https", "sc.example.ru", "/status")
    assert parse_qs(link.query) == {"number": [order["number"]], "code": [order["public_code"]]}
    assert brand == "Bosch"
    html = printforms.render_html("receipt", data)
    assert data.status_url.replace("&", "&amp;") in html


async def test_status_link_uses_the_address_the_request_came_to(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(admin_client)
    response = await admin_client.post(
        "/api/v1/print-templates/preview",
        json={"kind": "receipt", "order_id": order["id"], "source": "{{ order.status_url }}"},
    )
    assert response.status_code == 200, response.text
    expected = f"http://testserver.local/status?number={order['number']}"
    assert response.text.startswith(expected.replace("&", "&amp;"))
    assert f"code={order['public_code']}" in response.text


async def test_unknown_kind_and_wrong_format_say_what_exists(
    admin_client: httpx.AsyncClient,
) -> None:
    order = await order_with_lines(admin_client)
    url = f"/api/v1/orders/{order['id']}/documents"
    unknown = await admin_client.get(f"{url}/passport")
    assert unknown.status_code == 404
    assert "receipt" in unknown.json()["detail"]
    label = await admin_client.get(f"{url}/label", params={"format": "docx"})
    assert label.status_code == 422
    assert "pdf" in label.json()["detail"]
    missing = await admin_client.get("/api/v1/orders/999999/documents/receipt")
    assert missing.status_code == 404


async def test_order_out_of_scope_is_not_found(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    await make_employee("tech", roles=["technician"])
    await login_as(admin_client, "tech")
    response = await admin_client.get(f"/api/v1/orders/{order['id']}/documents/receipt")
    assert response.status_code == 404


async def test_hidden_total_stays_out_of_documents(admin_client: httpx.AsyncClient) -> None:
    await open_cash_shift(admin_client)
    order = await order_with_lines(admin_client, estimated_cost="4321.00", prepayment="500")
    await Role.update({Role.field_permissions: {"order.total": "hidden"}}).where(
        Role.code == "receiver"
    )
    await make_employee("anna", roles=["receiver"])
    await login_as(admin_client, "anna")
    url = f"/api/v1/orders/{order['id']}/documents"
    receipt = await admin_client.get(f"{url}/receipt", params={"format": "docx"})
    assert receipt.status_code == 200
    text = document_text(receipt.content, "docx")
    assert order["number"] in text and TOTAL not in text and TOTAL_WORDS not in text
    act = await admin_client.get(f"{url}/work-act")
    assert act.status_code == 403
    assert TOTAL not in act.text


async def test_order_card_offers_every_document(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    page = await admin_client.get(f"/orders/{order['id']}")
    assert page.status_code == 200
    assert "Печать" in page.text
    for kind, formats in printforms.FORMATS.items():
        for fmt in formats:
            assert f"/api/v1/orders/{order['id']}/documents/{kind}?format={fmt}" in page.text
