"""What other domains read of payroll: the partners' report sheets of locked periods (what
the center owes each partner service center for its work; a locked period never changes)."""

from __future__ import annotations

from server.payroll.schemas import PartnerSheet
from server.payroll.tables import PayrollLine

__all__ = ["PartnerSheet", "partner_sheets"]


async def partner_sheets(organization_id: int | None = None) -> list[PartnerSheet]:
    """Locked periods' totals per partner (or of one partner), oldest first."""
    where, args = ["p.state = 'locked'", "l.payee = 'partner'"], []
    if organization_id is not None:
        where.append("l.payee_id = {}")
        args.append(organization_id)
    rows = await PayrollLine.raw(
        "SELECT p.id AS period_id, l.payee_id AS organization_id, p.first_day, p.last_day,"
        " p.locked_at, sum(l.amount) AS amount"
        " FROM payroll_line l JOIN payroll_period p ON p.id = l.period_id"
        f" WHERE {' AND '.join(where)}"
        " GROUP BY 1, 2, 3, 4, 5 HAVING sum(l.amount) <> 0 ORDER BY p.last_day, p.id",
        *args,
    )
    return [PartnerSheet(**r) for r in rows]
