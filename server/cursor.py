"""Keyset page cursors: the sort values of the last row and its id, signed.

A cursor is opaque to callers and signed with the server's secret, so a changed or forged one
is refused instead of walking the list from an arbitrary place. Lists only sort by fields the
caller may read, so a cursor carries nothing the caller could not see on the page itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from server.config import get_settings
from server.errors import InvalidInput

_DAMAGED = "The page cursor is damaged; open the list again"
_SIGNATURE_BYTES = 12


def _signature(payload: bytes, purpose: str) -> bytes:
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, purpose.encode() + b"\0" + payload, hashlib.sha256).digest()
    return digest[:_SIGNATURE_BYTES]


def encode(purpose: str, values: list[Any]) -> str:
    """A cursor for a list (`purpose` names it, so one list's cursor fails on another)."""
    payload = json.dumps(values, default=str, separators=(",", ":")).encode()
    raw = _signature(payload, purpose) + payload
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(purpose: str, cursor: str, size: int) -> list[Any]:
    """The values of a cursor made by `encode` for this list: `size` of them, the last an id."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except ValueError:
        raise InvalidInput(_DAMAGED, field="cursor") from None
    given, payload = raw[:_SIGNATURE_BYTES], raw[_SIGNATURE_BYTES:]
    if not hmac.compare_digest(given, _signature(payload, purpose)):
        raise InvalidInput(_DAMAGED, field="cursor")
    try:
        values = json.loads(payload)
    except ValueError:
        raise InvalidInput(_DAMAGED, field="cursor") from None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not isinstance(values[-1], int)
        or not 0 < values[-1] < 2**63
    ):
        raise InvalidInput(_DAMAGED, field="cursor")
    return values
