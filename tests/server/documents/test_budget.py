"""Print template preview past its budget: a 422 on the source; the server keeps answering."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.server.builders import login_as, make_employee
from tests.server.documents.builders import order_with_lines

URL = "/api/v1/print-templates"
POWER = "{{ (((10 ** 64) ** 64) ** 64) ** 64 > 1 }}"
SLOW = (
    "{% set s = 'x' * 1000000 %}"
    "{% for i in range(100000) %}{% if s|replace('x', 'y') %}{% endif %}{% endfor %}"
)


async def as_manager(client: httpx.AsyncClient) -> dict[str, object]:
    """An order to preview with, and the client logged in as a manager."""
    order = await order_with_lines(client)
    await make_employee("mike", roles=["manager"])
    await login_as(client, "mike")
    return order


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (POWER, "300 цифр"),
        ("{{ 'x'|center(100000000) }}", "1 000 000 символов"),
        ("{{ range(100001)|length }}", "100 000 элементов"),
        ("{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}",
         "100 000 проходов"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "50 уровней"),
        ("{{ 1 / 0 }}", "division by zero"),
    ],
)  # fmt: skip
async def test_preview_past_the_budget_is_refused_next_to_the_source(
    admin_client: httpx.AsyncClient, source: str, words: str
) -> None:
    order = await as_manager(admin_client)
    started = time.monotonic()
    response = await admin_client.post(
        f"{URL}/preview", json={"kind": "receipt", "source": source, "order_id": order["id"]}
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["errors"][0]["field"] == "source"
    assert words in body["detail"], body["detail"]


async def test_editor_says_why_the_preview_was_refused(admin_client: httpx.AsyncClient) -> None:
    await as_manager(admin_client)
    await login_as(admin_client, "boss")
    created = await admin_client.post(URL, json={"kind": "receipt", "name": "Своя"})
    template_id = created.json()["id"]
    source = "<p>{{ order.number }}</p>\n{{ 'x'|center(100000000) }}"
    response = await admin_client.post(
        f"/settings/print-templates/{template_id}/preview", data={"source": source, "order": ""}
    )
    assert response.status_code == 400
    error = response.text.split('id="e-source"', 1)[1].split("</div>", 1)[0]
    assert "Строка 2" in error and "1 000 000 символов" in error
    assert "center(100000000)" in response.text  # the typed source is kept in the editor


async def test_saved_template_past_the_budget_prints_a_4xx(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    created = await admin_client.post(
        URL, json={"kind": "receipt", "name": "Тяжёлая", "source": "{{ 'x' * 10**9 }}"}
    )
    assert created.status_code == 201, created.text
    template_id = created.json()["id"]
    response = await admin_client.get(
        f"/api/v1/orders/{order['id']}/documents/receipt", params={"template": template_id}
    )
    assert response.status_code == 422, response.text
    assert "1 000 000 символов" in response.json()["detail"]


async def test_markup_too_deep_for_the_pdf_prints_a_4xx(admin_client: httpx.AsyncClient) -> None:
    order = await order_with_lines(admin_client)
    source = "{% for i in range(600) %}<div>{% endfor %}{{ order.number }}"
    created = await admin_client.post(
        URL, json={"kind": "receipt", "name": "Ёлка", "source": source}
    )
    assert created.status_code == 201, created.text
    response = await admin_client.get(
        f"/api/v1/orders/{order['id']}/documents/receipt",
        params={"template": created.json()["id"]},
    )
    assert response.status_code == 422, response.text
    assert "глубоко" in response.json()["detail"]


@pytest.mark.parametrize("source", [POWER, SLOW], ids=["power", "slow-loop"])
async def test_health_answers_while_a_bad_preview_runs(
    admin_client: httpx.AsyncClient, source: str
) -> None:
    order = await as_manager(admin_client)
    preview = asyncio.create_task(
        admin_client.post(
            f"{URL}/preview", json={"kind": "receipt", "source": source, "order_id": order["id"]}
        )
    )
    probes: list[float] = []
    while not preview.done():  # /health, again and again, for as long as the preview runs
        started = time.monotonic()
        health = await admin_client.get("/health")
        probes.append(time.monotonic() - started)
        assert health.status_code == 200
        await asyncio.sleep(0.1)
    response = await preview
    assert max(probes) < 2, f"/health waited {max(probes):.1f} s behind the preview"
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "source"
