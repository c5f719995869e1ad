"""HTTP API of finance: the period's summary, expenses and their categories, receivables, and
the mutual settlements with partners."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, get, patch, post
from litestar.params import JSONBody
from litestar.response import Response

import printforms
from server import clock
from server.finance import categories, expenses, receivables, settlements, summary
from server.finance.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    ExpenseIn,
    ExpenseList,
    ExpenseOut,
    FinanceSummary,
    PartnerBalance,
    PartnerEntryIn,
    PartnerEntryOut,
    Receivables,
    ReversalIn,
    Statement,
)
from server.guards import CurrentActor
from server.params import OptionalDay, OptionalId, RecordId

XLSX = printforms.MEDIA_TYPES["xlsx"]


def period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for; this month so far by default."""
    today = clock.today()
    first = date_from or summary.month_start(date_to or today)
    return first, date_to or max(today, first)


def checked_period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for, refused when backwards or longer than the longest allowed."""
    first, last = period(date_from, date_to)
    summary.check_period(first, last)
    return first, last


class FinanceController(Controller):
    """Income, expenses and profit; debts."""

    path = "/api/v1/finance"
    tags = ["finance"]

    @get("/summary")
    async def get_summary(
        self, actor: CurrentActor, date_from: OptionalDay = None, date_to: OptionalDay = None
    ) -> FinanceSummary:
        """Income, expenses by category and profit of the period (this month by default)."""
        return await summary.summary(actor, *checked_period(date_from, date_to))

    @get("/expenses")
    async def list_expenses(
        self,
        actor: CurrentActor,
        date_from: OptionalDay = None,
        date_to: OptionalDay = None,
        category_id: OptionalId = None,
    ) -> ExpenseList:
        """The period's expenses, newest first."""
        first, last = checked_period(date_from, date_to)
        return await expenses.list_expenses(actor, first, last, category_id)

    @post("/expenses")
    async def create_expense(self, actor: CurrentActor, data: JSONBody[ExpenseIn]) -> ExpenseOut:
        """Post an expense."""
        return await expenses.create_expense(actor, data)

    @post("/expenses/{expense_id:int}/reverse")
    async def reverse_expense(
        self, actor: CurrentActor, expense_id: RecordId, data: JSONBody[ReversalIn]
    ) -> ExpenseOut:
        """Undo an expense by a reversal; answers the reversal."""
        return await expenses.reverse_expense(actor, expense_id, data)

    @get("/categories")
    async def list_categories(self, actor: CurrentActor) -> list[CategoryOut]:
        """The expense categories."""
        return await categories.list_categories(actor)

    @post("/categories")
    async def create_category(self, actor: CurrentActor, data: JSONBody[CategoryIn]) -> CategoryOut:
        """Add an expense category."""
        return await categories.create_category(actor, data)

    @patch("/categories/{category_id:int}")
    async def update_category(
        self, actor: CurrentActor, category_id: RecordId, data: JSONBody[CategoryPatch]
    ) -> CategoryOut:
        """Rename a category, or switch it off or on."""
        return await categories.update_category(actor, category_id, data)

    @get("/receivables")
    async def get_receivables(self, actor: CurrentActor) -> Receivables:
        """Orders handed over unpaid, by age, and what each client owes."""
        return await receivables.receivables(actor)

    @get("/partners")
    async def partner_balances(self, actor: CurrentActor) -> list[PartnerBalance]:
        """Where the center stands with each partner: what it owes them or they owe it."""
        return await settlements.balances(actor)

    @get("/partners/{partner_id:int}/statement")
    async def partner_statement(
        self,
        actor: CurrentActor,
        partner_id: RecordId,
        date_from: OptionalDay = None,
        date_to: OptionalDay = None,
    ) -> Statement:
        """The reconciliation statement with a partner over the period (this month by default)."""
        first, last = checked_period(date_from, date_to)
        return await settlements.statement(actor, partner_id, first, last)

    @get("/partners/{partner_id:int}/statement.xlsx")
    async def partner_statement_xlsx(
        self,
        actor: CurrentActor,
        partner_id: RecordId,
        date_from: OptionalDay = None,
        date_to: OptionalDay = None,
    ) -> Response[bytes]:
        """The reconciliation statement as a workbook, to send to the partner."""
        first, last = checked_period(date_from, date_to)
        data = await settlements.statement_xlsx(actor, partner_id, first, last)
        name = f"statement-{partner_id}-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
        return Response(
            data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @post("/partners/{partner_id:int}/entries")
    async def post_partner_entry(
        self, actor: CurrentActor, partner_id: RecordId, data: JSONBody[PartnerEntryIn]
    ) -> PartnerEntryOut:
        """Post a settlement with a partner: an accrual, a charge, a payout or a receipt."""
        return await settlements.post_entry(actor, partner_id, data)

    @post("/partner-entries/{entry_id:int}/reverse")
    async def reverse_partner_entry(
        self, actor: CurrentActor, entry_id: RecordId, data: JSONBody[ReversalIn]
    ) -> PartnerEntryOut:
        """Undo a settlement entry by a reversal; answers the reversal."""
        return await settlements.reverse_entry(actor, entry_id, data)
