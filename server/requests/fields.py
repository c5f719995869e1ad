"""Checking what a requester or an operator typed: one error at a time, with its field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from server.clock import today as center_today
from server.errors import InvalidInput
from server.orders import api as orders
from server.phones import e164
from server.requests.schemas import RequestFields

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
CUSTOM_ENTITY = "request"  # custom fields of requests are kept with the orders' ones
LIMITS = {  # what the table holds; a longer value is refused at its field, never cut
    "name": 200,
    "device": 300,
    "device_type": 100,
    "brand": 100,
    "model": 150,
    "serial": 100,
    "problem": 4000,
    "address": 1000,
}


def one_line(value: str) -> str:
    """Printable characters only, every run of whitespace as one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def text_block(value: str) -> str:
    """A multi-line text without control or format characters."""
    kept = "".join(c for c in value if c.isprintable() or c in "\n\t")
    return "\n".join(line.rstrip() for line in kept.strip().splitlines())


def phone(value: str) -> str:
    """A phone in E.164 form (Russian numbers may be typed without the country code)."""
    cleaned = one_line(value)
    return e164(cleaned) if cleaned else ""


def email(value: str) -> str:
    """A lower-cased email address (or "")."""
    cleaned = one_line(value).lower()
    if cleaned and not EMAIL_RE.match(cleaned):
        raise InvalidInput("Enter an email like name@example.ru", field="email")
    return cleaned


def clock(value: str | None, field: str) -> dt.time | None:
    """A time of day typed as HH:MM."""
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise InvalidInput("Enter a time like 14:30", field=field) from None


async def clean(data: RequestFields, *, partial: bool = False) -> dict[str, Any]:
    """Column values of a request; `partial` checks only what is given (a completion)."""
    given = msgspec.structs.asdict(data)
    out: dict[str, Any] = {}
    for key, limit in LIMITS.items():
        value = given[key]
        cleaned = text_block(value) if key in ("problem", "address") else one_line(value)
        if len(cleaned) > limit:
            raise InvalidInput("At most {n} characters", field=key, n=limit)
        out[key] = cleaned
    out["phone"] = phone(given["phone"])
    out["email"] = email(given["email"])
    out["problem_class"] = given["problem_class_id"]
    out["preferred_day"] = given["preferred_day"]
    out["preferred_from"] = clock(given["preferred_from"], "preferred_from")
    out["preferred_to"] = clock(given["preferred_to"], "preferred_to")
    if (
        out["preferred_from"]
        and out["preferred_to"]
        and out["preferred_to"] <= out["preferred_from"]
    ):
        raise InvalidInput("The end of the time must be after its start", field="preferred_to")
    today = center_today()
    day = out["preferred_day"]
    if day is not None and not today - dt.timedelta(days=1) <= day <= today + dt.timedelta(
        days=365
    ):
        raise InvalidInput("Choose a day within the coming year", field="preferred_day")
    out["custom"] = await orders.clean_custom_values(
        CUSTOM_ENTITY, given["custom"], partial=partial
    )
    if not partial:
        require(out)
    return out


def require(values: dict[str, Any]) -> None:
    """The fields every request needs: a name, a way to reach the person, the device, the
    problem."""
    for key in ("name", "device", "problem"):
        if not values.get(key):
            raise InvalidInput("This field is required", field=key)
    if not values.get("phone") and not values.get("email"):
        raise InvalidInput("Give a phone or an email to reach you", field="phone")


async def custom_fields() -> list[dict[str, Any]]:
    """The active custom fields of requests (for forms)."""
    return await orders.custom_field_definitions(CUSTOM_ENTITY)
