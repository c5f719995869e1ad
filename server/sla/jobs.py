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
    """Every minute: read the open orders' clocks, record warnings, breaches, escalations."""
    report = await sweep.sweep()
    if report.recorded or report.settled:
        log.info(
            "SLA sweep: %s orders, %s with clocks, recorded %s, settled %s in %.1f s",
            report.orders,
            report.with_clocks,
            report.recorded,
            report.settled,
            report.seconds,
        )
