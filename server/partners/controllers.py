"""HTTP API of partner organizations (settings:view to list, settings:edit to change)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import JSONBody, QueryParameter

from server.guards import CurrentActor
from server.params import RecordId
from server.partners import services
from server.partners.schemas import OrgIn, OrgList, OrgOut, OrgPatch

KindFilter = Annotated[
    str | None, QueryParameter(pattern="^(dealer|service_center)$", description="Kind")
]


class PartnerController(Controller):
    """Dealers and partner service centers."""

    path = "/api/v1/partners"
    tags = ["partners"]

    @get("/")
    async def list_partners(self, actor: CurrentActor, kind: KindFilter = None) -> OrgList:
        """Every organization (of a kind), active ones first."""
        return OrgList(await services.list_organizations(actor, kind))

    @post("/")
    async def create_partner(self, actor: CurrentActor, data: JSONBody[OrgIn]) -> OrgOut:
        """Add an organization."""
        return await services.create_organization(actor, data)

    @patch("/{org_id:int}")
    async def update_partner(
        self, actor: CurrentActor, org_id: RecordId, data: JSONBody[OrgPatch]
    ) -> OrgOut:
        """Change an organization, or switch it off or on."""
        return await services.update_organization(actor, org_id, data)
