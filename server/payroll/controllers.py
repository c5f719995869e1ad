"""HTTP API of payroll: rules, periods (compute, adjust, approve, reopen, lock, XLSX) and one's
own figures."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post
from litestar.params import JSONBody

import printforms
from server.guards import CurrentActor
from server.params import OptionalId, RecordId
from server.payroll import exports, periods, reading, rules
from server.payroll.schemas import (
    AdjustmentIn,
    MyFigures,
    PeriodIn,
    PeriodList,
    PeriodOut,
    RuleIn,
    RuleOut,
)

XLSX = printforms.MEDIA_TYPES["xlsx"]


class PayrollController(Controller):
    """Payroll."""

    path = "/api/v1/payroll"
    tags = ["payroll"]

    @get("/rules")
    async def list_rules(self, actor: CurrentActor) -> list[RuleOut]:
        """Every rule: roles', employees', partners'."""
        return await rules.list_rules(actor)

    @post("/rules")
    async def save_rule(self, actor: CurrentActor, data: JSONBody[RuleIn]) -> RuleOut:
        """Set how a role, an employee or a partner is paid (replacing their rule)."""
        return await rules.save_rule(actor, data)

    @delete("/rules/{rule_id:int}", status_code=204)
    async def delete_rule(self, actor: CurrentActor, rule_id: RecordId) -> None:
        """Remove a rule."""
        await rules.delete_rule(actor, rule_id)

    @get("/periods")
    async def list_periods(self, actor: CurrentActor) -> PeriodList:
        """Periods, newest first."""
        return PeriodList(items=await reading.list_periods(actor))

    @post("/periods")
    async def create_period(self, actor: CurrentActor, data: JSONBody[PeriodIn]) -> PeriodOut:
        """Make a period (the current month by default) and compute it."""
        return await reading.period_out(actor, await periods.create_period(actor, data))

    @get("/periods/{period_id:int}")
    async def get_period(
        self,
        actor: CurrentActor,
        period_id: RecordId,
        employee_id: OptionalId = None,
        organization_id: OptionalId = None,
    ) -> PeriodOut:
        """A period with everyone it pays, line by line (only one payee's lines when an
        employee or a partner is named)."""
        return await reading.period_out(
            actor, period_id, reading.payee_of(employee_id, organization_id)
        )

    @post("/periods/{period_id:int}/compute")
    async def compute(self, actor: CurrentActor, period_id: RecordId) -> PeriodOut:
        """Compute the open period again from the closed orders and the rules."""
        await periods.compute(actor, period_id)
        return await reading.period_out(actor, period_id)

    @post("/periods/{period_id:int}/adjustments")
    async def adjust(
        self, actor: CurrentActor, period_id: RecordId, data: JSONBody[AdjustmentIn]
    ) -> PeriodOut:
        """A bonus or a deduction by hand, with the reason."""
        await periods.adjust(actor, period_id, data)
        return await reading.period_out(actor, period_id)

    @post("/periods/{period_id:int}/approve")
    async def approve(self, actor: CurrentActor, period_id: RecordId) -> PeriodOut:
        """Approve the reviewed period."""
        await periods.approve(actor, period_id)
        return await reading.period_out(actor, period_id)

    @post("/periods/{period_id:int}/reopen")
    async def reopen(self, actor: CurrentActor, period_id: RecordId) -> PeriodOut:
        """Take an approved period back to open."""
        await periods.reopen(actor, period_id)
        return await reading.period_out(actor, period_id)

    @post("/periods/{period_id:int}/lock")
    async def lock(self, actor: CurrentActor, period_id: RecordId) -> PeriodOut:
        """Lock the approved period: later changes go to the next period as corrections."""
        await periods.lock(actor, period_id)
        return await reading.period_out(actor, period_id)

    @get("/periods/{period_id:int}/sheets.xlsx")
    async def sheets(self, actor: CurrentActor, period_id: RecordId) -> Response[bytes]:
        """The period's report sheets: a summary, one per employee and per partner."""
        data = await exports.period_xlsx(actor, period_id)
        name = f"payroll-{period_id}.xlsx"
        return Response(
            data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @get("/me")
    async def my_figures(self, actor: CurrentActor) -> MyFigures:
        """One's own figures of the current month: orders done, earned, ratings."""
        return await reading.my_figures(actor)
