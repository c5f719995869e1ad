"""Sums over posted documents: a shift's money by kind and method, the cash a desk holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from server.cashdesk.choices import DocumentKind, Method
from server.cashdesk.tables import CashDocument, CashShift
from server.money import ZERO


@dataclass
class Figures:
    """Money of some documents: by (kind, method), prepayments, and counts by kind."""

    by_kind_method: dict[tuple[DocumentKind, Method], Decimal] = field(default_factory=dict)
    counts: dict[DocumentKind, int] = field(default_factory=dict)
    prepayments: Decimal = ZERO

    def of(self, kind: DocumentKind, method: Method | None = None) -> Decimal:
        """The sum of a kind, by one method or all."""
        return sum(
            (v for (k, m), v in self.by_kind_method.items() if k is kind and method in (None, m)),
            ZERO,
        )

    def cash_balance(self) -> Decimal:
        """Cash in less cash out: payments, refunds, cash put in and taken out."""
        cash = Method.CASH
        return (
            self.of(DocumentKind.PAYMENT, cash)
            - self.of(DocumentKind.REFUND, cash)
            + self.of(DocumentKind.CASH_IN, cash)
            - self.of(DocumentKind.CASH_OUT, cash)
        )


SUMS = """
SELECT d.{key} AS key, d.kind, p.method, sum(p.amount) AS amount,
       sum(p.amount) FILTER (WHERE d.prepayment) AS prepaid
FROM cashdesk_document d JOIN cashdesk_document_part p ON p.document_id = d.id
WHERE d.{key} = ANY({{}}::int[])
GROUP BY d.{key}, d.kind, p.method
"""


async def figures_of(key: str, ids: Sequence[int]) -> dict[int, Figures]:
    """Figures per shift (key "shift_id") or per desk (key "desk_id")."""
    assert key in ("shift_id", "desk_id")
    found: dict[int, Figures] = {}
    if not ids:
        return found
    rows = await CashDocument.raw(SUMS.format(key=key), list(ids))
    for row in rows:
        figures = found.setdefault(row["key"], Figures())
        kind, method = DocumentKind(row["kind"]), Method(row["method"])
        figures.by_kind_method[(kind, method)] = row["amount"]
        figures.prepayments += row["prepaid"] or ZERO
    if rows:  # a split document counts once: count the documents by kind apart from the parts
        counted = await CashDocument.raw(
            f"SELECT {key} AS key, kind, count(*) AS n FROM cashdesk_document"
            f" WHERE {key} = ANY({{}}::int[]) GROUP BY {key}, kind",
            list(ids),
        )
        for row in counted:
            found[row["key"]].counts[DocumentKind(row["kind"])] = row["n"]
    return found


async def desk_cash(
    desk_ids: Sequence[int], open_shifts: Mapping[int, dict[str, Any]]
) -> dict[int, Decimal]:
    """The cash each desk holds: an open shift's expected cash; a closed desk's last count;
    a field master's cash taken less handed in."""
    shift_ids = [s["id"] for s in open_shifts.values()]
    by_shift = await figures_of("shift_id", shift_ids)
    cash: dict[int, Decimal] = {}
    for desk_id, shift in open_shifts.items():
        figures = by_shift.get(shift["id"], Figures())
        cash[desk_id] = shift["opening_balance"] + figures.cash_balance()
    closed = [d for d in desk_ids if d not in open_shifts]
    if closed:
        last = await CashShift.raw(
            "SELECT DISTINCT ON (desk_id) desk_id, counted FROM cashdesk_shift"
            " WHERE desk_id = ANY({}::int[]) AND closed_at IS NOT NULL"
            " ORDER BY desk_id, closed_at DESC",
            closed,
        )
        cash.update({r["desk_id"]: r["counted"] for r in last})
        unshifted = [d for d in closed if d not in cash]
        for desk_id, figures in (await figures_of("desk_id", unshifted)).items():
            cash[desk_id] = figures.cash_balance()
    return cash


async def money_by_day(
    first_day: dt.date, last_day: dt.date, zone: str
) -> dict[dt.date, tuple[Decimal, Decimal]]:
    """(received, refunded) for orders by the center's day, over the period."""
    rows = await CashDocument.raw(
        "SELECT (at AT TIME ZONE {})::date AS day,"
        " coalesce(sum(amount) FILTER (WHERE kind = 'payment'), 0) AS received,"
        " coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0) AS refunded"
        " FROM cashdesk_document WHERE kind IN ('payment', 'refund')"
        " AND (at AT TIME ZONE {})::date BETWEEN {} AND {} GROUP BY 1",
        zone,
        zone,
        first_day,
        last_day,
    )
    return {r["day"]: (r["received"], r["refunded"]) for r in rows}
