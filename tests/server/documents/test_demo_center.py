"""The demo center has its own details: the receipt prints its name, phone, address and bank
details (not «Сервисный центр / Тел.:»), and the demo's INN, OGRN and accounts are valid."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader

from fixtures.center import CENTER
from fixtures.demo import DEMO_PASSWORD
from server.clients import validation as check
from tests.live import LiveServer, live_server, query


@pytest.fixture(scope="module")
def demo() -> Iterator[LiveServer]:
    with live_server("demo_center") as server:
        yield server


def test_the_demo_center_details_pass_their_checksums() -> None:
    assert check.inn(CENTER["inn"]) == CENTER["inn"]
    assert check.ogrn(CENTER["ogrn"]) == CENTER["ogrn"]
    assert check.kpp(CENTER["kpp"]) == CENTER["kpp"]
    assert check.bik(CENTER["bik"]) == CENTER["bik"]
    check.account_matches_bik(CENTER["bik"], CENTER["account"], "bank_account")
    check.account_matches_bik(CENTER["bik"], CENTER["corr_account"], "corr_account")
    for field in ("account", "corr_account"):
        assert check.account(CENTER[field], field) == CENTER[field]


def test_the_receipt_of_a_demo_order_prints_the_center(demo: LiveServer) -> None:
    (stored,) = query(demo.database_url, "SELECT * FROM center_settings")
    assert {k: stored[k] for k in CENTER} == CENTER
    (order,) = query(demo.database_url, "SELECT id FROM service_order ORDER BY id LIMIT 1")
    with httpx.Client(base_url=demo.url) as http:
        login = http.post("/api/v1/auth/login", json={"login": "admin", "password": DEMO_PASSWORD})
        assert login.status_code == 200, login.text[:300]
        receipt = _text(http, order["id"], "receipt")
        invoice = _text(http, order["id"], "invoice")
    for value in ("Мастер Плюс", CENTER["phone"], "ул. Родионова, д. 165", CENTER["inn"]):
        assert value in receipt, f"{value!r} is not on the receipt:\n{receipt[:1500]}"
    for value in (CENTER["account"], CENTER["bik"], "Сбербанк", CENTER["inn"]):
        assert value in invoice, f"{value!r} is not on the invoice:\n{invoice[:1500]}"


def _text(http: httpx.Client, order_id: int, kind: str) -> str:
    """The text of an order's printed document, spaces collapsed."""
    answer = http.get(f"/api/v1/orders/{order_id}/documents/{kind}", params={"format": "pdf"})
    assert answer.status_code == 200, answer.text[:300]
    pages = PdfReader(io.BytesIO(answer.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())
