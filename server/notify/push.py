"""Web Push (RFC 8030/8291/8292) through pywebpush: encrypted payload, VAPID signature, TTL
always set, Urgency high for what cannot wait. Endpoints only on the allow-list of push
services, checked when a browser subscribes and again before every send."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import anyio
from pywebpush import WebPushException, webpush

from server.config import get_settings
from server.notify import vapid
from server.notify.delivery import DeliveryError

TTL = 24 * 3600  # a push nobody's browser took within a day is no longer news
TIMEOUT = 10.0
GONE = (404, 410)


class Gone(DeliveryError):
    """The push service says the subscription no longer exists: drop it."""


def endpoint_allowed(endpoint: str) -> bool:
    """An https endpoint on an allowed push service (a host or a subdomain of it), or an
    origin listed exactly (http://127.0.0.1:8123 for a local receiver)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    origin = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    for allowed in get_settings().push_services:
        allowed = allowed.lower().rstrip("/")
        if "://" in allowed:
            if origin == allowed:
                return True
        elif parts.scheme == "https" and (host == allowed or host.endswith("." + allowed)):
            return True
    return False


def _contact() -> str:
    settings = get_settings()
    if settings.push_contact:
        return settings.push_contact
    if settings.mail_from:
        return f"mailto:{settings.mail_from}"
    return (
        settings.public_url
        if settings.public_url.startswith("https:")
        else "mailto:admin@localhost"
    )


async def send(subscription: dict[str, Any], payload: dict[str, Any], urgency: str) -> None:
    """Deliver one payload to one subscription; Gone when it is no more."""
    if not endpoint_allowed(subscription["endpoint"]):
        raise DeliveryError("the endpoint is not on the push services allowed", permanent=True)
    key, _ = await vapid.keys()
    info = {
        "endpoint": subscription["endpoint"],
        "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]},
    }
    aud = "{0.scheme}://{0.netloc}".format(urlsplit(subscription["endpoint"]))

    def call() -> None:
        webpush(
            info,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=key,
            vapid_claims={"sub": _contact(), "aud": aud},
            ttl=TTL,
            timeout=TIMEOUT,
            headers={"Urgency": urgency if urgency in ("very-low", "low", "high") else "normal"},
        )

    try:
        await anyio.to_thread.run_sync(call)
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        if status in GONE:
            raise Gone(
                f"the push service answered {status}: subscription gone", permanent=True
            ) from error
        permanent = status is not None and 400 <= status < 500 and status != 429
        raise DeliveryError(
            f"the push service answered {status}: {error.message}", permanent=permanent
        ) from error
    except OSError as error:
        raise DeliveryError(f"cannot reach the push service: {error}") from error
