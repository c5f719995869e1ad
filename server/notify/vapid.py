"""The server's VAPID key pair: made on first use, kept in the database, shared by every
process (two processes racing to make it keep the first one stored)."""

from __future__ import annotations

import base64
import datetime as dt
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

from server.notify.tables import VapidKey


def _public_b64(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@lru_cache(maxsize=4)
def _load(pem: str) -> Vapid02:
    return Vapid02.from_pem(pem.encode())


async def _stored() -> dict[str, str] | None:
    return await VapidKey.select().order_by(VapidKey.id).first()


async def keys() -> tuple[Vapid02, str]:
    """The signing key and the public key (base64url) browsers subscribe with."""
    row = await _stored()
    if row is None:
        made = Vapid02()
        made.generate_keys()
        pem = made.private_pem().decode()
        await VapidKey.raw(
            "INSERT INTO vapid_key (id, private_pem, public_key, created_at)"
            " VALUES (1, {}, {}, {}) ON CONFLICT (id) DO NOTHING",
            pem,
            _public_b64(made),
            dt.datetime.now(dt.UTC),
        )
        row = await _stored()
    assert row is not None
    return _load(row["private_pem"]), row["public_key"]


async def public_key() -> str:
    """The application server key of `PushManager.subscribe`."""
    return (await keys())[1]
