"""The audit log as people read it: records named and linked, fields labelled, values formatted,
and only what the viewer may see.

Each entry passes through the read API of the domain that owns its record, with the viewer:
an order's entries (its lines and visits too) are shown only if the order is in the viewer's
scope and lose the fields the viewer may not read (orders.api.readable_changes, as on the
order's timeline); a client's entries need clients:view and lose the client's hidden fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import msgspec

from server import formats
from server.actor import Actor
from server.audit.labels import (
    ACTION_LABELS,
    CODE_LABELS,
    EMPLOYEE_FIELDS,
    ENTITY_LABELS,
    FIELD_LABELS,
    MONEY_FIELDS,
    PAYMENT_METHODS,
    QUANTITY_FIELDS,
    RECORD_FIELDS,
    TRANSLATED_FIELDS,
)
from server.audit.services import SECRET_MARK
from server.clients import api as clients_api
from server.fieldaccess import visible
from server.i18n import LANGUAGES, gettext
from server.orders import api as orders
from server.purchasing import api as purchasing
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.stock import api as stock


class ShownChange(msgspec.Struct, frozen=True):
    """One changed field: its label and both values as text."""

    field: str
    label: str
    old: str
    new: str


class ShownEntry(msgspec.Struct, frozen=True):
    """One audit entry ready for the page."""

    id: int
    at: dt.datetime
    action: str
    action_label: str
    entity: str
    entity_id: str
    entity_label: str
    title: str
    url: str | None
    author: str | None
    author_id: int | None
    ip: str
    changes: list[ShownChange]
    values: dict[str, Any]  # the changes as stored, of the fields the viewer may read


# Where each kind of record is seen: {id} is the record's id.
LINKS = {
    "order": "/orders/{id}",
    "client": "/clients/{id}",
    "employee": "/staff/employees/{id}",
    "master_profile": "/staff/employees/{id}",
    "role": "/staff/roles/{id}",
    "request": "/requests/{id}",
    "center": "/settings/center",
    "print_template": "/settings/print-templates/{id}",
    "order_status": "/settings/workflow",
    "order_type": "/settings/workflow?type={id}",
    "price_item": "/settings/prices",
    "custom_field": "/settings/custom-fields",
    "notify_rule": "/settings/notifications",
    "act_kind": "/settings/acts",
    "sla_policy": "/settings/sla",
    "sla_calendar": "/settings/sla",
    "rating_settings": "/settings/ratings",
    "organization": "/settings/partners",
    "stock_document": "/stock/documents/{id}",
    "stock_item": "/stock/items/{id}",
    "warehouse": "/stock/warehouses",
    "supplier_order": "/purchasing/{id}",
    "supplier": "/purchasing/suppliers/{id}",
}
# Records of stock and purchasing: seen by those who see the section, named by its read API.
STOCK_ENTITIES = frozenset({"stock_document", "stock_item", "warehouse"})
PURCHASING_ENTITIES = frozenset({"supplier_order", "supplier"})
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
AMOUNT = re.compile(r"(-?\d+\.\d{2}) ₽")
METHOD = re.compile(r"\((cash|card|sbp|transfer)\)")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _order_of(entry: dict[str, Any]) -> int | None:
    """The order an entry belongs to (its own record, a line's or a visit's order)."""
    scope = entry.get("scope") or ""
    if scope.startswith("order:") and scope[6:].isdigit():
        return int(scope[6:])
    if entry["entity"] == "order" and entry["entity_id"].isdigit():
        return int(entry["entity_id"])
    return None


def _ids(entries: Iterable[dict[str, Any]], entity: str) -> set[int]:
    return {
        int(e["entity_id"]) for e in entries if e["entity"] == entity and e["entity_id"].isdigit()
    }


def _mentioned(entries: Iterable[dict[str, Any]], fields: Iterable[str]) -> set[int]:
    """Ids held by those fields in the changes (a technician, a warehouse's keepers)."""
    wanted = set(fields)
    found: set[int] = set()
    for entry in entries:
        for key, change in (entry["changes"] or {}).items():
            if key in wanted and isinstance(change, list):
                for value in change:
                    values = value if isinstance(value, list) else [value]
                    found |= {v for v in values if isinstance(v, int) and not isinstance(v, bool)}
    return found


def _by_field(entries: Iterable[dict[str, Any]], kind: str) -> set[int]:
    """Ids of records of `kind` the entries are about or name in their changes."""
    fields = [f for f, k in RECORD_FIELDS.items() if k == kind]
    return _ids(entries, kind) | _mentioned(entries, fields)


async def _records(actor: Actor, entries: list[dict[str, Any]]) -> dict[str, dict[int, str]]:
    """{kind: {id: name}} of the stock and purchasing records the entries name (their own
    domains say which the actor sees)."""
    found = await stock.audit_names(
        actor,
        documents=_ids(entries, "stock_document"),
        items=_by_field(entries, "stock_item"),
        warehouses=_by_field(entries, "warehouse"),
    )
    found |= await purchasing.audit_names(
        actor,
        orders=_ids(entries, "supplier_order"),
        supplier_ids=_by_field(entries, "supplier"),
    )
    return found


async def present(actor: Actor, entries: list[dict[str, Any]]) -> list[ShownEntry]:
    """The entries the actor may see, named, linked and formatted (a few queries per page)."""
    refs = await orders.order_refs(actor, sorted({o for e in entries if (o := _order_of(e))}))
    sees_clients = actor.can(Section.CLIENTS, Action.VIEW)
    client_ids = _ids(entries, "client") if sees_clients else set()
    found = await clients_api.client_names(sorted(client_ids)) if client_ids else {}
    clients = {client_id: row["name"] for client_id, row in found.items()}
    people = await staff.names(
        _ids(entries, "employee")
        | _ids(entries, "master_profile")
        | _mentioned(entries, EMPLOYEE_FIELDS)
    )
    sees_stock = actor.can(Section.STOCK, Action.VIEW)
    sees_purchasing = actor.can(Section.PURCHASING, Action.VIEW)
    records = await _records(actor, entries) if sees_stock or sees_purchasing else {}
    names = Names(people, await staff.role_names() if _mention_roles(entries) else {}, records)
    shown = []
    for entry in entries:
        changes: dict[str, Any] = entry["changes"] or {}
        order_id = _order_of(entry)
        if order_id is not None:
            if order_id not in refs:
                continue
            kept = orders.readable_changes(actor, changes)
            if changes and not kept:
                continue
            changes = kept
        elif entry["entity"] in ("client", "device"):
            if not sees_clients:
                continue
            kept = visible(actor, "client", changes) if entry["entity"] == "client" else changes
            if changes and not kept:
                continue
            changes = kept
        elif not _section_seen(entry["entity"], sees_stock, sees_purchasing):
            continue
        title, url = _title(entry, refs, clients, people, records)
        shown.append(
            ShownEntry(
                id=entry["id"],
                at=entry["at"],
                action=entry["action"],
                action_label=gettext(ACTION_LABELS.get(entry["action"], entry["action"])),
                entity=entry["entity"],
                entity_id=entry["entity_id"],
                entity_label=gettext(ENTITY_LABELS.get(entry["entity"], entry["entity"])),
                title=title,
                url=url,
                author=entry["actor_name"],
                author_id=entry["actor"],
                ip=entry["ip"],
                changes=[
                    shown_change
                    for key, change in sorted(changes.items())
                    if (shown_change := _change(key, change, names, entry["entity"])).old
                    != shown_change.new
                ],
                values=changes,
            )
        )
    return shown


def _section_seen(entity: str, sees_stock: bool, sees_purchasing: bool) -> bool:
    """Whether the viewer sees the section a stock or purchasing record belongs to."""
    if entity in STOCK_ENTITIES:
        return sees_stock
    return sees_purchasing or entity not in PURCHASING_ENTITIES


def _title(
    entry: dict[str, Any],
    refs: dict[int, Any],
    clients: dict[int, str],
    people: dict[int, str],
    records: dict[str, dict[int, str]] | None = None,
) -> tuple[str, str | None]:
    """How the record is named in the log, and where it is seen."""
    entity, raw_id = entry["entity"], entry["entity_id"]
    label = gettext(ENTITY_LABELS.get(entity, entity))
    record_id = int(raw_id) if raw_id.isdigit() else None
    if entity in STOCK_ENTITIES | PURCHASING_ENTITIES:
        return _record_title(entry, label, record_id, (records or {}).get(entity, {}))
    order_id = _order_of(entry)
    if order_id is not None and order_id in refs:
        number = refs[order_id].number
        if entity == "order":
            return gettext("Order {number}", number=number), f"/orders/{order_id}"
        return f"{label} · {gettext('Order {number}', number=number)}", f"/orders/{order_id}"
    name: str | None = None
    if entity == "client" and record_id in clients:
        name = clients[record_id]
    elif entity in ("employee", "master_profile") and record_id in people:
        name = people[record_id]
    else:
        name = _name_in(entry["changes"] or {})
    link = LINKS.get(entity)
    url = link.format(id=raw_id) if link and ("{id}" not in link or record_id is not None) else None
    if entity in ("center", "rating_settings", "sla_calendar") and name is None:
        return label, url
    if entity == "sla_calendar" or (name is None and record_id is None):
        return f"{label} {raw_id}".strip(), url
    return f"{label} «{name}»" if name else f"{label} №{raw_id}", url


def _record_title(
    entry: dict[str, Any], label: str, record_id: int | None, named: dict[int, str]
) -> tuple[str, str | None]:
    """A stock or purchasing record: «Supplier order ЗП-000001», «Receipt from a supplier
    ПР-000001», «Warehouse «Main»», linked while it exists and the viewer sees it; one gone
    or hidden only by what its entry tells (a deleted item's name) or its id."""
    entity = entry["entity"]
    name = named.get(record_id) if record_id is not None else None
    if name is None:
        told = _name_in(entry["changes"] or {})
        return (f"{label} «{told}»" if told else f"{label} №{entry['entity_id']}"), None
    url = LINKS[entity].format(id=record_id)
    if entity == "stock_document":
        return name, url
    if entity == "supplier_order":
        return f"{label} {name}", url
    return f"{label} «{name}»", url


def _name_in(changes: dict[str, Any]) -> str | None:
    """A record's name as its entry tells it (created or deleted ones carry it)."""
    for key in ("name", "label", "full_name", "title"):
        change = changes.get(key)
        if isinstance(change, list):
            for value in reversed(change):
                if isinstance(value, str) and value:
                    return value
    return None


class Names(msgspec.Struct, frozen=True):
    """Who and what the values name by id or code: employees, roles."""

    people: dict[int, str]
    roles: dict[str, str]
    records: dict[str, dict[int, str]] = {}  # stock and purchasing records by kind and id


def _mention_roles(entries: Iterable[dict[str, Any]]) -> bool:
    return any("roles" in (e["changes"] or {}) for e in entries)


def _change(key: str, change: Any, names: Names, entity: str = "") -> ShownChange:
    label = gettext(FIELD_LABELS.get(key, key.replace("_", " ").capitalize()))
    if isinstance(change, list) and len(change) == 2:
        old, new = change
    else:
        old, new = None, change
    codes = CODE_LABELS.get((entity, key))
    if codes is not None:
        old, new = (codes.get(v, v) if isinstance(v, str) else v for v in (old, new))
    return ShownChange(key, label, value_text(key, old, names), value_text(key, new, names))


def value_text(key: str, value: Any, names: Names | None = None) -> str:
    """A stored value as people read it: yes/no, money, days with the year, lists, names."""
    if value is None or value == "" or value == []:
        return formats.EMPTY
    if value == SECRET_MARK:
        return value
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key in EMPLOYEE_FIELDS and isinstance(value, int) and names is not None:
        return names.people.get(value, f"№{value}")
    if key in RECORD_FIELDS and isinstance(value, int) and names is not None:
        return names.records.get(RECORD_FIELDS[key], {}).get(value, f"№{value}")
    if key == "roles" and isinstance(value, str) and names is not None:
        return gettext(names.roles.get(value, value))
    if key == "language" and value in LANGUAGES:
        return LANGUAGES[value]
    if isinstance(value, list):
        return ", ".join(value_text(key, item, names) for item in value)
    if isinstance(value, dict):
        parts = (
            f"{gettext(FIELD_LABELS.get(str(k), str(k)))}: {value_text(str(k), v, names)}"
            for k, v in value.items()
        )
        return "; ".join(parts) or formats.EMPTY
    if isinstance(value, int | float):
        return formats.money(value) if key in MONEY_FIELDS else formats.number(value)
    text = str(value)
    if key in MONEY_FIELDS and DECIMAL.match(text):
        return formats.money(text)
    if key in QUANTITY_FIELDS and DECIMAL.match(text):
        return formats.number(text)
    if ISO_DAY.match(text):
        return formats.date(dt.date.fromisoformat(text))
    if ISO_MOMENT.match(text):
        try:
            return formats.datetime(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return text
    if key in TRANSLATED_FIELDS:
        return gettext(text)
    text = AMOUNT.sub(lambda m: formats.money(m.group(1)), text)
    return METHOD.sub(lambda m: f"({gettext(PAYMENT_METHODS[m.group(1)])})", text)
