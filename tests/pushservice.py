"""A local Web Push service for tests: endpoints that check the VAPID signature (RFC 8292) and
decrypt the payload (RFC 8291, aes128gcm) with the keys of a browser the test plays."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.httpstub import serving


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A subscribed browser: its ECDH key and auth secret, and the pushes it got."""

    name: str
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    received: list[dict[str, Any]] = field(default_factory=list)
    answer: int = 201  # what the push service answers for this browser (410: gone)

    @property
    def p256dh(self) -> str:
        return b64(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )


class PushService:
    """Endpoints /push/<name>; what arrived, checked, per browser; refusals counted."""

    def __init__(self) -> None:
        self.origin = ""  # set once it serves
        self.browsers: dict[str, Browser] = {}
        self.refused: list[str] = []
        self.arrived = threading.Condition()

    def browser(self, name: str) -> Browser:
        self.browsers[name] = Browser(name)
        return self.browsers[name]

    def subscription(self, browser: Browser) -> dict[str, Any]:
        return {
            "endpoint": f"{self.origin}/push/{browser.name}",
            "keys": {"p256dh": browser.p256dh, "auth": b64(browser.auth)},
        }

    def check(self, browser: Browser, headers: Any, body: bytes) -> dict[str, Any]:
        """The VAPID JWT and key, the TTL, then the decrypted JSON; AssertionError if wrong."""
        scheme, _, params = (headers.get("Authorization") or "").partition(" ")
        assert scheme == "vapid", f"no VAPID authorization: {scheme!r}"
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        token, server_key = parts["t"], unb64(parts["k"])
        head, claims, signature = token.split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_key)
        raw = unb64(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        assert json.loads(unb64(head))["alg"] == "ES256"
        claim = json.loads(unb64(claims))
        assert claim["aud"] == self.origin, claim
        assert claim["exp"] > time.time(), claim
        assert claim["exp"] <= time.time() + 24 * 3600 + 60, claim
        assert claim["sub"].startswith(("mailto:", "https:")), claim
        assert int(headers.get("TTL", "-1")) > 0, "TTL is always set"
        assert headers.get("Content-Encoding") == "aes128gcm"
        plain = http_ece.decrypt(
            body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm"
        )
        return {
            "payload": json.loads(plain),
            "urgency": headers.get("Urgency", ""),
            "ttl": int(headers["TTL"]),
            "server_key": parts["k"],
        }

    def wait_for(self, browser: Browser, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(browser.received) >= count, timeout)
        return list(browser.received)


@contextmanager
def push_service() -> Iterator[PushService]:
    """A push service on a free local port, in a thread."""
    service = PushService()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            browser = service.browsers.get(name)
            if browser is None or browser.answer != 201:
                self.send_response(browser.answer if browser else 404)
                self.end_headers()
                return
            try:
                checked = service.check(browser, self.headers, body)
            except (AssertionError, InvalidSignature, KeyError, ValueError) as error:
                service.refused.append(f"{name}: {error!r}")
                self.send_response(400)
                self.end_headers()
                return
            with service.arrived:
                browser.received.append(checked)
                service.arrived.notify_all()
            self.send_response(201)
            self.end_headers()

    with serving(Handler) as url:
        service.origin = url
        yield service
