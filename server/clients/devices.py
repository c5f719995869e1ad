"""Devices of clients: adding, changing, reading, finding by serial, their service history."""

from __future__ import annotations

from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.clients import directories, scope
from server.clients import validation as check
from server.clients.api import device_title
from server.clients.records import now
from server.clients.schemas import DeviceCreate, DevicePatch
from server.clients.tables import Client, Device
from server.errors import InvalidInput, NotFound
from server.fieldaccess import visible
from server.orders import api as orders
from server.staff.permissions import Action, Section

AUDITED = (
    "device_type", "brand", "model", "model_name", "serial", "purchase_date", "warranty_until",
    "notes",
)  # fmt: skip


def _columns() -> list[Any]:
    return [
        *Device.all_columns(),
        Device.device_type._.name.as_alias("type_name"),
        Device.brand._.name.as_alias("brand_name"),
        Device.model._.name.as_alias("model_dir"),
    ]


title = device_title


class DeviceService:
    """Devices on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def out(self, row: dict[str, Any]) -> dict[str, Any]:
        """The API form of a device row; hidden fields dropped."""
        data = {
            "id": row["id"],
            "client_id": row["client"],
            "device_type_id": row["device_type"],
            "type_name": row["type_name"],
            "brand_id": row["brand"],
            "brand_name": row["brand_name"],
            "model_id": row["model"],
            "model_name": row["model_dir"] or row["model_name"],
            "title": title(row),
            "serial": row["serial"],
            "purchase_date": row["purchase_date"],
            "warranty_until": row["warranty_until"],
            "notes": row["notes"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        return visible(self.actor, "device", data)

    async def _row(self, device_id: int) -> dict[str, Any]:
        """The device of a client in the actor's scope, or 404."""
        row = await Device.select(*_columns()).where(Device.id == device_id).first()
        if row is None:
            raise NotFound("No device with id {id}", id=device_id)
        try:
            await scope.require_in_scope(self.actor, row["client"])
        except NotFound:
            raise NotFound("No device with id {id}", id=device_id) from None
        return row

    async def of_client(self, client_id: int) -> list[dict[str, Any]]:
        """Devices of a client, oldest first."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        await scope.require_in_scope(self.actor, client_id)
        rows = (
            await Device.select(*_columns()).where(Device.client == client_id).order_by(Device.id)
        )
        return [self.out(r) for r in rows]

    async def of_clients(self, client_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """{client id: its devices, oldest first} for clients the caller has checked."""
        if not client_ids:
            return {}
        query = Device.select(*_columns()).where(Device.client.is_in(client_ids))
        found: dict[int, list[dict[str, Any]]] = {}
        for row in await query.order_by(Device.id):
            found.setdefault(row["client"], []).append(self.out(row))
        return found

    async def get_device(self, device_id: int) -> dict[str, Any]:
        """One device."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        return self.out(await self._row(device_id))

    async def search(
        self, q: str, after_id: int = 0, limit: int = 50
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Devices whose serial starts with `q` (any case), by id; keyset-paginated."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        query = Device.select(*_columns()).order_by(Device.id)
        in_scope = await scope.scope_condition(self.actor)
        if in_scope is not None:
            clients = Client.select(Client.id).where(in_scope)
            query = query.where(Device.client.is_in(sorted(r["id"] for r in await clients)))
        prefix = check.text(q, "q")
        if prefix:
            query = query.where(Device.serial.ilike(directories._literal(prefix) + "%"))
        if after_id:
            query = query.where(Device.id > after_id)
        rows = await query.limit(limit + 1)
        page = rows[:limit]
        return [self.out(r) for r in page], (page[-1]["id"] if len(rows) > limit else None)

    async def history(self, device_id: int) -> dict[str, Any]:
        """The device and its orders, newest first."""
        device = await self.get_device(device_id)
        found = await orders.device_history(self.actor, device_id)
        return {"device": device, "orders": msgspec.to_builtins(found)}

    async def _clean(self, given: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in ("model_name", "serial", "notes"):
            if field in given:
                values[field] = check.text(given[field], field)
        for field in ("purchase_date", "warranty_until"):
            if field in given:
                values[field] = given[field]
        if given.get("device_type_id"):
            await directories.find("device_type", given["device_type_id"], "device_type_id")
        if "device_type_id" in given:
            values["device_type"] = given["device_type_id"]
        if given.get("brand_id"):
            await directories.find("brand", given["brand_id"], "brand_id")
        if "brand_id" in given:
            values["brand"] = given["brand_id"]
        if given.get("brand_name", "").strip() and not given.get("brand_id"):
            values["brand"] = await directories.find_or_create_brand(
                given["brand_name"], self.actor
            )
        if given.get("model_id"):
            model = await directories.find("model", given["model_id"], "model_id")
            brand = values.get("brand", before.get("brand"))
            if brand and brand != model["brand"]:
                raise InvalidInput("The model belongs to another brand", field="model_id")
            values["brand"] = model["brand"]
            if model["device_type"] and not values.get("device_type", before.get("device_type")):
                values["device_type"] = model["device_type"]
        if "model_id" in given:
            values["model"] = given["model_id"]
        merged = {**before, **values}
        bought, until = merged.get("purchase_date"), merged.get("warranty_until")
        if bought and until and until < bought:
            raise InvalidInput(
                "The warranty cannot end before the purchase", field="warranty_until"
            )
        return values

    async def create_device(self, client_id: int, data: DeviceCreate) -> dict[str, Any]:
        """Add a device to a client."""
        self.actor.require(Section.CLIENTS, Action.CREATE)
        await scope.client_row(self.actor, client_id)
        given = {k: v for k, v in msgspec.structs.asdict(data).items()}
        moment = now()
        async with Device._meta.db.transaction():
            values = await self._clean(given, {})
            device = Device(client=client_id, created_at=moment, updated_at=moment, **values)
            await device.save()
            after = {k: values.get(k) for k in AUDITED}
            await audit.record(
                self.actor,
                "device",
                device.id,
                "create",
                audit.diff({}, after),
                scope=f"client:{client_id}",
            )
        return await self.get_device(device.id)

    async def update_device(self, device_id: int, patch: DevicePatch) -> dict[str, Any]:
        """Change a device."""
        self.actor.require(Section.CLIENTS, Action.EDIT)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        async with Device._meta.db.transaction():
            before = await self._row(device_id)
            values = await self._clean(changes, before)
            if values:
                await Device.update({**values, "updated_at": now()}).where(  # type: ignore[dict-item]
                    Device.id == device_id
                )
                delta = audit.diff({k: before[k] for k in values}, values)
                if delta:
                    await audit.record(
                        self.actor,
                        "device",
                        device_id,
                        "update",
                        delta,
                        scope=f"client:{before['client']}",
                    )
        return await self.get_device(device_id)
