"""The clients list: filters, search by every kind of value, sorting, keyset pages."""

from __future__ import annotations

import httpx

from server.orders.tables import CustomField
from tests.server.clients.helpers import VALID_COMPANY, make_client


async def names(http: httpx.AsyncClient, **params: str) -> list[str]:
    response = await http.get("/api/v1/clients", params=params)
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


async def test_search_by_phone_variants_email_inn_and_name(
    admin_client: httpx.AsyncClient,
) -> None:
    await make_client(
        admin_client, "Иван Петров", phones=["+7 916 123-45-67"], emails=["ivan@mail.ru"]
    )
    await make_client(admin_client, **VALID_COMPANY)
    await make_client(admin_client, "Пётр Сидоров", phones=["+7 903 555-00-11"])
    for typed in ("+7 916 123-45-67", "8 916 123 45 67", "9161234567", "1234567", "4567", "79161"):
        assert await names(admin_client, q=typed) == ["Иван Петров"], typed
    assert await names(admin_client, q="ivan@mail.ru") == ["Иван Петров"]
    assert await names(admin_client, q="7707083893") == ["ООО Ромашка"]
    assert await names(admin_client, q="петр") == ["Иван Петров", "Пётр Сидоров"]
    assert await names(admin_client, q="ромаш") == ["ООО Ромашка"]


async def test_filters_kind_tag_source_dates_and_custom_fields(
    admin_client: httpx.AsyncClient,
) -> None:
    await CustomField(entity="client", code="car", label="Автомобиль", kind="text").save()
    await make_client(admin_client, "Анна", tags=["vip"], source="Авито", custom={"car": "Лада"})
    await make_client(admin_client, **VALID_COMPANY, tags=["опт"])
    await make_client(admin_client, "Борис", source="Сайт", custom={"car": "Тесла"})
    assert await names(admin_client, kind="company") == ["ООО Ромашка"]
    assert await names(admin_client, tag="vip") == ["Анна"]
    assert await names(admin_client, source="Сайт") == ["Борис"]
    assert await names(admin_client, **{"custom.car": "Тесла"}) == ["Борис"]
    assert await names(admin_client, q="лада") == ["Анна"]
    assert len(await names(admin_client, created_from="2000-01-01")) == 3
    assert await names(admin_client, created_to="2000-01-01") == []
    bad = await admin_client.get("/api/v1/clients", params={"kind": "alien"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"


async def test_keyset_pages_have_no_duplicates_or_gaps_for_every_sort(
    admin_client: httpx.AsyncClient,
) -> None:
    for i in range(13):
        await make_client(admin_client, f"Клиент {i % 4}")  # repeated names: a non-unique sort
    for sort in ("name", "-name", "created_at", "-created_at"):
        seen: list[int] = []
        cursor = None
        for _ in range(10):
            params = {"limit": "5", "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = (await admin_client.get("/api/v1/clients", params=params)).json()
            seen += [c["id"] for c in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert sorted(seen) == list(range(1, 14)), sort
        assert len(seen) == len(set(seen))
    by_name = await names(admin_client, sort="name", limit="50")
    assert by_name == sorted(by_name)
    assert await names(admin_client, sort="-name", limit="50") == by_name[::-1]
    newest = (await admin_client.get("/api/v1/clients", params={"sort": "-created_at"})).json()
    assert newest["items"][0]["id"] == 13
    damaged = await admin_client.get("/api/v1/clients", params={"cursor": "abc"})
    assert damaged.status_code == 422
    unknown = await admin_client.get("/api/v1/clients", params={"sort": "phone"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sort"
