"""How the expertise of each line's defective part reads: its status and result, and the
part's shipment as deliveries show it to the caller."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.deliveries import api as deliveries
from server.i18n import gettext
from server.purchasing.choices import ExpertiseSource, ExpertiseStatus
from server.purchasing.schemas import ExpertiseOut, ShipmentLink
from server.purchasing.tables import PartExpertise


async def of_lines(actor: Actor, line_ids: list[int]) -> dict[int, ExpertiseOut]:
    """{supplier order line: its expertise} (two queries at most)."""
    if not line_ids:
        return {}
    rows = await PartExpertise.select().where(PartExpertise.line_id.is_in(sorted(set(line_ids))))
    shipments = await deliveries.shipments(
        actor, {r["shipment_id"] for r in rows if r["shipment_id"] is not None}
    )
    return {r["line_id"]: expertise_out(r, shipments) for r in rows}


def expertise_out(row: dict[str, Any], shipments: dict[int, Any]) -> ExpertiseOut:
    """One expertise row as the caller sees it."""
    source, status = ExpertiseSource(row["source"]), ExpertiseStatus(row["status"])
    found = shipments.get(row["shipment_id"]) if row["shipment_id"] is not None else None
    return ExpertiseOut(
        id=row["id"],
        source=source.value,
        source_label=gettext(source.label),
        status=status.value,
        status_label=gettext(status.label),
        note=row["note"],
        result_note=row["result_note"],
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        shipment=ShipmentLink(found.id, found.number, found.status_label) if found else None,
    )


async def pending_items(order_id: int) -> list[int]:
    """Stock items of the order's lines whose defective part still waits for its expertise."""
    rows = await PartExpertise.select(PartExpertise.item_id).where(
        PartExpertise.order == order_id,
        PartExpertise.status == ExpertiseStatus.REQUESTED.value,
        PartExpertise.line_id.is_not_null(),
    )
    return [r["item_id"] for r in rows]
