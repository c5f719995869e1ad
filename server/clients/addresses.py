"""Client addresses and their coordinates: cleaning, storing with the geocoding state, reading.

The rules of the state, in one place:
- coordinates a person typed (or set on the map) are `manual` and the geocoder never
  overwrites them;
- coordinates sent back unchanged keep the state they had (a form round-trips them), unless
  the text changed under coordinates the geocoder found: those belonged to the old text, so
  the address waits for the geocoder again (`pending`);
- an address without coordinates is `pending`, except that an unchanged text keeps a
  `not_found` or `failed` answer (editing a client's phone does not ask the geocoder again).
"""

from __future__ import annotations

from typing import Any

from server.clients import validation as check
from server.clients.choices import GeoStatus
from server.clients.schemas import AddressIn
from server.clients.tables import ClientAddress
from server.errors import InvalidInput

COLUMNS = (
    ClientAddress.id,
    ClientAddress.client,
    ClientAddress.address,
    ClientAddress.lat,
    ClientAddress.lon,
    ClientAddress.comment,
    ClientAddress.is_primary,
    ClientAddress.geo_status,
    ClientAddress.geocoded_at,
    ClientAddress.geo_note,
)
STATE = ("lat", "lon", "geo_status", "geocoded_at", "geo_note")
_KEPT_WITHOUT_POINT = {GeoStatus.PENDING, GeoStatus.NOT_FOUND, GeoStatus.FAILED}


def point(lat: float | None, lon: float | None, field: str) -> tuple[float | None, float | None]:
    """Range-checked coordinates, both or none; errors name `<field>.lat` / `<field>.lon`."""
    prefix = f"{field}." if field else ""
    lat = check.coordinate(lat, 90, f"{prefix}lat")
    lon = check.coordinate(lon, 180, f"{prefix}lon")
    if lat is None and lon is not None:
        raise InvalidInput("Give both coordinates or none", field=f"{prefix}lat")
    if lon is None and lat is not None:
        raise InvalidInput("Give both coordinates or none", field=f"{prefix}lon")
    return lat, lon


def clean(items: list[AddressIn]) -> list[dict[str, Any]]:
    """Addresses with range-checked coordinates (both or none) and the id they replace."""
    result = []
    for index, item in enumerate(items):
        field = f"addresses[{index}]"
        lat, lon = point(item.lat, item.lon, field)
        result.append(
            {
                "id": item.id,
                "address": check.text(item.address, f"{field}.address", required=True),
                "lat": lat,
                "lon": lon,
                "comment": check.text(item.comment, f"{field}.comment"),
                "field": field,
            }
        )
    return result


def pending() -> dict[str, Any]:
    """The state of an address that waits for the geocoder."""
    return {
        "lat": None,
        "lon": None,
        "geo_status": GeoStatus.PENDING.value,
        "geocoded_at": None,
        "geo_note": "",
    }


def manual(lat: float, lon: float) -> dict[str, Any]:
    """The state of coordinates a person gave."""
    return {
        "lat": lat,
        "lon": lon,
        "geo_status": GeoStatus.MANUAL.value,
        "geocoded_at": None,
        "geo_note": "",
    }


def geo_state(
    old: dict[str, Any] | None, text: str, lat: float | None, lon: float | None
) -> dict[str, Any]:
    """The coordinates and geocoding state of an address given as (text, lat, lon), replacing
    the stored `old` one (None for a new address)."""
    same_text = old is not None and old["address"] == text
    kept = {k: old[k] for k in STATE} if old is not None else None
    if lat is not None and lon is not None:
        if kept is not None and (lat, lon) == (kept["lat"], kept["lon"]):
            if same_text or kept["geo_status"] == GeoStatus.MANUAL:
                return kept
            return pending()
        return manual(lat, lon)
    if same_text and kept is not None and kept["geo_status"] in _KEPT_WITHOUT_POINT:
        return kept
    return pending()


def _matches(
    client_id: int, given: list[dict[str, Any]], stored: list[dict[str, Any]]
) -> list[dict[str, Any] | None]:
    """The stored address each given one replaces: by id, else the first unclaimed one with
    the same text; an id of another client's address is refused."""
    by_id = {row["id"]: row for row in stored}
    claimed: set[int] = set()
    found: list[dict[str, Any] | None] = []
    for item in given:
        if item["id"] is not None:
            row = by_id.get(item["id"])
            if row is None or item["id"] in claimed:
                raise InvalidInput("No such address of this client", field=f"{item['field']}.id")
            claimed.add(row["id"])
            found.append(row)
        else:
            found.append(None)
    for index, item in enumerate(given):
        if found[index] is not None:
            continue
        for row in stored:
            if row["id"] not in claimed and row["address"] == item["address"]:
                claimed.add(row["id"])
                found[index] = row
                break
    return found


async def of_client(client_id: int) -> list[dict[str, Any]]:
    """The stored addresses of a client, primary first."""
    return list(
        await ClientAddress.select(*COLUMNS)
        .where(ClientAddress.client == client_id)
        .order_by(ClientAddress.is_primary, ascending=False)
        .order_by(ClientAddress.id)
    )


async def replace(client_id: int, given: list[dict[str, Any]]) -> bool:
    """Make the client's addresses the given ones (cleaned), the first primary, keeping the ids
    and geocoding state of those that stay. True when one of them waits for the geocoder."""
    stored = await of_client(client_id)
    matched = _matches(client_id, given, stored)
    kept_ids = {row["id"] for row in matched if row is not None}
    gone = [row["id"] for row in stored if row["id"] not in kept_ids]
    if gone:
        await ClientAddress.delete().where(ClientAddress.id.is_in(gone))
    waiting = False
    for index, (item, old) in enumerate(zip(given, matched, strict=True)):
        values = {
            "address": item["address"],
            "comment": item["comment"],
            "is_primary": index == 0,
            **geo_state(old, item["address"], item["lat"], item["lon"]),
        }
        waiting = waiting or values["geo_status"] == GeoStatus.PENDING
        if old is None:
            await ClientAddress(client=client_id, **values).save()
        elif any(old[k] != v for k, v in values.items()):
            await ClientAddress.update(values).where(ClientAddress.id == old["id"])  # type: ignore[arg-type]
    return waiting


async def of_clients(client_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{client id: addresses, primary first} in one query."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in client_ids}
    if not client_ids:
        return found
    rows = (
        await ClientAddress.select(*COLUMNS)
        .where(ClientAddress.client.is_in(client_ids))
        .order_by(ClientAddress.is_primary, ascending=False)
        .order_by(ClientAddress.id)
    )
    for row in rows:
        found[row.pop("client")].append(row)
    return found
