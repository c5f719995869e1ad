"""The service center's printed details: one row of settings, edited by settings:edit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec

from printforms import BankDetails, ServiceCenter
from server.actor import Actor
from server.audit import services as audit
from server.documents.schemas import CenterIn
from server.documents.tables import CenterSettings
from server.errors import InvalidInput
from server.staff.permissions import Action, Section

FIELDS = tuple(CenterIn.__struct_fields__)


async def center_row() -> dict[str, Any]:
    """The stored details (empty values until someone fills them in)."""
    row = await CenterSettings.select().order_by(CenterSettings.id).first()
    if row is None:
        return {field: "" for field in FIELDS} | {"vat_rate": None}
    return row


def service_center(row: dict[str, Any]) -> ServiceCenter:
    """The details as printforms prints them."""
    bank = None
    if row["bank_name"] and row["bik"] and row["account"]:
        bank = BankDetails(
            bank_name=row["bank_name"],
            bik=row["bik"],
            account=row["account"],
            corr_account=row["corr_account"],
        )
    vat = row["vat_rate"]
    return ServiceCenter(
        name=row["name"] or "Сервисный центр",
        legal_name=row["legal_name"],
        inn=row["inn"],
        kpp=row["kpp"],
        ogrn=row["ogrn"],
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
        website=row["website"],
        bank=bank,
        director=row["director"],
        accountant=row["accountant"],
        vat_rate=Decimal(vat) if vat is not None else None,
    )


class CenterService:
    """Reading and changing the center's details on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def get(self) -> dict[str, Any]:
        """The details as stored (needs settings:view)."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        row = await center_row()
        return {field: row[field] for field in FIELDS}

    async def update(self, data: CenterIn) -> dict[str, Any]:
        """Replace the details (needs settings:edit)."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        values = {
            k: v.strip() if isinstance(v, str) else v
            for k, v in msgspec.structs.asdict(data).items()
        }
        if not values["name"]:
            raise InvalidInput("This field is required", field="name")
        for key, value in values.items():
            if isinstance(value, str) and "\x00" in value:
                raise InvalidInput("The text holds a character that cannot be stored", field=key)
        vat = data.vat_rate
        if vat is not None and not (vat.is_finite() and 0 <= vat < 100):
            raise InvalidInput("Give the VAT rate in percent, from 0 to 99", field="vat_rate")
        values["updated_at"] = dt.datetime.now(dt.UTC)
        async with CenterSettings._meta.db.transaction():
            before = await center_row()
            existing = await CenterSettings.select(CenterSettings.id).first()
            if existing:
                await CenterSettings.update(values).where(  # type: ignore[arg-type]
                    CenterSettings.id == existing["id"]
                )
            else:
                await CenterSettings(**values).save()  # type: ignore[arg-type]
            old = {k: before[k] for k in FIELDS}
            new = {k: values[k] for k in FIELDS}
            await audit.record(self.actor, "center", 1, "update", audit.diff(old, new))
        return await self.get()
