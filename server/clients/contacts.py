"""Phones, emails and addresses of clients: cleaning, storing, reading, finding duplicates."""

from __future__ import annotations

from typing import Any

from server.clients import addresses as addresses_of
from server.clients import validation as check
from server.clients.schemas import AddressIn, EmailIn, PhoneIn
from server.clients.tables import Client, ClientEmail, ClientPhone


def clean_phones(items: list[str | PhoneIn]) -> list[dict[str, Any]]:
    """Phones in E.164 with contact names, without repeats; the first is primary."""
    result: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        field = f"phones[{index}]"
        raw = item.number if isinstance(item, PhoneIn) else item
        name = item.contact_name if isinstance(item, PhoneIn) else ""
        if not raw.strip():
            continue
        number = check.phone(raw, field)
        if number not in {p["number"] for p in result}:
            result.append({"number": number, "contact_name": check.text(name, field)})
    return result


def clean_emails(items: list[str | EmailIn]) -> list[dict[str, Any]]:
    """Lower-cased emails with contact names, without repeats."""
    result: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        field = f"emails[{index}]"
        raw = item.email if isinstance(item, EmailIn) else item
        name = item.contact_name if isinstance(item, EmailIn) else ""
        if not raw.strip():
            continue
        email = check.email(raw, field)
        if email not in {e["email"] for e in result}:
            result.append({"email": email, "contact_name": check.text(name, field)})
    return result


def clean_addresses(items: list[AddressIn]) -> list[dict[str, Any]]:
    """Addresses with range-checked coordinates, both or none."""
    return addresses_of.clean(items)


async def store(
    client_id: int,
    phones: list[dict[str, Any]] | None,
    emails: list[dict[str, Any]] | None,
    addresses: list[dict[str, Any]] | None,
) -> bool:
    """Replace the given kinds of contacts of a client (None leaves a kind as it is); True
    when an address waits for the geocoder."""
    if phones is not None:
        await ClientPhone.delete().where(ClientPhone.client == client_id)
        for i, p in enumerate(phones):
            await ClientPhone(client=client_id, is_primary=i == 0, **p).save()
    if emails is not None:
        await ClientEmail.delete().where(ClientEmail.client == client_id)
        for i, e in enumerate(emails):
            await ClientEmail(client=client_id, is_primary=i == 0, **e).save()
    if addresses is not None:
        return await addresses_of.replace(client_id, addresses)
    return False


async def of_clients(client_ids: list[int], *, addresses: bool = True) -> dict[int, dict[str, Any]]:
    """{client_id: {"phones": [...], "emails": [...], "addresses": [...]}} in three queries."""
    found: dict[int, dict[str, Any]] = {
        i: {"phones": [], "emails": [], "addresses": []} for i in client_ids
    }
    if not client_ids:
        return found
    phones = (
        await ClientPhone.select(
            ClientPhone.client, ClientPhone.number, ClientPhone.contact_name, ClientPhone.is_primary
        )
        .where(ClientPhone.client.is_in(client_ids))
        .order_by(ClientPhone.id)
    )
    for row in phones:
        found[row.pop("client")]["phones"].append(row)
    emails = (
        await ClientEmail.select(
            ClientEmail.client, ClientEmail.email, ClientEmail.contact_name, ClientEmail.is_primary
        )
        .where(ClientEmail.client.is_in(client_ids))
        .order_by(ClientEmail.id)
    )
    for row in emails:
        found[row.pop("client")]["emails"].append(row)
    if addresses:
        for client_id, rows in (await addresses_of.of_clients(client_ids)).items():
            found[client_id]["addresses"] = rows
    return found


async def duplicates(
    phones: list[str], emails: list[str], exclude_id: int | None = None
) -> list[dict[str, Any]]:
    """Clients that already have one of these phones (E.164) or emails: [{id, name}]."""
    ids: set[int] = set()
    if phones:
        rows = await ClientPhone.select(ClientPhone.client).where(ClientPhone.number.is_in(phones))
        ids |= {r["client"] for r in rows}
    if emails:
        rows = await ClientEmail.select(ClientEmail.client).where(ClientEmail.email.is_in(emails))
        ids |= {r["client"] for r in rows}
    ids.discard(exclude_id or 0)
    if not ids:
        return []
    rows = (
        await Client.select(Client.id, Client.name)
        .where(Client.id.is_in(sorted(ids)))
        .order_by(Client.id)
        .limit(20)
    )
    return list(rows)
