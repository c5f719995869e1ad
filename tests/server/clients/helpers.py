"""Builders of clients for tests, through the real API."""

from __future__ import annotations

from typing import Any

import httpx

VALID_COMPANY = {
    "kind": "company",
    "name": "ООО Ромашка",
    "legal_name": "Общество с ограниченной ответственностью «Ромашка»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "bik": "044525225",
    "bank_account": "40702810938000000001",
    "corr_account": "30101810400000000225",
    "bank_name": "ПАО Сбербанк",
}


async def make_client(http: httpx.AsyncClient, name: str, **fields: Any) -> dict[str, Any]:
    """Create a client through the API and return its card."""
    response = await http.post("/api/v1/clients", json={"kind": "person", "name": name, **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def errors_of(response: httpx.Response) -> set[str]:
    """The fields named in an error answer."""
    return {e["field"] for e in response.json()["errors"]}
