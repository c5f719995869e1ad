"""What a device is, as the scheduler matches it to masters' skills: its type and brand."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from server.clients.tables import Device


class DeviceKind(msgspec.Struct, frozen=True):
    """A device's type and brand from the directories (None where not set)."""

    device_id: int
    type_id: int | None
    type_name: str
    brand_id: int | None
    brand_name: str


async def device_kinds(device_ids: Iterable[int]) -> dict[int, DeviceKind]:
    """{device id: type and brand} of the given devices, in one query."""
    wanted = sorted(set(device_ids))
    if not wanted:
        return {}
    rows = await Device.select(
        Device.id,
        Device.device_type,
        Device.device_type._.name.as_alias("type_name"),
        Device.brand,
        Device.brand._.name.as_alias("brand_name"),
    ).where(Device.id.is_in(wanted))
    return {
        r["id"]: DeviceKind(
            r["id"], r["device_type"], r["type_name"] or "", r["brand"], r["brand_name"] or ""
        )
        for r in rows
    }
