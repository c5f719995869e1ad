"""Normalising and checking employee and role input; each error names its field."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping

from server.errors import InvalidInput
from server.i18n import LANGUAGES
from server.phones import e164
from server.staff.permissions import SPECIAL, Action, Capability, Section

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


def login(value: str) -> str:
    """Lower-cased login of latin letters, digits, dot, dash and underscore."""
    cleaned = value.strip().lower()
    if not LOGIN_RE.match(cleaned):
        raise InvalidInput(
            "A login is 2 to 64 latin letters, digits, dots, dashes or underscores",
            field="login",
        )
    return cleaned


def email(value: str | None) -> str | None:
    """Lower-cased email, or None for an empty one."""
    cleaned = (value or "").strip().lower()
    if not cleaned:
        return None
    if not EMAIL_RE.match(cleaned):
        raise InvalidInput("Enter an email like name@example.ru", field="email")
    return cleaned


def phone(value: str) -> str:
    """A phone in international format (+7...), Russian numbers assumed without a code."""
    return e164(value) if value.strip() else ""


def text(value: str, field: str) -> str:
    """Text without surrounding spaces; empty refused."""
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput("This field is required", field=field)
    return cleaned


def language(value: str) -> str:
    """One of the supported UI languages."""
    if value not in LANGUAGES:
        raise InvalidInput(
            "Unknown language; choose one of: {choices}",
            field="language",
            choices=", ".join(LANGUAGES),
        )
    return value


def cidrs(values: Iterable[str]) -> list[str]:
    """Networks in canonical CIDR form; a bare address becomes /32 or /128."""
    networks: list[str] = []
    for raw in values:
        cleaned = raw.strip()
        if not cleaned:
            continue
        try:
            network = ipaddress.ip_network(cleaned, strict=False)
        except ValueError:
            raise InvalidInput(
                "«{value}» is not an IP address or network like 192.168.1.0/24",
                field="ip_allowlist",
                value=cleaned,
            ) from None
        if str(network) not in networks:
            networks.append(str(network))
    return networks


def manufacturers(values: Iterable[str]) -> list[str]:
    """Brand names without blanks and duplicates, in the given order."""
    seen: list[str] = []
    for raw in values:
        cleaned = raw.strip()
        if cleaned and cleaned.casefold() not in {s.casefold() for s in seen}:
            seen.append(cleaned)
    return seen


def permissions(
    value: Mapping[str, Iterable[str]], field: str = "permissions"
) -> dict[str, list[str]]:
    """A {section: [actions]} map with only known names, in a stable order."""
    sections = {s.value for s in Section}
    actions = [a.value for a in Action]
    result: dict[str, list[str]] = {}
    for section, acts in value.items():
        if section == SPECIAL and field == "permissions":
            known = [c.value for c in Capability]
            unknown_caps = set(acts) - set(known)
            if unknown_caps:
                raise InvalidInput(
                    "Unknown action «{name}»", field=field, name=sorted(unknown_caps)[0]
                )
            result[SPECIAL] = [c for c in known if c in set(acts)]
            continue
        if section not in sections:
            raise InvalidInput("Unknown section «{name}»", field=field, name=section)
        chosen = set(acts)
        unknown = chosen - set(actions)
        if unknown:
            raise InvalidInput("Unknown action «{name}»", field=field, name=sorted(unknown)[0])
        if chosen:
            result[section] = [a for a in actions if a in chosen]
    return result


def overrides(value: Mapping[str, Mapping[str, bool]]) -> dict[str, dict[str, bool]]:
    """A {section: {action: allow}} map with only known names."""
    known = permissions({s: list(acts) for s, acts in value.items()}, "permission_overrides")
    return {s: {a: bool(value[s][a]) for a in acts} for s, acts in known.items()}


def role_code(value: str) -> str:
    """A role code: a lower-case latin word."""
    cleaned = value.strip().lower()
    if not CODE_RE.match(cleaned):
        raise InvalidInput(
            "A code is 2 to 50 lower-case latin letters, digits or underscores", field="code"
        )
    return cleaned


def ip_allowed(ip: str, allowlist: Iterable[str]) -> bool:
    """True when the list is empty or `ip` falls in one of its networks."""
    networks = list(allowlist)
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for cidr in networks:
        try:
            if address in ipaddress.ip_network(cidr, strict=False):
                return True
        except ValueError:
            continue
    return False
