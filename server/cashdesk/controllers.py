"""HTTP API of the cash desk: desks, shifts (open, X/Z report, close), cash in and out."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from server.cashdesk import desks, handover, payments, shifts
from server.cashdesk.schemas import (
    CashMoveIn,
    DeskIn,
    DeskList,
    DeskOut,
    DeskPatch,
    DocumentOut,
    HandoverIn,
    ShiftClose,
    ShiftList,
    ShiftOpen,
    ShiftReport,
)
from server.guards import CurrentActor
from server.params import RecordId


class CashDeskController(Controller):
    """Cash desks and their shifts."""

    path = "/api/v1/cash"
    tags = ["cash desk"]

    @get("/desks")
    async def list_desks(self, actor: CurrentActor) -> DeskList:
        """Every desk with its open shift and the cash it holds (field masters' too)."""
        return DeskList(items=await desks.list_desks(actor))

    @post("/desks")
    async def create_desk(self, actor: CurrentActor, data: JSONBody[DeskIn]) -> DeskOut:
        """Add a counter desk."""
        return await desks.create_desk(actor, data)

    @patch("/desks/{desk_id:int}")
    async def update_desk(
        self, actor: CurrentActor, desk_id: RecordId, data: JSONBody[DeskPatch]
    ) -> DeskOut:
        """Rename a desk, or switch it off or on."""
        return await desks.update_desk(actor, desk_id, data)

    @get("/desks/{desk_id:int}/shifts")
    async def list_shifts(self, actor: CurrentActor, desk_id: RecordId) -> ShiftList:
        """The desk's shifts, newest first."""
        return ShiftList(items=await shifts.list_shifts(actor, desk_id))

    @post("/desks/{desk_id:int}/shifts")
    async def open_shift(
        self, actor: CurrentActor, desk_id: RecordId, data: JSONBody[ShiftOpen]
    ) -> ShiftReport:
        """Open the desk's shift with the cash in the drawer; answers its X report."""
        return await shifts.open_shift(actor, desk_id, data)

    @get("/shifts/{shift_id:int}")
    async def get_shift(self, actor: CurrentActor, shift_id: RecordId) -> ShiftReport:
        """The shift's report: X while open, Z once closed, with its documents."""
        return await shifts.report(actor, shift_id)

    @post("/shifts/{shift_id:int}/close")
    async def close_shift(
        self, actor: CurrentActor, shift_id: RecordId, data: JSONBody[ShiftClose]
    ) -> ShiftReport:
        """Close the shift with the cash counted; answers the Z report."""
        return await shifts.close_shift(actor, shift_id, data)

    @post("/shifts/{shift_id:int}/handovers")
    async def hand_over(
        self, actor: CurrentActor, shift_id: RecordId, data: JSONBody[HandoverIn]
    ) -> DocumentOut:
        """Take the cash a field master carries into the shift's drawer."""
        return await handover.hand_over(actor, shift_id, data)

    @post("/shifts/{shift_id:int}/moves")
    async def cash_move(
        self, actor: CurrentActor, shift_id: RecordId, data: JSONBody[CashMoveIn]
    ) -> DocumentOut:
        """Put cash into the drawer or take it out, with the reason."""
        return await payments.cash_move(actor, shift_id, data)
