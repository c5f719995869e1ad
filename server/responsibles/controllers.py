"""HTTP API of responsibles: the problem classification, address zones, assignment rules and
the preview of which rule fires for a request or order."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.params import JSONBody

from server.guards import CurrentActor
from server.orders import api as orders
from server.params import RecordId
from server.responsibles import api, classes, rules, zones
from server.responsibles.schemas import (
    Preview,
    ProblemClassIn,
    ProblemClassList,
    ProblemClassOut,
    ProblemClassPatch,
    RuleIn,
    RuleList,
    RuleOut,
    RulePatch,
    SubjectIn,
    ZoneIn,
    ZoneList,
    ZoneOut,
    ZonePatch,
)
from server.staff.permissions import Action, Section


class ResponsiblesController(Controller):
    """Automatic responsibles (settings:view to read, settings:edit to change; the
    classification is read by anyone who works with orders)."""

    path = "/api/v1"
    tags = ["responsibles"]

    @get("/problem-classes")
    async def list_classes(self, actor: CurrentActor) -> ProblemClassList:
        """The problem classification, each node after its parent (switched-off ones too)."""
        if not actor.can(Section.SETTINGS, Action.VIEW):
            actor.require(Section.ORDERS, Action.VIEW)
        return ProblemClassList(await classes.all_classes())

    @post("/problem-classes")
    async def create_class(
        self, actor: CurrentActor, data: JSONBody[ProblemClassIn]
    ) -> ProblemClassOut:
        """Add a node of the classification (under `parent_id`, or a root)."""
        return await classes.create_class(actor, data)

    @patch("/problem-classes/{class_id:int}")
    async def update_class(
        self, actor: CurrentActor, class_id: RecordId, data: JSONBody[ProblemClassPatch]
    ) -> ProblemClassOut:
        """Rename, move or reorder a node, or switch it off or on."""
        return await classes.update_class(actor, class_id, data)

    @get("/assignment-zones")
    async def list_zones(self, actor: CurrentActor) -> ZoneList:
        """Every address zone."""
        actor.require(Section.SETTINGS, Action.VIEW)
        return ZoneList(await zones.all_zones())

    @get("/assignment-zones/{zone_id:int}")
    async def get_zone(self, actor: CurrentActor, zone_id: RecordId) -> ZoneOut:
        """One address zone."""
        actor.require(Section.SETTINGS, Action.VIEW)
        return await zones.get_zone(zone_id)

    @post("/assignment-zones")
    async def create_zone(self, actor: CurrentActor, data: JSONBody[ZoneIn]) -> ZoneOut:
        """Add a zone: a polygon of [lat, lon] points, cities or districts, or both."""
        return await zones.create_zone(actor, data)

    @patch("/assignment-zones/{zone_id:int}")
    async def update_zone(
        self, actor: CurrentActor, zone_id: RecordId, data: JSONBody[ZonePatch]
    ) -> ZoneOut:
        """Change a zone."""
        return await zones.update_zone(actor, zone_id, data)

    @get("/assignment-rules")
    async def list_rules(self, actor: CurrentActor) -> RuleList:
        """Every rule in precedence order."""
        actor.require(Section.SETTINGS, Action.VIEW)
        return RuleList(await rules.all_rules())

    @get("/assignment-rules/{rule_id:int}")
    async def get_rule(self, actor: CurrentActor, rule_id: RecordId) -> RuleOut:
        """One rule."""
        actor.require(Section.SETTINGS, Action.VIEW)
        return await rules.get_rule(rule_id)

    @post("/assignment-rules")
    async def create_rule(self, actor: CurrentActor, data: JSONBody[RuleIn]) -> RuleOut:
        """Add a rule (last in precedence unless `sort` is given)."""
        return await rules.create_rule(actor, data)

    @patch("/assignment-rules/{rule_id:int}")
    async def update_rule(
        self, actor: CurrentActor, rule_id: RecordId, data: JSONBody[RulePatch]
    ) -> RuleOut:
        """Change a rule; what is given replaces what was."""
        return await rules.update_rule(actor, rule_id, data)

    @delete("/assignment-rules/{rule_id:int}")
    async def delete_rule(self, actor: CurrentActor, rule_id: RecordId) -> None:
        """Remove a rule."""
        await rules.delete_rule(actor, rule_id)

    @post("/assignment-rules/preview", status_code=200)
    async def preview(self, actor: CurrentActor, data: JSONBody[SubjectIn]) -> Preview:
        """Which rule fires for which role of such a request or order, and why the others were
        skipped (workload as the orders count it now; nothing is recorded)."""
        return await api.preview(
            actor, data, orders.open_work, org_load=orders.open_at_service_centers
        )
