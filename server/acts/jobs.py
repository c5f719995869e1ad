"""Jobs of the acts domain: the sweep, every ten minutes, one at a time in the whole install."""

from __future__ import annotations

import logging

from server.acts import sweep
from server.jobs.queue import TASKS

log = logging.getLogger("servio.acts")
LOCK = "acts-sweep"


@TASKS.periodic(cron="*/10 * * * *", periodic_id="acts")
@TASKS.task(name="acts_sweep", queue="acts", lock=LOCK, queueing_lock=LOCK)
async def acts_sweep(timestamp: int) -> None:
    """Every ten minutes: ask for the acts past visits lack, stop asking for those attached."""
    report = await sweep.sweep()
    if report.opened or report.reopened or report.closed:
        log.info(
            "acts sweep: %s visits, opened %s, reopened %s, closed %s",
            report.visits,
            report.opened,
            report.reopened,
            report.closed,
        )
