"""Jobs of the SLA domain: the sweep, every minute, one at a time in the whole install."""

from __future__ import annotations

import logging

from server.jobs.queue import TASKS
from server.sla import sweep

log = logging.getLogger("servio.sla")
LOCK = "sla-sweep"


@TASKS.periodic(cron="* * * * *", periodic_id="sla")
@TASKS.task(name="sla_sweep", queue="sla", lock=LOCK, queueing_lock=LOCK)
async def sla_sweep(timestamp: int) -> None:
    """Every minute: read the clocks that may have moved, record warnings, breaches and
    escalations (every open order's when the calendar or a policy changed, and once a day)."""
    report = await sweep.sweep()
    if report.recorded or report.settled or report.full:
        log.info(
            "SLA sweep%s: %s orders, %s with clocks, recorded %s, settled %s in %.1f s",
            " of every open order" if report.full else "",
            report.orders,
            report.with_clocks,
            report.recorded,
            report.settled,
            report.seconds,
        )
