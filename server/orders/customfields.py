"""Custom fields of orders and clients: definitions, and checking the values given for them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from server import refcache
from server.errors import InvalidInput
from server.orders.choices import FieldKind
from server.orders.tables import CustomField


async def definitions(
    entity: str, order_type_id: int | None = None, *, archived: bool = False
) -> list[dict[str, Any]]:
    """Active fields of an entity (for orders: general ones and those of the order type); with
    `archived`, the archived ones too (each a copy of the cached definition)."""
    rows = [dict(r) for r in await _fields_of(entity) if archived or r["is_active"]]
    if entity == "order":
        rows = [r for r in rows if r["order_type"] in (None, order_type_id)]
    return rows


@refcache.reads("custom_field")
async def _fields_of(entity: str) -> tuple[dict[str, Any], ...]:
    query = CustomField.select().where(CustomField.entity == entity)
    return tuple(await query.order_by(CustomField.sort).order_by(CustomField.id))


def _clean(field: dict[str, Any], value: Any) -> Any:
    kind = FieldKind(field["kind"])
    name = f"custom.{field['code']}"
    if value in (None, ""):
        return None
    if kind is FieldKind.TEXT:
        text = str(value).strip()
        if len(text) > 2000:
            raise InvalidInput("Too long", field=name)
        return text
    if kind is FieldKind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise InvalidInput("Enter a number", field=name) from None
        if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
            raise InvalidInput("Enter a number", field=name)
        return str(number)
    if kind is FieldKind.DATE:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise InvalidInput("Enter a date like 2026-11-23", field=name) from None
    if kind is FieldKind.CHOICE:
        if str(value) not in field["choices"]:
            raise InvalidInput("Choose one of the offered values", field=name)
        return str(value)
    if isinstance(value, bool):
        return value
    if str(value).lower() in {"1", "true", "on", "yes"}:
        return True
    if str(value).lower() in {"0", "false", "off", "no"}:
        return False
    raise InvalidInput("Expected true or false", field=name)


async def clean_values(
    entity: str, values: dict[str, Any], order_type_id: int | None = None, *, partial: bool = False
) -> dict[str, Any]:
    """Checked values of custom fields; unknown codes and missing required ones are refused.

    Values of archived fields are checked like the others and kept (a record edited after its
    field was archived keeps what it holds); an archived field is never required."""
    fields = {f["code"]: f for f in await definitions(entity, order_type_id, archived=True)}
    unknown = set(values) - set(fields)
    if unknown:
        raise InvalidInput("Unknown field", field=f"custom.{sorted(unknown)[0]}")
    cleaned = {code: _clean(fields[code], value) for code, value in values.items()}
    if not partial:
        for code, field in fields.items():
            if field["is_active"] and field["required"] and cleaned.get(code) in (None, ""):
                raise InvalidInput("This field is required", field=f"custom.{code}")
    return {k: v for k, v in cleaned.items() if v is not None}
