"""Secret tokens handed out in links and cookies: random, URL-safe, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def new_token(random_bytes: int = 32) -> str:
    """A URL-safe token of `random_bytes` random bytes (32: 256 bits, 43 characters)."""
    return secrets.token_urlsafe(random_bytes)


def token_hash(token: str) -> str:
    """What is stored of a token: the hex SHA-256 (a token typed into a URL may hold any text)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
