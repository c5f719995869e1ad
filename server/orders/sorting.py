"""The orders list's sorts: what each orders by, who may use it, and its keyset cursor.

A sort names an SQL expression on `service_order` (its own columns, or the sort number of its
own status and type); the page of ids is ordered by it and then by id, and the cursor carries
the last row's (value, id). A sort reading a field hidden from the caller is refused like an
unknown one, so neither the order of rows nor a cursor tells anything about that field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple

from piccolo.columns.combination import WhereRaw

from server.actor import Actor
from server.errors import InvalidInput
from server.fieldaccess import hidden_fields

DEFAULT = "-created"
_DAMAGED = "The page cursor is damaged; open the list again"


class SortKey(NamedTuple):
    """What a sort orders by."""

    sql: str  # an expression on service_order
    field: str | None  # the order field it reveals (None: what every caller sees)
    kind: Literal["time", "decimal", "int", "text"]  # how its cursor value is read back
    nullable: bool = False


_PRIORITY_RANK = (
    "CASE service_order.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 "
    "WHEN 'normal' THEN 1 ELSE 0 END"
)
KEYS = {
    "created": SortKey("service_order.created_at", None, "time"),
    "due": SortKey("service_order.due_at", "due_at", "time", nullable=True),
    "number": SortKey("service_order.number", None, "text"),
    "status": SortKey(
        "(SELECT s.sort FROM order_status s WHERE s.id = service_order.status)", None, "int"
    ),
    "type": SortKey(
        "(SELECT t.sort FROM order_type t WHERE t.id = service_order.order_type)", None, "int"
    ),
    "priority": SortKey(_PRIORITY_RANK, "priority", "int"),
    "total": SortKey("service_order.total", "total", "decimal"),
    "amount_due": SortKey("service_order.amount_due", "amount_due", "decimal"),
}
# The list's column codes and the sort each header offers.
COLUMN_SORTS = {
    "number": "number",
    "status": "status",
    "type": "type",
    "priority": "priority",
    "due_at": "due",
    "total": "total",
    "amount_due": "amount_due",
    "created_at": "created",
}


class Sort(NamedTuple):
    """A sort as asked: its name, its key and the direction."""

    name: str
    key: SortKey
    ascending: bool


def allowed(actor: Actor) -> list[str]:
    """The sort values the actor may use (each key ascending and, with «-», descending)."""
    hidden = hidden_fields(actor, "order")
    names = [name for name, key in KEYS.items() if key.field not in hidden]
    return [value for name in names for value in (name, f"-{name}")]


def parse(actor: Actor, value: str) -> Sort:
    """The sort named `value`; unknown ones and those by a hidden field refused alike."""
    name = value.removeprefix("-")
    if value not in allowed(actor):
        raise InvalidInput(
            "Unknown sort; choose one of: {choices}",
            field="sort",
            choices=", ".join(allowed(actor)),
        )
    return Sort(value, KEYS[name], ascending=not value.startswith("-"))


def order_sql(sort: Sort) -> str:
    """ORDER BY of the page: the key, then the id, both in the sort's direction.

    PostgreSQL puts NULLs last ascending and first descending; `after` follows that."""
    direction = "ASC" if sort.ascending else "DESC"
    return f"{sort.key.sql} {direction}, service_order.id {direction}"


def after(sort: Sort, value: Any, last_id: int) -> WhereRaw:
    """Rows after (value, last_id) in the sort's order."""
    expr = sort.key.sql
    op = ">" if sort.ascending else "<"
    if not sort.key.nullable:
        return WhereRaw(f"({expr}, service_order.id) {op} ({{}}, {{}})", value, last_id)
    if value is None:
        if sort.ascending:  # among the NULLs at the end
            return WhereRaw(f"({expr} IS NULL AND service_order.id > {{}})", last_id)
        return WhereRaw(
            f"(({expr} IS NULL AND service_order.id < {{}}) OR {expr} IS NOT NULL)", last_id
        )
    tail = f" OR {expr} IS NULL" if sort.ascending else ""
    return WhereRaw(
        f"({expr} {op} {{}} OR ({expr} = {{}} AND service_order.id {op} {{}}){tail})",
        value,
        value,
        last_id,
    )


def cursor_value(sort: Sort, value: Any) -> Any:
    """A sort value as the cursor keeps it (JSON)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def read_value(sort: Sort, value: Any) -> Any:
    """A cursor's sort value back as the database compares it, or InvalidInput."""
    if value is None and sort.key.nullable:
        return None
    kind = sort.key.kind
    try:
        if kind == "time" and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if kind == "decimal" and isinstance(value, str):
            return Decimal(value)
        if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            return value
        if kind == "text" and isinstance(value, str):
            return value
    except (ValueError, InvalidOperation):
        pass
    raise InvalidInput(_DAMAGED, field="cursor")
