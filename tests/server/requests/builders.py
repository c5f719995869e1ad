"""Requests sent through the public API, as a website's script would."""

from __future__ import annotations

from typing import Any

import httpx

REQUEST = {
    "name": "Мария Петрова",
    "phone": "+7 916 555-12-34",
    "email": "maria@example.ru",
    "device": "Стиральная машина Bosch",
    "problem": "Не сливает воду, на дисплее E18",
    "address": "Москва, ул. Лесная, 5, кв. 12",
}


async def send_request(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    """POST /api/v1/public/requests with the usual fields (overridden by `fields`)."""
    response = await client.post("/api/v1/public/requests", json={**REQUEST, **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def token_of(link: str) -> str:
    """The token of a private link."""
    return link.rsplit("/r/", 1)[1]


def error_fields(response: httpx.Response) -> set[str]:
    """The fields an error answer names."""
    return {str(e.get("field")) for e in response.json().get("errors", [])}
