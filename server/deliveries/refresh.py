"""The periodic refresh: open shipments of integrated carriers, the longest unchecked first.

An error is written on its shipment and the run goes on; only a carrier that is away or
refuses the keys ends the run early (every other shipment would wait out the same timeout or
get the same refusal) — they are tried again on the next run.
"""

from __future__ import annotations

import logging
import time

import msgspec
from piccolo.query import OrderByRaw

from server.deliveries import tracking
from server.deliveries.carriers import integration_on
from server.deliveries.carriers.base import CarrierAway, KeysRefused
from server.deliveries.choices import OPEN, Carrier
from server.deliveries.tables import Shipment
from server.errors import DomainError

log = logging.getLogger("servio.deliveries")
BATCH = 200  # shipments per run at most
RUN_SECONDS = 240.0  # a run stops after this long; the next one goes on


class RefreshReport(msgspec.Struct):
    """What one run did."""

    checked: int = 0
    changed: int = 0
    failed: int = 0
    stopped: str = ""  # why the run ended early


async def due(carrier: str, limit: int) -> list[int]:
    """Ids of the carrier's open shipments with a number, never or longest ago checked first."""
    rows = await (
        Shipment.select(Shipment.id)
        .where(
            Shipment.carrier == carrier,
            Shipment.status.is_in([s.value for s in OPEN]),
            Shipment.tracking_number != "",
        )
        .order_by(OrderByRaw("carrier_checked_at IS NOT NULL"))  # never checked first
        .order_by(Shipment.carrier_checked_at, Shipment.id)
        .limit(limit)
    )
    return [r["id"] for r in rows]


async def refresh_one(shipment_id: int) -> bool:
    """Fetch one shipment and write what the carrier says; True when something changed."""
    row = await Shipment.select().where(Shipment.id == shipment_id).first()
    if row is None or row["status"] not in [s.value for s in OPEN]:
        return False
    tracked = await tracking.fetch(row["carrier"], row["tracking_number"])
    if tracked is None:
        return False
    async with Shipment._meta.db.transaction():
        locked = await tracking.locked_row(shipment_id)
        if locked is None or locked["tracking_number"] != row["tracking_number"]:
            return False  # changed meanwhile: the next run fetches the new number
        changed = await tracking.apply(locked, tracked, None)
    return bool(changed)


async def refresh_open(limit: int = BATCH, max_seconds: float = RUN_SECONDS) -> RefreshReport:
    """Refresh the open shipments of every integrated carrier that is on."""
    report = RefreshReport()
    began = time.monotonic()
    carriers = [c.value for c in Carrier if integration_on(c.value)]
    for carrier in carriers:
        for shipment_id in await due(carrier, limit):
            if time.monotonic() - began > max_seconds:
                report.stopped = "time"
                return report
            report.checked += 1
            try:
                report.changed += await refresh_one(shipment_id)
            except DomainError as error:
                report.failed += 1
                message = await tracking.record_failure(shipment_id, error)
                if isinstance(error, CarrierAway | KeysRefused):
                    report.stopped = message
                    break
            except Exception as error:  # a bug must not stop the others' refresh
                log.exception("refreshing shipment %s failed", shipment_id)
                report.failed += 1
                await tracking.record_failure(
                    shipment_id, DomainError("The refresh failed: {reason}", reason=repr(error))
                )
    return report
