"""A local server speaking CDEK's API v2 as far as Servio uses it: an OAuth2 token by client
credentials (POST /v2/oauth/token) and an order by its CDEK number (GET /v2/orders?cdek_number=),
with CDEK's error shape (`requests[].errors[]`). It counts the tokens it gave, may revoke
them, fail an order with a status of one's choice, or answer late."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.httpstub import serving

CLIENT_ID = "EMscd6r9JnFiQ3bLoyjJY6eM78JrJceI"
CLIENT_SECRET = "PjLZkKBHEiLK3YsjtNrt3TGNG0ahs3kG"


def order(number: str, *statuses: tuple[str, str, str], **extra: Any) -> dict[str, Any]:
    """An order entity: statuses as (code, name, date_time), newest first as CDEK lists them."""
    return {
        "uuid": f"72753031-{number[-4:]}-4a6f-9b9c-0c1d2e3f4a5b",
        "type": 2,
        "cdek_number": number,
        "tariff_code": 136,
        "from_location": {"code": 270, "city": "Тула", "address": "ул. Советская, 10"},
        "to_location": {"code": 44, "city": "Москва", "address": "ул. Тверская, 7"},
        "recipient": {"name": "Иван Петров", "phones": [{"number": "+79161234567"}]},
        "packages": [{"number": "1", "weight": 2500}, {"number": "2", "weight": 1500}],
        "delivery_detail": {"delivery_sum": 450.0, "total_sum": 540.0},
        "statuses": [
            {"code": code, "name": name, "date_time": at, "city": "Москва"}
            for code, name, at in statuses
        ],
        **extra,
    }


@dataclass
class FakeCdek:
    """What the server knows and what it was asked."""

    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    failing: dict[str, tuple[int, Any]] = field(default_factory=dict)  # number -> answer
    slow: float = 0.0  # seconds before every answer
    expires_in: int = 3600
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (monotonic)
    issued: int = 0
    lookups: list[str] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def revoke(self) -> None:
        """Forget every token given (the next lookup answers 401)."""
        with self.lock:
            self.tokens.clear()

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client", "error_description": "Bad client credentials"}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.expires_in
            self.issued += 1
        return 200, {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "scope": "order:all payment:all",
            "jti": secrets.token_hex(8),
        }

    def order(self, authorization: str, query: dict[str, str]) -> tuple[int, Any]:
        token = authorization.removeprefix("Bearer ")
        with self.lock:
            alive = self.tokens.get(token, 0) > time.monotonic()
        if not alive:
            return 401, _errors("v2_unauthorized", "Invalid token")
        number = query.get("cdek_number", "")
        with self.lock:
            self.lookups.append(number)
        if number in self.failing:
            return self.failing[number]
        if number not in self.orders:
            return 400, _errors("v2_entity_not_found", f"Order by cdek_number {number} not found")
        body = {
            "entity": self.orders[number],
            "requests": [{"request_uuid": secrets.token_hex(8), "type": "CREATE",
                          "state": "SUCCESSFUL", "errors": [], "warnings": []}],
        }  # fmt: skip
        return 200, body


def _errors(code: str, message: str) -> dict[str, Any]:
    request = {"type": "GET", "state": "INVALID", "errors": [{"code": code, "message": message}]}
    return {"requests": [request]}


@contextmanager
def cdek_server() -> Iterator[FakeCdek]:
    """CDEK's API on a free local port until the block ends."""
    service = FakeCdek()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            if service.slow:
                time.sleep(service.slow)
            data = (
                body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the caller gave up waiting

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if urlsplit(self.path).path != "/v2/oauth/token":
                self._answer(404, {})
                return
            self._answer(*service.token({k: v[0] for k, v in parse_qs(body).items()}))

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/v2/orders":
                self._answer(404, {})
                return
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self._answer(*service.order(self.headers.get("Authorization", ""), query))

    with serving(Handler) as url:
        service.url = url
        yield service
