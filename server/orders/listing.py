"""The orders list's query and per-employee settings: filters read from the query, saved
quick filters and the columns of the orders table."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from server.actor import Actor
from server.errors import InvalidInput, NotFound
from server.fieldaccess import hidden_fields
from server.i18n import N_
from server.orders.services import OrderFilters
from server.orders.tables import CustomField, ListColumns, SavedFilter

LIST = "orders"
# code, label, order field it shows (for field permissions)
COLUMNS = (
    ("number", N_("Number"), "number"),
    ("status", N_("Status"), "status"),
    ("sla", N_("SLA"), "sla"),
    ("type", N_("Type"), "type"),
    ("client", N_("Client"), "client"),
    ("device", N_("Device"), "device"),
    ("technician", N_("Technician"), "technician_id"),
    ("priority", N_("Priority"), "priority"),
    ("due_at", N_("Due"), "due_at"),
    ("total", N_("Total"), "total"),
    ("amount_due", N_("To pay"), "amount_due"),
    ("created_at", N_("Created"), "created_at"),
)
DEFAULT_COLUMNS = ["number", "status", "sla", "client", "device", "technician", "due_at", "total"]
FILTER_KEYS = {
    "q",
    "group",
    "status",
    "type",
    "priority",
    "assignee",
    "overdue",
    "sla",
    "created_from",
    "created_to",
    "sort",
}
_DAY_RU = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YES, _NO = {"true", "1", "on", "yes"}, {"", "false", "0", "off", "no"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value[:500].split(",") if part.strip()][:20]


def _day(value: str, field: str) -> dt.date | None:
    """A day typed as 2026-12-02 (the date input) or 02.12.2026; empty means no filter."""
    value = value.strip()
    if not value:
        return None
    try:
        found = _DAY_RU.match(value)
        if found:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("Enter a date like 02.12.2026", field=field) from None


def _employee(actor: Actor, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value == "me":
        return actor.employee_id
    if value.isdigit() and len(value) < 10:
        return int(value)
    raise InvalidInput("Give an employee id or «me»", field="assignee")


def _client(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and 0 < int(value) < 2**31:
        return int(value)
    raise InvalidInput("No client with id {id}", field="client", id=value[:20])


def _flag(value: str, field: str) -> bool:
    if value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    raise InvalidInput("Expected true or false", field=field)


def filters_from(
    actor: Actor, params: Mapping[str, str]
) -> tuple[OrderFilters, list[InvalidInput]]:
    """The list's filters from a query string, and an error per value that is not one.

    An empty field means no filter (a form sends every field); a bad value is left out of
    the filters and reported with its field, so a page shows it next to that field.
    """
    errors: list[InvalidInput] = []

    def read(parse: Any, *args: Any) -> Any:
        try:
            return parse(*args)
        except InvalidInput as error:
            errors.append(error)
            return None

    text = {key: str(value) for key, value in params.items()}
    custom = {}
    for key, value in text.items():
        code = key.removeprefix("custom.")
        if key.startswith("custom.") and value.strip():
            if code.replace("_", "").isalnum() and len(code) <= 50:
                custom[code] = value[:200]
            else:
                errors.append(InvalidInput("Unknown field", field=key[:60]))
    days = {
        key: read(_day, text.get(key, ""), key)
        for key in ("created_from", "created_to", "due_from", "due_to")
    }
    for start, end in (("created_from", "created_to"), ("due_from", "due_to")):
        if days[start] and days[end] and days[end] < days[start]:
            errors.append(InvalidInput("The end is before the start", field=end))
            days[end] = None
    filters = OrderFilters(
        q=text.get("q", "")[:200],
        status=_split(text.get("status", "")),
        status_group=_split(text.get("status_group", "")),
        order_type=_split(text.get("type", "")),
        priority=_split(text.get("priority", "")),
        technician=read(_employee, actor, text.get("assignee", "")),
        client=read(_client, text.get("client", "")),
        overdue=bool(read(_flag, text.get("overdue", ""), "overdue")),
        custom=custom,
        **days,
    )
    return filters, errors


async def available_columns(actor: Actor) -> list[tuple[str, str]]:
    """Columns the actor may choose: built-in ones not hidden from them, and custom fields."""
    hidden = hidden_fields(actor, "order")
    columns = [(code, label) for code, label, field in COLUMNS if field not in hidden]
    if "custom" not in hidden:
        rows = await CustomField.select(CustomField.code, CustomField.label).where(
            CustomField.entity == "order", CustomField.is_active.eq(True)
        )
        columns += [(f"custom.{r['code']}", r["label"]) for r in rows]
    return columns


async def chosen_columns(actor: Actor, available: list[tuple[str, str]] | None = None) -> list[str]:
    """The actor's columns in their order (defaults until they choose); `available` is what
    `available_columns` gave, when the caller has it already."""
    if available is None:
        available = await available_columns(actor)
    allowed = {code for code, _ in available}
    row = (
        await ListColumns.select(ListColumns.columns)
        .where(ListColumns.employee == actor.employee_id, ListColumns.list_name == LIST)
        .first()
    )
    columns = row["columns"] if row else DEFAULT_COLUMNS
    return [c for c in columns if c in allowed] or [c for c in DEFAULT_COLUMNS if c in allowed]


async def choose_columns(actor: Actor, columns: list[str]) -> None:
    """Remember the actor's columns (unknown ones refused)."""
    allowed = {code for code, _ in await available_columns(actor)}
    unknown = [c for c in columns if c not in allowed]
    if unknown or not columns:
        raise InvalidInput("Choose at least one of the offered columns", field="columns")
    columns = list(dict.fromkeys(columns))[:30]
    existing = await ListColumns.exists().where(
        ListColumns.employee == actor.employee_id, ListColumns.list_name == LIST
    )
    if existing:
        await ListColumns.update({ListColumns.columns: columns}).where(
            ListColumns.employee == actor.employee_id, ListColumns.list_name == LIST
        )
    else:
        await ListColumns(employee=actor.employee_id, list_name=LIST, columns=columns).save()


def clean_query(query: str) -> dict[str, str]:
    """Only the filter parameters of a list query string."""
    return {k: v[:200] for k, v in parse_qsl(query) if k in FILTER_KEYS or k.startswith("custom.")}


async def saved_filters(actor: Actor) -> list[dict[str, Any]]:
    """The actor's saved quick filters with their links."""
    rows = (
        await SavedFilter.select()
        .where(SavedFilter.employee == actor.employee_id, SavedFilter.list_name == LIST)
        .order_by(SavedFilter.id)
        .output(load_json=True)
    )
    return [{**r, "href": f"/orders?{urlencode(r['query'])}"} for r in rows]


async def save_filter(actor: Actor, name: str, query: str) -> None:
    """Keep the current filters under a name."""
    name = name.strip()
    if not name:
        raise InvalidInput("This field is required", field="filter_name")
    if len(name) > 100:
        raise InvalidInput("Too long", field="filter_name")
    if await SavedFilter.count().where(SavedFilter.employee == actor.employee_id) >= 30:
        raise InvalidInput("Up to 30 saved filters; delete one first", field="filter_name")
    await SavedFilter(
        employee=actor.employee_id, list_name=LIST, name=name, query=clean_query(query)
    ).save()


async def delete_filter(actor: Actor, filter_id: int) -> None:
    """Forget one of the actor's saved filters."""
    deleted = (
        await SavedFilter.delete()
        .where(SavedFilter.id == filter_id, SavedFilter.employee == actor.employee_id)
        .returning(SavedFilter.id)
    )
    if not deleted:
        raise NotFound("No such saved filter")
