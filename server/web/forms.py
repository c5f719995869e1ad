"""Turning posted forms into service input, and service errors into errors next to fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import msgspec
from litestar import Request

from server.errors import DomainError, _human
from server.i18n import gettext

T = TypeVar("T")


async def read_form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The posted fields: single values as text, repeated ones (checkboxes) as lists."""
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        if key == "_csrf_token":
            continue
        items = form.getall(key)
        values[key] = items if len(items) > 1 or key.endswith("[]") else items[0]
    return {k.removesuffix("[]"): v for k, v in values.items()}


def lines(text: str) -> list[str]:
    """Non-empty lines (or comma-separated items) of a text area."""
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def convert(data: dict[str, Any], into: type[T]) -> T:
    """Build a Struct from form data; msgspec errors become a field error."""
    try:
        return msgspec.convert(data, into, strict=False)
    except msgspec.ValidationError as error:
        message = str(error)
        field = message.rsplit("$.", 1)[1].rstrip("`").split("[")[0] if "$." in message else ""
        if "required field `" in message:
            field = message.split("required field `", 1)[1].split("`", 1)[0]
        raise FormError({field: _human(message)}) from None


class FormError(Exception):
    """Errors to show next to the fields of a form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def errors_of(error: DomainError | FormError) -> dict[str, str]:
    """{field: message} of an error; "" holds a message for the whole form."""
    if isinstance(error, FormError):
        return error.errors
    return {error.field or "": error.text()}


def decimal_of(value: Any, field: str) -> Decimal:
    """A typed amount (`1 200,50`), 0 when empty, or an error at its field."""
    text = str(value).replace(",", ".").replace(" ", "").replace("\u00a0", "")
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        raise FormError({field: gettext("Enter a number")}) from None


def date_of(value: Any, field: str) -> dt.date | None:
    """A typed day (ISO, as date inputs send it), None when empty, or an error at its field."""
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise FormError({field: gettext("Enter a date")}) from None
