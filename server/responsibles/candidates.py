"""Who a rule may name, read through the owning domains: employees from staff, partner service
centers from partners."""

from __future__ import annotations

from collections.abc import Iterable

from server.partners import api as partners
from server.responsibles.engine import Candidate
from server.staff import api as staff


async def employees(ids: Iterable[int]) -> dict[int, Candidate]:
    """{id: candidate} of the employees that exist (inactive ones too)."""
    found = await staff.assignees(ids)
    return {i: Candidate(a.id, a.full_name, a.is_active, a.manufacturers) for i, a in found.items()}


class Org(Candidate, frozen=True):
    """An organization as a candidate, with its kind."""

    kind: str = ""


async def organizations(ids: Iterable[int]) -> dict[int, Org]:
    """{id: candidate} of the organizations that exist (inactive ones too)."""
    wanted = set(ids)
    if not wanted:
        return {}
    found: dict[int, Org] = {}
    for org in await partners.organizations(active_only=False):
        if org.id in wanted:
            found[org.id] = Org(org.id, org.name, org.is_active, tuple(org.manufacturers), org.kind)
    return found


async def names(role: str, ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of employees, or of organizations for service_center."""
    if role == "service_center":
        return await partners.names(ids)
    return await staff.names(ids)
