"""Print templates: refused sources with line and reason, restore, selection, the editor."""

from __future__ import annotations

import httpx
import pytest

import printforms
from tests.server.builders import login_as, make_employee
from tests.server.documents.builders import document_text, order_with_lines

URL = "/api/v1/print-templates"


async def new_template(client: httpx.AsyncClient, **fields: object) -> dict[str, object]:
    response = await client.post(URL, json={"kind": "receipt", "name": "Своя", **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("<p>\n{% if order.number %}\n<b>x</b>\n", 3, "не закрыт"),
        ("<p>\n\n{{ order.secret_field }}</p>", 3, "order.secret_field"),
        ("<p>{{ ''.__class__ }}</p>", 1, "__class__"),
    ],
)
async def test_refused_source_names_line_and_reason(
    admin_client: httpx.AsyncClient, source: str, line: int, words: str
) -> None:
    template = await new_template(admin_client)
    response = await admin_client.patch(f"{URL}/{template['id']}", json={"source": source})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "source"
    assert f"Строка {line}" in body["detail"] and words in body["detail"]
    stored = (await admin_client.get(f"{URL}/{template['id']}")).json()
    assert stored["source"] == printforms.default_template("receipt")


async def test_restore_puts_the_builtin_back(admin_client: httpx.AsyncClient) -> None:
    template = await new_template(admin_client, source="<p>{{ order.number }}</p>")
    assert template["source"] == "<p>{{ order.number }}</p>"
    restored = await admin_client.post(f"{URL}/{template['id']}/restore")
    assert restored.status_code == 200
    assert restored.json()["source"] == printforms.default_template("receipt")


async def test_template_is_chosen_by_order_type(admin_client: httpx.AsyncClient) -> None:
    await new_template(
        admin_client, name="Гарантия", order_types=["warranty"],
        source="<p>ГАРАНТИЙНАЯ {{ order.number }}</p>",
    )  # fmt: skip
    await new_template(admin_client, name="Общая", is_default=True,
                       source="<p>ОБЩАЯ {{ order.number }}</p>")  # fmt: skip
    types = (await admin_client.get("/api/v1/order-types")).json()["items"]
    warranty = next(t["id"] for t in types if t["code"] == "warranty")
    repair = await order_with_lines(admin_client)
    covered = await order_with_lines(admin_client, name="Гусев Гена", order_type_id=warranty)

    async def printed(order: dict[str, object], **params: object) -> str:
        url = f"/api/v1/orders/{order['id']}/documents/receipt"
        response = await admin_client.get(url, params=params)
        assert response.status_code == 200, response.text
        return document_text(response.content, "pdf")

    assert printed_text(await printed(covered)).startswith("ГАРАНТИЙНАЯ")
    assert printed_text(await printed(repair)).startswith("ОБЩАЯ")
    builtin = await printed(repair, format="pdf")
    assert "ОБЩАЯ" in builtin
    listed = (await admin_client.get(URL)).json()["items"]
    chosen = next(t["id"] for t in listed if t["name"] == "Гарантия")
    assert "ГАРАНТИЙНАЯ" in await printed(repair, template=chosen)


def printed_text(text: str) -> str:
    return text.strip()


async def test_templates_need_settings_permissions(admin_client: httpx.AsyncClient) -> None:
    template = await new_template(admin_client)
    await make_employee("mike", roles=["manager"])
    await login_as(admin_client, "mike")
    assert (await admin_client.get(URL)).status_code == 200
    change = await admin_client.patch(f"{URL}/{template['id']}", json={"name": "x"})
    assert change.status_code == 403
    await make_employee("anna", roles=["receiver"])
    await login_as(admin_client, "anna")
    assert (await admin_client.get(URL)).status_code == 403


async def test_editor_keeps_input_and_shows_the_problem(admin_client: httpx.AsyncClient) -> None:
    template = await new_template(admin_client)
    page = await admin_client.get(f"/settings/print-templates/{template['id']}")
    assert page.status_code == 200 and "order.status_url" in page.text
    broken = "<p>{{ order.number }}\n{% for x in %}</p>"
    saved = await admin_client.post(
        f"/settings/print-templates/{template['id']}",
        data={"name": "Своя", "source": broken, "order_types": "", "manufacturers": ""},
    )
    assert saved.status_code == 400
    assert "Строка 2" in saved.text and "{% for x in %}" in saved.text


async def test_preview_fills_a_real_order(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    template = await new_template(admin_client)
    response = await admin_client.post(
        f"/settings/print-templates/{template['id']}/preview",
        data={"source": "<h1>{{ client.name }} {{ totals.total }}</h1>", "order": ""},
    )
    assert response.status_code == 200
    assert "Петров Пётр Петрович" in response.text and order["number"] not in response.text
    assert "script-src" not in response.headers["content-security-policy"]


async def test_center_details_are_printed(admin_client: httpx.AsyncClient) -> None:
    saved = await admin_client.post(
        "/settings/center", data={"name": "Ремонт-Сервис", "inn": "7707083893", "vat_rate": ""}
    )
    assert saved.status_code in (302, 303), saved.text
    wrong = await admin_client.post("/settings/center", data={"name": "X", "inn": "12"})
    assert wrong.status_code == 400 and 'value="12"' in wrong.text
    order = await order_with_lines(admin_client)
    receipt = await admin_client.get(f"/api/v1/orders/{order['id']}/documents/receipt")
    text = document_text(receipt.content, "pdf")
    assert "Ремонт-Сервис" in text and "7707083893" in text
