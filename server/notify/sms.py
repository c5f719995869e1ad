"""SMS through a provider: SMS.ru's HTTP API (https://sms.ru/api/send), off by default.
`SERVIO_SMS=smsru:<api_id>`; SERVIO_SMS_URL points it elsewhere (a test server)."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from server.config import get_settings
from server.notify.delivery import DeliveryError, NotConfigured

TIMEOUT = 15.0
# SMS.ru status codes that no retry will change (a wrong number, a blocked one, a bad key).
SMSRU_PERMANENT = {200, 201, 202, 203, 204, 205, 207, 208, 209, 230, 231, 232, 301, 302}


class Provider(Protocol):
    async def send(self, phone: str, text: str) -> str: ...


class SmsRu:
    """SMS.ru: POST /sms/send with api_id, to, msg, json=1."""

    def __init__(self, api_id: str, base_url: str = "https://sms.ru") -> None:
        self.api_id = api_id
        self.base_url = base_url

    async def send(self, phone: str, text: str) -> str:
        """Send; the provider's message id."""
        number = phone.lstrip("+")
        data = {"api_id": self.api_id, "to": number, "msg": text, "json": "1"}
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                answer = await client.post(f"{self.base_url}/sms/send", data=data)
        except httpx.HTTPError as error:
            raise DeliveryError(f"cannot reach SMS.ru: {error}") from error
        if answer.status_code != 200:
            raise DeliveryError(f"SMS.ru answered HTTP {answer.status_code}")
        try:
            body: dict[str, Any] = answer.json()
        except ValueError as error:
            raise DeliveryError("SMS.ru answered something that is not JSON") from error
        if body.get("status") != "OK":
            raise _refused(body)
        result = (body.get("sms") or {}).get(number) or {}
        if result.get("status") != "OK":
            raise _refused(result)
        return str(result.get("sms_id", ""))


def _refused(body: dict[str, Any]) -> DeliveryError:
    code = int(body.get("status_code") or 0)
    return DeliveryError(
        f"SMS.ru: {code} {body.get('status_text', '')}".strip(), permanent=code in SMSRU_PERMANENT
    )


def provider() -> Provider:
    """The configured provider, or NotConfigured (SMS then wait in the outbox)."""
    settings = get_settings()
    kind, _, key = settings.sms.partition(":")
    if kind == "smsru" and key:
        return SmsRu(key, settings.sms_url or "https://sms.ru")
    if settings.sms:
        raise DeliveryError(f"SERVIO_SMS names no known provider: {kind!r} (smsru:<api_id>)")
    raise NotConfigured("SERVIO_SMS is not set")


def configured() -> bool:
    return bool(get_settings().sms)
