"""Keeping partner organizations: settings:view to read them, settings:edit to change them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import gettext
from server.partners.choices import OrgKind
from server.partners.schemas import OrgIn, OrgOut, OrgPatch
from server.partners.tables import Organization
from server.staff.permissions import Action, Section

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def org_out(row: dict[str, Any]) -> OrgOut:
    """An organization row as the API answers it."""
    kind = row["kind"]
    label = OrgKind(kind).label if kind in OrgKind._value2member_map_ else kind
    return OrgOut(
        id=row["id"],
        kind=kind,
        kind_label=gettext(label),
        name=row["name"],
        legal_name=row["legal_name"],
        inn=row["inn"],
        phone=row["phone"],
        email=row["email"],
        address=row["address"],
        manufacturers=list(row["manufacturers"] or []),
        note=row["note"],
        is_active=row["is_active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _one_line(value: str) -> str:
    return " ".join("".join(c for c in value if c.isprintable()).split())


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Checked values of an organization; the field of the first wrong one is named."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "kind":
            if value not in OrgKind._value2member_map_:
                raise InvalidInput("Choose one of the offered values", field="kind")
            out[key] = value
        elif key == "name":
            out[key] = _one_line(value)
            if not out[key]:
                raise InvalidInput("This field is required", field="name")
        elif key in ("legal_name", "phone"):
            out[key] = _one_line(value)
        elif key == "inn":
            digits = value.strip()
            if digits and (not digits.isdigit() or len(digits) not in (10, 12)):
                raise InvalidInput("An INN has 10 or 12 digits", field="inn")
            out[key] = digits
        elif key == "email":
            email = value.strip().lower()
            if email and not _EMAIL.match(email):
                raise InvalidInput("Enter a valid email address", field="email")
            out[key] = email
        elif key in ("address", "note"):
            out[key] = value.strip()
        elif key == "manufacturers":
            brands = [_one_line(v) for v in value]
            out[key] = list(dict.fromkeys(b for b in brands if b))
        elif key == "is_active":
            out[key] = bool(value)
    return out


async def list_organizations(actor: Actor, kind: str | None = None) -> list[OrgOut]:
    """Every organization (of a kind), active ones first, by name."""
    actor.require(Section.SETTINGS, Action.VIEW)
    query = Organization.select()
    if kind:
        query = query.where(Organization.kind == kind)
    rows = await query.order_by(Organization.is_active, ascending=False).order_by(Organization.name)
    return [org_out(r) for r in rows]


async def _row(org_id: int) -> dict[str, Any]:
    row = await Organization.select().where(Organization.id == org_id).first()
    if row is None:
        raise NotFound("No organization with id {id}", id=org_id)
    return row


async def _check_unique(name: str, exclude: int | None) -> None:
    query = Organization.exists().where(Organization.name.ilike(name.replace("%", r"\%")))
    if exclude is not None:
        query = query.where(Organization.id != exclude)
    if await query:
        raise Conflict("An organization with this name already exists", field="name")


async def create_organization(actor: Actor, data: OrgIn) -> OrgOut:
    """Add an organization."""
    actor.require(Section.SETTINGS, Action.EDIT)
    values = clean(msgspec.structs.asdict(data))
    await _check_unique(values["name"], None)
    now = dt.datetime.now(dt.UTC)
    async with Organization._meta.db.transaction():
        org = Organization(**values, created_at=now, updated_at=now)
        await org.save()
        await audit.record(actor, "organization", org.id, "create", audit.diff({}, values))
    return org_out(await _row(int(org.id)))


async def update_organization(actor: Actor, org_id: int, data: OrgPatch) -> OrgOut:
    """Change an organization (switching it off keeps its history)."""
    actor.require(Section.SETTINGS, Action.EDIT)
    before = await _row(org_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    values = clean(changes)
    if "name" in values:
        await _check_unique(values["name"], org_id)
    delta = audit.diff({k: before[k] for k in values}, values)
    if delta:
        async with Organization._meta.db.transaction():
            await Organization.update(
                {**values, "updated_at": dt.datetime.now(dt.UTC)}  # type: ignore[dict-item]
            ).where(Organization.id == org_id)
            await audit.record(actor, "organization", org_id, "update", delta)
    return org_out(await _row(org_id))
