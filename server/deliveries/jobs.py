"""Jobs of the deliveries domain: the carriers' status refresh, every 30 minutes, one at a
time in the whole install (nothing runs while no carrier's integration is on)."""

from __future__ import annotations

import logging

from server.deliveries import refresh
from server.jobs.queue import TASKS

log = logging.getLogger("servio.deliveries")
LOCK = "deliveries-refresh"


@TASKS.periodic(cron="*/30 * * * *", periodic_id="deliveries")
@TASKS.task(name="deliveries_refresh", queue="deliveries", lock=LOCK, queueing_lock=LOCK)
async def deliveries_refresh(timestamp: int) -> None:
    """Every 30 minutes: fetch the open shipments' statuses from their carriers."""
    report = await refresh.refresh_open()
    if report.checked:
        log.info(
            "carrier refresh: %s checked, %s changed, %s failed%s",
            report.checked,
            report.changed,
            report.failed,
            f" (stopped: {report.stopped})" if report.stopped else "",
        )
