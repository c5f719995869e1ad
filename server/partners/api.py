"""What other domains read of partner organizations (reference data: names, kinds, brands)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from server import refcache
from server.partners.schemas import OrgOut
from server.partners.services import org_out
from server.partners.tables import Organization

__all__ = ["OrgOut", "names", "organization", "organizations"]


async def organization(org_id: int) -> OrgOut | None:
    """The organization with this id, or None."""
    row = await Organization.select().where(Organization.id == org_id).first()
    return org_out(row) if row else None


async def organizations(kind: str | None = None, active_only: bool = True) -> list[OrgOut]:
    """Organizations (of a kind), by name; only active ones unless told otherwise."""
    return [org_out(r) for r in await _organizations(kind, active_only)]


@refcache.reads("partner_organization")
async def _organizations(kind: str | None, active_only: bool) -> tuple[dict[str, Any], ...]:
    query = Organization.select()
    if kind:
        query = query.where(Organization.kind == kind)
    if active_only:
        query = query.where(Organization.is_active.eq(True))
    return tuple(await query.order_by(Organization.name))


async def names(ids: Iterable[int | None]) -> dict[int, str]:
    """{id: name} of the organizations named (unknown ids left out)."""
    wanted = {i for i in ids if i is not None}
    return {r["id"]: r["name"] for r in await _organizations(None, False) if r["id"] in wanted}
