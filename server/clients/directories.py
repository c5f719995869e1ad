"""Settings directories of devices: types, brands and models."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from piccolo.table import Table

from server.actor import Actor
from server.audit import services as audit
from server.clients import validation as check
from server.clients.schemas import DirectoryCreate, DirectoryPatch, ModelCreate
from server.clients.tables import Brand, DeviceModel, DeviceType
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import N_
from server.staff.permissions import Action, Section

KINDS: dict[str, type[Table]] = {"device_type": DeviceType, "brand": Brand, "model": DeviceModel}
TAKEN = N_("This name is already in the directory")


async def find(kind: str, entry_id: int, field: str) -> dict[str, Any]:
    """A directory entry by id, or a field error naming the field that referred to it."""
    table = KINDS[kind]
    row = await table.select().where(table._meta.primary_key == entry_id).first()
    if row is None:
        raise InvalidInput("No directory entry with id {id}", field=field, id=entry_id)
    return row


async def find_or_create_brand(name: str, actor: Actor) -> int:
    """The id of the brand with this name (any case), created when missing."""
    actor.require(Section.CLIENTS, Action.CREATE)
    cleaned = check.text(name, "brand_name", required=True)
    found = await Brand.select(Brand.id).where(Brand.name.ilike(_literal(cleaned))).first()
    if found is not None:
        return int(found["id"])
    brand = Brand(name=cleaned)
    await brand.save()
    await audit.record(actor, "brand", brand.id, "create", {"name": [None, cleaned]})
    return int(brand.id)


def _literal(text: str) -> str:
    """An ILIKE pattern that matches exactly `text` (case-insensitively)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class DirectoryService:
    """Device types, brands and models on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def _require_view(self) -> None:
        if not self.actor.can(Section.CLIENTS, Action.VIEW):
            self.actor.require(Section.SETTINGS, Action.VIEW)

    async def list_entries(self, kind: str, *, active_only: bool = False) -> list[dict[str, Any]]:
        """Entries by name; models carry their brand and type names."""
        self._require_view()
        table = KINDS[kind]
        columns: list[Any] = list(table.all_columns())
        if table is DeviceModel:
            columns += [
                DeviceModel.brand._.name.as_alias("brand_name"),
                DeviceModel.device_type._.name.as_alias("type_name"),
            ]
        query = table.select(*columns).order_by(table.name)  # type: ignore[attr-defined]
        if active_only:
            query = query.where(table.is_active.eq(True))  # type: ignore[attr-defined]
        return list(await query)

    async def _check_free(self, kind: str, name: str, brand: int | None, exclude: int) -> None:
        table = KINDS[kind]
        query = table.exists().where(table.name.ilike(_literal(name)))  # type: ignore[attr-defined]
        if kind == "model":
            query = query.where(DeviceModel.brand == brand)
        if exclude:
            query = query.where(table._meta.primary_key != exclude)
        if await query:
            raise Conflict(TAKEN, field="name")

    async def create(self, kind: str, data: DirectoryCreate | ModelCreate) -> dict[str, Any]:
        """A new entry with a name that is not taken (per brand, for models)."""
        self.actor.require(Section.SETTINGS, Action.CREATE)
        values: dict[str, Any] = {"name": check.text(data.name, "name", required=True)}
        if isinstance(data, ModelCreate):
            values["brand"] = (await find("brand", data.brand_id, "brand_id"))["id"]
            if data.device_type_id:
                await find("device_type", data.device_type_id, "device_type_id")
            values["device_type"] = data.device_type_id
        await self._check_free(kind, values["name"], values.get("brand"), 0)
        table = KINDS[kind]
        try:
            async with table._meta.db.transaction():
                entry = table(**values)
                await entry.save()
                entry_id = int(entry.id)  # type: ignore[attr-defined]
                await audit.record(self.actor, kind, entry_id, "create", audit.diff({}, values))
        except asyncpg.UniqueViolationError:
            raise Conflict(TAKEN, field="name") from None
        return await find(kind, entry_id, "id")

    async def update(self, kind: str, entry_id: int, patch: DirectoryPatch) -> dict[str, Any]:
        """Rename, move (models) or (de)activate an entry."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        table = KINDS[kind]
        before = await table.select().where(table._meta.primary_key == entry_id).first()
        if before is None:
            raise NotFound("No directory entry with id {id}", id=entry_id)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        values: dict[str, Any] = {}
        if "name" in changes:
            values["name"] = check.text(changes["name"], "name", required=True)
        if "is_active" in changes:
            values["is_active"] = changes["is_active"]
        if kind == "model":
            if "brand_id" in changes:
                values["brand"] = (await find("brand", changes["brand_id"], "brand_id"))["id"]
            if changes.get("device_type_id"):
                await find("device_type", changes["device_type_id"], "device_type_id")
            if "device_type_id" in changes:
                values["device_type"] = changes["device_type_id"]
        elif {"brand_id", "device_type_id"} & set(changes):
            raise InvalidInput(
                "Unknown field", field=sorted({"brand_id", "device_type_id"} & set(changes))[0]
            )
        if "name" in values or "brand" in values:
            brand = values.get("brand", before.get("brand"))
            name = str(values.get("name", before["name"]))
            await self._check_free(kind, name, brand, entry_id)
        if values:
            try:
                async with table._meta.db.transaction():
                    await table.update(values).where(table._meta.primary_key == entry_id)  # type: ignore[arg-type]
                    delta = audit.diff({k: before[k] for k in values}, values)
                    await audit.record(self.actor, kind, entry_id, "update", delta)
            except asyncpg.UniqueViolationError:
                raise Conflict(TAKEN, field="name") from None
        return await find(kind, entry_id, "id")
