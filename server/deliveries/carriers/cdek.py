"""CDEK's public API v2: an OAuth2 token by client credentials (POST /v2/oauth/token), then
an order's data by its CDEK number (GET /v2/orders?cdek_number=...).

Configured by SERVIO_CDEK_CLIENT_ID and SERVIO_CDEK_CLIENT_SECRET (off without them) and
SERVIO_CDEK_URL (https://api.cdek.ru; https://api.edu.cdek.ru is CDEK's test API). The token
is kept per process until shortly before it expires: every process may hold its own, nothing
needs them to agree, and a token CDEK refuses early is dropped and fetched once more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from server.config import get_settings
from server.deliveries.carriers.base import (
    CarrierAway,
    CarrierRefused,
    CarrierStatus,
    KeysRefused,
    Tracked,
    UnknownToCarrier,
)
from server.deliveries.carriers.cdek_statuses import status_of
from server.deliveries.choices import ShipmentStatus
from server.i18n import N_

EARLY = 60.0  # seconds before its expiry a token is no longer used
_tokens: dict[str, tuple[str, float]] = {}  # key of the keys -> (token, monotonic expiry)


class Cdek:
    """A CDEK account: its API address, keys and how long a request may take."""

    def __init__(self, url: str, client_id: str, client_secret: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        secret = hashlib.sha256(client_secret.encode()).hexdigest()
        self.key = f"{self.url}\0{client_id}\0{secret}"

    async def track(self, number: str) -> Tracked:
        """The order with this CDEK number: its statuses, cost, packages and addresses."""
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            answer = await self._orders(http, number, await self._token(http))
            if answer.status_code == 401:  # expired early or revoked: a new one, once
                _tokens.pop(self.key, None)
                answer = await self._orders(http, number, await self._token(http))
        return _order(number, answer)

    async def _orders(self, http: httpx.AsyncClient, number: str, token: str) -> httpx.Response:
        return await _call(
            http.get(
                f"{self.url}/v2/orders",
                params={"cdek_number": number},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
        )

    async def _token(self, http: httpx.AsyncClient) -> str:
        """The kept token, or a new one (two requests at once may both fetch one: harmless)."""
        kept = _tokens.get(self.key)
        if kept and kept[1] > time.monotonic():
            return kept[0]
        answer = await _call(
            http.post(
                f"{self.url}/v2/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
        )
        if answer.status_code in (400, 401, 403):
            body = _lenient(answer)
            reason = body.get("error_description") or body.get("error") or answer.status_code
            raise KeysRefused(N_("CDEK refused the integration keys: {reason}"), reason=reason)
        body = _json(answer)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise CarrierAway(N_("CDEK answered something that is not a token"))
        lifetime = _number(body.get("expires_in")) or Decimal(3600)
        _tokens[self.key] = (token, time.monotonic() + max(float(lifetime) - EARLY, 1.0))
        return token


async def _call(request: Any) -> httpx.Response:
    """Await a request; no answer in time, or no connection, is the carrier being away."""
    try:
        answer: httpx.Response = await request
    except httpx.TimeoutException:
        raise CarrierAway(N_("CDEK did not answer in time; try again later")) from None
    except httpx.HTTPError as error:
        raise CarrierAway(N_("Cannot reach CDEK: {reason}"), reason=type(error).__name__) from None
    return answer


def _json(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        _server_error(answer)
        raise CarrierAway(N_("CDEK answered something that is not JSON")) from None
    return body if isinstance(body, dict) else {}


def _lenient(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _server_error(answer: httpx.Response) -> None:
    if answer.status_code >= 500 or answer.status_code == 429:
        raise CarrierAway(N_("CDEK answered HTTP {code}; try again later"), code=answer.status_code)


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors of an answer: `requests[].errors[]` (and a top-level `errors`)."""
    found = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    for request in body.get("requests") or []:
        if isinstance(request, dict):
            found += [e for e in request.get("errors") or [] if isinstance(e, dict)]
    return found


def _order(number: str, answer: httpx.Response) -> Tracked:
    body = _json(answer)
    errors = _errors(body)
    entity = body.get("entity")
    if errors or answer.status_code >= 400 or not isinstance(entity, dict):
        _server_error(answer)
        codes = " ".join(str(e.get("code", "")) for e in errors)
        reason = "; ".join(str(e.get("message") or e.get("code")) for e in errors)
        if "not_found" in codes or answer.status_code == 404:
            raise UnknownToCarrier(
                N_("CDEK knows no shipment with number {number}"),
                field="tracking_number",
                number=number,
            )
        raise CarrierRefused(
            N_("CDEK answered with an error: {reason}"),
            reason=reason or f"HTTP {answer.status_code}",
        )
    return tracked(number, entity)


def tracked(number: str, entity: dict[str, Any]) -> Tracked:
    """An order entity of CDEK's answer as the carrier interface's Tracked."""
    statuses = sorted(
        (_status(s) for s in entity.get("statuses") or [] if isinstance(s, dict)),
        key=lambda s: s.at or dt.datetime.min.replace(tzinfo=dt.UTC),
    )
    detail = entity.get("delivery_detail") or {}
    packages = [p for p in entity.get("packages") or [] if isinstance(p, dict)]
    grams = [_number(p.get("weight")) for p in packages]
    latest = statuses[-1] if statuses else None
    ours = status_of(latest.code) if latest else None
    return Tracked(
        number=str(entity.get("cdek_number") or number),
        uuid=str(entity.get("uuid") or "")[:64],
        statuses=statuses,
        status=ours,
        cost=_money(detail.get("delivery_sum", detail.get("total_sum"))),
        weight_kg=_kilograms(grams),
        places=len(packages) or None,
        from_address=_place(entity.get("from_location")),
        to_address=_place(entity.get("to_location")),
        contact=_contact(entity.get("recipient")),
        delivered_at=latest.at if latest and ours is ShipmentStatus.DELIVERED else None,
    )


def _kilograms(grams: list[Decimal | None]) -> Decimal | None:
    """The packages' weight in kilograms (CDEK gives grams), or None when none says it."""
    known = [g for g in grams if g is not None]
    if not known:
        return None
    return (sum(known, Decimal(0)) / 1000).quantize(Decimal("0.001"))


def _status(raw: dict[str, Any]) -> CarrierStatus:
    return CarrierStatus(
        code=str(raw.get("code") or "")[:100],
        name=str(raw.get("name") or raw.get("code") or "")[:300],
        at=_moment(raw.get("date_time")),
        city=str(raw.get("city") or "")[:200],
    )


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _money(value: Any) -> Decimal | None:
    number = _number(value)
    if number is None or number >= Decimal("1e10"):
        return None
    return number.quantize(Decimal("0.01"))


def _place(location: Any) -> str:
    if not isinstance(location, dict):
        return ""
    parts = [location.get("city"), location.get("address")]
    return ", ".join(str(p) for p in parts if p)[:1000]


def _contact(recipient: Any) -> str:
    if not isinstance(recipient, dict):
        return ""
    phones = [p.get("number") for p in recipient.get("phones") or [] if isinstance(p, dict)]
    parts = [recipient.get("name"), *phones]
    return ", ".join(str(p) for p in parts if p)[:300]


def configured() -> Cdek | None:
    """The configured CDEK account, or None while its keys are not set."""
    settings = get_settings()
    if not settings.cdek_client_id or not settings.cdek_client_secret:
        return None
    return Cdek(
        settings.cdek_url,
        settings.cdek_client_id,
        settings.cdek_client_secret,
        settings.cdek_timeout,
    )
