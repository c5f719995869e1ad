"""The suppliers directory: found by name, INN, contact, phone or email; kept by purchasing's
editors, read by whoever sees the section. The INN and email are checked as clients' are, the
phone is stored in E.164."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from server import cursor as cursor_codec
from server.actor import Actor
from server.audit import services as audit
from server.clients import api as clients
from server.errors import InvalidInput, NotFound
from server.phones import e164
from server.purchasing.schemas import SupplierIn, SupplierOut, SupplierPatch
from server.purchasing.tables import Supplier
from server.search import prefix_query, search_text
from server.staff.permissions import Action, Section

LIST_PURPOSE = "suppliers"
COLUMNS = Supplier.all_columns(exclude=[Supplier.search_text])


def one_line(value: str) -> str:
    """Printable characters only, spaces collapsed."""
    return " ".join("".join(c for c in value if c.isprintable()).split())


def text(value: str) -> str:
    """A text area's value: no control characters but line breaks and tabs."""
    return "".join(c for c in value if c.isprintable() or c in "\n\t").replace("\r", "").strip()


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Checked values of a supplier; the first wrong field is named."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            out[key] = one_line(value)
            if not out[key]:
                raise InvalidInput("This field is required", field="name")
        elif key == "inn":
            out[key] = clients.checked_inn(one_line(value))
        elif key == "phone":
            out[key] = e164(value, "phone") if value.strip() else ""
        elif key == "email":
            out[key] = clients.checked_email(value, "email") if value.strip() else ""
        elif key == "contact_person":
            out[key] = one_line(value)
        elif key == "note":
            out[key] = text(value)
        elif key == "is_active":
            out[key] = bool(value)
    return out


def _search(values: dict[str, Any]) -> str:
    phone = values.get("phone") or ""
    return search_text(
        values.get("name"),
        values.get("inn"),
        values.get("contact_person"),
        values.get("email"),
        phones=[phone] if phone else [],
    )


def supplier_out(row: dict[str, Any]) -> SupplierOut:
    """A supplier row as the API answers it."""
    return SupplierOut(
        id=row["id"],
        name=row["name"],
        inn=row["inn"],
        contact_person=row["contact_person"],
        phone=row["phone"],
        email=row["email"],
        note=row["note"],
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def supplier_row(actor: Actor, supplier_id: int, field: str | None = None) -> dict[str, Any]:
    """The supplier's row for one who sees purchasing, or NotFound (naming `field`)."""
    actor.require(Section.PURCHASING, Action.VIEW)
    row: dict[str, Any] | None = (
        await Supplier.select(*COLUMNS).where(Supplier.id == supplier_id).first()
    )
    if row is None:
        raise NotFound("No supplier with id {id}", field=field, id=supplier_id)
    return row


async def get(actor: Actor, supplier_id: int) -> SupplierOut:
    """One supplier."""
    return supplier_out(await supplier_row(actor, supplier_id))


async def names(supplier_ids: set[int]) -> dict[int, str]:
    """{id: name} of the suppliers (one query)."""
    if not supplier_ids:
        return {}
    rows = await Supplier.select(Supplier.id, Supplier.name).where(
        Supplier.id.is_in(sorted(supplier_ids))
    )
    return {r["id"]: r["name"] for r in rows}


def _after(cursor: str) -> WhereRaw:
    name, last_id = cursor_codec.decode(LIST_PURPOSE, cursor, 2)
    return WhereRaw("(name, id) > ({}, {})", str(name), int(last_id))


async def list_suppliers(
    actor: Actor,
    *,
    q: str = "",
    include_inactive: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[SupplierOut], str | None]:
    """Suppliers by name, keyset-paged (the cursor is signed); active ones unless asked."""
    actor.require(Section.PURCHASING, Action.VIEW)
    query = Supplier.select(*COLUMNS)
    if not include_inactive:
        query = query.where(Supplier.is_active.eq(True))
    typed = prefix_query(q)
    if typed:
        query = query.where(
            WhereRaw("to_tsvector('simple', search_text) @@ to_tsquery('simple', {})", typed)
        )
    if cursor:
        query = query.where(_after(cursor))
    rows = await query.order_by(Supplier.name).order_by(Supplier.id).limit(limit + 1)
    page = rows[:limit]
    following = None
    if len(rows) > limit:
        following = cursor_codec.encode(LIST_PURPOSE, [page[-1]["name"], page[-1]["id"]])
    return [supplier_out(r) for r in page], following


async def create(actor: Actor, data: SupplierIn) -> SupplierOut:
    """Add a supplier (purchasing:create)."""
    actor.require(Section.PURCHASING, Action.CREATE)
    values = clean(msgspec.structs.asdict(data))
    now = dt.datetime.now(dt.UTC)
    async with Supplier._meta.db.transaction():
        row = Supplier(**values, search_text=_search(values), created_at=now, updated_at=now)
        await row.save()
        await audit.record(actor, "supplier", row.id, "create", audit.diff({}, values))
    return await get(actor, int(row.id))


async def update(actor: Actor, supplier_id: int, data: SupplierPatch) -> SupplierOut:
    """Change a supplier (purchasing:edit); switched off, it is no longer offered."""
    actor.require(Section.PURCHASING, Action.EDIT)
    before = await supplier_row(actor, supplier_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    values = clean(changes)
    delta = audit.diff({k: before[k] for k in values}, values)
    if delta:
        merged = {**before, **values}
        stored: dict[Any, Any] = {
            **values,
            "search_text": _search(merged),
            "updated_at": dt.datetime.now(dt.UTC),
        }
        async with Supplier._meta.db.transaction():
            await Supplier.update(stored).where(Supplier.id == supplier_id)
            await audit.record(actor, "supplier", supplier_id, "update", delta)
    return await get(actor, supplier_id)


async def active_suppliers(actor: Actor) -> list[SupplierOut]:
    """Every active supplier by name (the choices of a form)."""
    items, _ = await list_suppliers(actor, limit=1000)
    return items
