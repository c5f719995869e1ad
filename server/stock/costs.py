"""What the parts and goods orders used cost the center: the consumptions into orders less
what came back from them, at the moving-average cost they left the warehouse with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from server.stock.tables import StockMove

COSTS_SQL = """
SELECT (m.at AT TIME ZONE {})::date AS day, sum(-m.quantity * m.unit_cost) AS cost
FROM stock_move m JOIN stock_document d ON d.id = m.document_id
WHERE d.kind IN ('consumption', 'order_return') AND d.order_id IS NOT NULL
  AND (m.at AT TIME ZONE {})::date BETWEEN {} AND {}
GROUP BY 1
"""


async def order_parts_cost_by_day(
    first_day: dt.date, last_day: dt.date, zone: str
) -> dict[dt.date, Decimal]:
    """The cost of parts used by orders, by the center's day, over the period."""
    rows = await StockMove.raw(COSTS_SQL, zone, zone, first_day, last_day)
    return {r["day"]: Decimal(r["cost"]).quantize(Decimal("0.01")) for r in rows}
