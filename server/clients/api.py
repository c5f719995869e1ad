"""The clients domain's read API: how other domains read clients, devices and contacts.

It imports nothing of the orders domain, which reads clients through it; the scope of clients
(which depends on orders) lives in `server.clients.scope`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from piccolo.columns.combination import WhereRaw

from server.actor import Actor
from server.clients import contacts, kinds, loyalty, validation
from server.clients.tables import Brand, Client, ClientEmail, ClientPhone, Device, DeviceType
from server.errors import InvalidInput, NotFound
from server.fieldaccess import hidden_fields

# Checks of what other domains keep of companies and people, as clients check their own.
checked_inn = validation.inn
checked_email = validation.email

# Hideable client fields that `search_text` holds, as SQL on a client alias `c`.
_SEARCHED = {
    "legal_name": "c.legal_name",
    "inn": "c.inn",
    "ogrn": "c.ogrn",
    "tags": "array_to_string(c.tags, ' ')",
    "source": "c.source",
    "custom": "(SELECT string_agg(j.value, ' ') FROM jsonb_each_text(c.custom) AS j)",
}
_ALWAYS_SEARCHED = (
    "c.name",
    "(SELECT string_agg(e.email, ' ') FROM client_email e WHERE e.client = c.id)",
    "(SELECT string_agg(concat_ws(' ', d.n, CASE WHEN length(d.n) = 11 AND left(d.n, 1) IN "
    "('7', '8') THEN substr(d.n, 2) END, right(d.n, 7), right(d.n, 4)), ' ') FROM "
    "(SELECT regexp_replace(p.number, '[^0-9]', '', 'g') AS n FROM client_phone p "
    "WHERE p.client = c.id) AS d)",
)


def search_is_limited(actor: Actor) -> bool:
    """True when a searched field of clients is hidden from the actor."""
    return bool(hidden_fields(actor, "client") & set(_SEARCHED))


def searched_parts(actor: Actor, alias: str) -> list[str]:
    """SQL expressions of what a client is found by, for the actor, on a client alias."""
    hidden = hidden_fields(actor, "client")
    parts = [*_ALWAYS_SEARCHED, *(sql for field, sql in _SEARCHED.items() if field not in hidden)]
    return [p.replace("c.", f"{alias}.") for p in parts]


async def client_brief(client_id: int) -> dict[str, Any]:
    """Name, search words and personal discount of an active client, or a field error."""
    row = await (
        Client.select(
            Client.id, Client.name, Client.search_text, Client.discount_percent, Client.is_archived
        )
        .where(Client.id == client_id)
        .first()
    )
    if row is None or row["is_archived"]:
        raise InvalidInput("No client with id {id}", field="client_id", id=client_id)
    return row


async def client_names(client_ids: list[int]) -> dict[int, dict[str, Any]]:
    """{id: name and search words} of the given clients."""
    if not client_ids:
        return {}
    rows = await Client.select(Client.id, Client.name, Client.search_text).where(
        Client.id.is_in(sorted(set(client_ids)))
    )
    return {r["id"]: r for r in rows}


def device_title(row: dict[str, Any]) -> str:
    """«Стиральная машина Bosch WLG 2416» from the joined device columns."""
    parts = [
        row.get("type_name"),
        row.get("brand_name"),
        row.get("model_dir") or row.get("model_name"),
    ]
    return " ".join(str(p) for p in parts if p) or "—"


async def device_brief(device_id: int, client_id: int) -> dict[str, Any]:
    """A device of the client with its title and serial, or a field error."""
    row = await (
        Device.select(
            Device.id,
            Device.client,
            Device.serial,
            Device.model_name,
            Device.device_type._.name.as_alias("type_name"),
            Device.brand._.name.as_alias("brand_name"),
            Device.model._.name.as_alias("model_dir"),
        )
        .where(Device.id == device_id)
        .first()
    )
    if row is None or row["client"] != client_id:
        raise InvalidInput("The device does not belong to this client", field="device_id")
    return {**row, "title": device_title(row)}


async def discount_for(client_id: int, completed: dict[str, Any]) -> tuple[Decimal, str]:
    """The client's discount and its reason (in Russian): the bigger of the personal one and the
    best loyalty rule for the client's `completed` orders ({completed_orders, total_spend})."""
    row = await Client.select(Client.discount_percent).where(Client.id == client_id).first()
    if row is None:
        raise NotFound("No client with id {id}", id=client_id)
    personal = Decimal(row["discount_percent"] or 0)
    best = await loyalty.best_rule(completed)
    if best is not None and Decimal(best["percent"]) > personal:
        return Decimal(best["percent"]), loyalty.reason(best, completed)
    if personal > 0:
        return personal, f"Личная скидка {loyalty.number(personal)}%"
    return Decimal("0"), ""


async def contacts_of(
    client_ids: list[int], *, addresses: bool = True
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """{client id: phones, emails and addresses} of the given clients (addresses empty
    without `addresses`: one query less)."""
    return await contacts.of_clients(client_ids, addresses=addresses)


# What the scheduler matches to masters' skills (server.clients.kinds).
DeviceKind = kinds.DeviceKind
device_kinds = kinds.device_kinds


async def directory_names(kind: str, ids: Iterable[int] | None = None) -> dict[int, str]:
    """{id: name} of the device type ("device_type") or brand ("brand") directory, by name: the
    given ids that exist (inactive ones too, so a stored choice keeps its name), or every
    active entry when `ids` is None. One query."""
    if kind not in ("device_type", "brand"):
        raise ValueError(f"no directory {kind!r}")
    table: type[DeviceType] | type[Brand] = DeviceType if kind == "device_type" else Brand
    query = table.select(table.id, table.name)
    if ids is None:
        query = query.where(table.is_active.eq(True))
    else:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = query.where(table.id.is_in(wanted))
    return {r["id"]: r["name"] for r in await query.order_by(table.name)}


def normal_contact(value: str, field: str = "contact") -> tuple[str, str]:
    """("email", lower-cased address) or ("sms", +7… phone) of what a customer typed."""
    if "@" in value:
        return "email", validation.email(value[:254], field)
    return "sms", validation.phone(value[:40], field)


async def clients_with_contact(channel: str, address: str) -> list[int]:
    """Ids of the clients with this email ("email") or phone ("sms"), normalised (one query)."""
    if channel == "email":
        rows = await ClientEmail.select(ClientEmail.client).where(ClientEmail.email == address)
    else:
        rows = await ClientPhone.select(ClientPhone.client).where(ClientPhone.number == address)
    return sorted({r["client"] for r in rows})


async def custom_value_exists(code: str) -> bool:
    """True when some client holds a value of the custom field `code` (it is archived, not
    deleted, then)."""
    found = await Client.exists().where(WhereRaw("jsonb_exists(client.custom, {})", code))
    return bool(found)
