"""Jobs of the clients domain: geocoding addresses in the background.

One geocoding job runs at a time in the whole install (procrastinate `lock`), and at most one
waits (`queueing_lock`), so the geocoder's rate limit holds across processes. The job is
deferred when an address starts waiting, and a periodic one picks up what is left (failed
answers after an hour, jobs lost with a process). A run lasts at most RUN_SECONDS and then
defers the next one, so a worker can stop gracefully in the middle of a long backlog.
"""

from __future__ import annotations

import logging

from procrastinate.exceptions import AlreadyEnqueued

from server import geo
from server.clients import geocoding
from server.clients.address_schemas import GeocodeReport
from server.jobs.queue import TASKS, open_jobs

log = logging.getLogger("servio.geocoding")
LOCK = "geocode-addresses"
RUN_SECONDS = 120.0


async def _run() -> GeocodeReport:
    report = await geocoding.geocode_due(max_seconds=RUN_SECONDS)
    tried = report.found + report.not_found + report.failed
    if tried:
        log.info(
            "geocoded %s, not found %s, failed %s, %s left%s",
            report.found,
            report.not_found,
            report.failed,
            report.left,
            f" (stopped: {report.stopped})" if report.stopped else "",
        )
    if report.left and not report.stopped and not report.skipped:
        await request_geocoding()  # the rest in the next run
    return report


@TASKS.task(name="geocode_addresses", queue="geocoding", lock=LOCK, queueing_lock=LOCK)
async def geocode_addresses() -> None:
    """Geocode the addresses that wait (nothing without a geocoder)."""
    await _run()


@TASKS.periodic(cron="*/15 * * * *", periodic_id="geocode")
@TASKS.task(name="geocode_periodically", queue="geocoding", lock=LOCK, queueing_lock=LOCK)
async def geocode_periodically(timestamp: int) -> None:
    """Every 15 minutes: what is left, and failed answers due to be tried again."""
    await _run()


async def request_geocoding() -> bool:
    """Queue a geocoding run if a geocoder is configured; True when one is (or was) queued.

    A queue that cannot be reached only delays the work: the periodic run catches up.
    """
    if not geo.configured():
        return False
    try:
        await open_jobs()
        await geocode_addresses.defer_async()
    except AlreadyEnqueued:
        return True
    except Exception as error:
        log.warning("geocoding not queued: %s (the periodic run will do it)", error)
        return False
    return True
