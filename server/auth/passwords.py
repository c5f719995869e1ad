"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from server.config import get_settings
from server.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 128
# The 20,000 most common passwords (the list Django ships, compiled by Royce Williams; BSD).
COMMON_PASSWORDS_FILE = Path(__file__).parent / "common-passwords.txt.gz"


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
        type=Type.ID,
    )


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list, lower-cased."""
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def check_policy(password: str, *, login: str = "", field: str = "password") -> None:
    """Refuse a password that is too short, too long, common, or the login itself."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            "The password must be at least {n} characters long", field=field, n=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            "The password must be at most {n} characters long", field=field, n=MAX_LENGTH
        )
    lowered = password.lower()
    if lowered in common_passwords() or (login and lowered == login.lower()):
        raise InvalidInput("This password is too common. Choose another one", field=field)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Verified against when the login is unknown, so both answers take the same time.
_DUMMY_HASH: list[str] = []


def verify_dummy(password: str) -> None:
    """Spend the time of one verification without a real account."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("servio-dummy-password"))
    verify_password(_DUMMY_HASH[0], password)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other cost parameters."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
