"""Address zones: a polygon drawn or pasted, and/or cities and districts named in addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.responsibles.engine import ZoneShape
from server.responsibles.geometry import clean_places, clean_polygon
from server.responsibles.schemas import ZoneIn, ZoneOut, ZonePatch
from server.responsibles.tables import Zone
from server.staff.permissions import Action, Section


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name or "\x00" in name:
        raise InvalidInput("This field is required", field="name")
    return name


def zone_out(row: dict[str, Any]) -> ZoneOut:
    """A stored zone."""
    return ZoneOut(
        row["id"], row["name"], list(row["polygon"] or []), list(row["places"] or []),
        bool(row["is_active"]),
    )  # fmt: skip


async def all_zones() -> list[ZoneOut]:
    """Every zone, by name."""
    rows = await Zone.select().order_by(Zone.name).order_by(Zone.id).output(load_json=True)
    return [zone_out(r) for r in rows]


async def shapes() -> dict[int, ZoneShape]:
    """{id: zone} as matching reads them."""
    return {
        z.id: ZoneShape(z.id, z.name, z.polygon, z.places, z.is_active) for z in await all_zones()
    }


async def get_zone(zone_id: int) -> ZoneOut:
    """One zone, or 404."""
    row = await Zone.select().where(Zone.id == zone_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No such zone")
    return zone_out(row)


def _shape(polygon: list[list[float]], places: list[str]) -> tuple[list[list[float]], list[str]]:
    cleaned = clean_polygon(polygon)
    named = clean_places(places)
    if not cleaned and not named:
        raise InvalidInput("Draw the zone on the map or name its cities", field="polygon")
    return cleaned, named


async def create_zone(actor: Actor, data: ZoneIn) -> ZoneOut:
    """Add a zone."""
    actor.require(Section.SETTINGS, Action.EDIT)
    name = _name(data.name)
    polygon, places = _shape(data.polygon, data.places)
    async with Zone._meta.db.transaction():
        row = Zone(
            name=name, polygon=polygon, places=places, is_active=data.is_active,
            updated_at=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        await row.save()
        await audit.record(actor, "assignment_zone", row.id, "create", {"name": [None, name]})
    return await get_zone(row.id)


async def update_zone(actor: Actor, zone_id: int, data: ZonePatch) -> ZoneOut:
    """Change a zone's name, shape, places, or switch it off or on."""
    actor.require(Section.SETTINGS, Action.EDIT)
    before = await get_zone(zone_id)
    name = before.name if data.name is msgspec.UNSET else _name(data.name)
    polygon, places = _shape(
        before.polygon if data.polygon is msgspec.UNSET else data.polygon,
        before.places if data.places is msgspec.UNSET else data.places,
    )
    active = before.is_active if data.is_active is msgspec.UNSET else data.is_active
    async with Zone._meta.db.transaction():
        await Zone.update(
            {
                Zone.name: name,
                Zone.polygon: polygon,
                Zone.places: places,
                Zone.is_active: active,
                Zone.updated_at: dt.datetime.now(dt.UTC),
            }
        ).where(Zone.id == zone_id)
        changes: dict[str, list[Any]] = {}
        if name != before.name:
            changes["name"] = [before.name, name]
        if places != before.places:
            changes["places"] = [before.places, places]
        if polygon != before.polygon:
            changes["polygon"] = [len(before.polygon), len(polygon)]
        if active != before.is_active:
            changes["is_active"] = [before.is_active, active]
        await audit.record(actor, "assignment_zone", zone_id, "update", changes)
    return await get_zone(zone_id)


async def existing_ids(ids: list[int]) -> set[int]:
    """Those of the ids that are zones."""
    if not ids:
        return set()
    rows = await Zone.select(Zone.id).where(Zone.id.is_in(sorted(set(ids))))
    return {r["id"] for r in rows}
