"""Jobs of the documents domain: a big export queued, then written for the employee who asked.

The arrow points one way: this module uses `downloads` (where files and their rows are kept),
`downloads` never imports the queue.
"""

from __future__ import annotations

import logging

import msgspec

from server.actor import Actor
from server.documents import exports
from server.documents.downloads import download_out, fail_download, now, write_download
from server.documents.schemas import DownloadOut
from server.documents.tables import Download
from server.errors import DomainError, Unavailable
from server.i18n import current_language, normalize_language
from server.jobs.queue import TASKS, open_jobs
from server.staff.services import load_actor

log = logging.getLogger("servio.downloads")


@TASKS.task(name="export_download", queue="exports")
async def export_download(download_id: int) -> None:
    """Write a pending download as its employee, with the permissions they have now."""
    row = await Download.select().output(load_json=True).where(Download.id == download_id).first()
    if row is None or row["status"] != "pending":
        return  # gone, or already written by an earlier run of this job
    actor = await load_actor(row["employee"])
    if actor is None:
        await fail_download(download_id, "the employee is no longer active")
        return
    spec = msgspec.convert(row["spec"], exports.ExportSpec)
    current_language.set(normalize_language(spec.language))
    try:
        prepared = await exports.prepare(actor, spec)
    except DomainError as error:  # permissions or filters changed since it was asked
        await fail_download(download_id, error.text())
        return
    await write_download(download_id, prepared.columns, prepared.rows, prepared.title)


async def start_background(actor: Actor, spec: exports.ExportSpec, file_name: str) -> DownloadOut:
    """Record a pending download and queue its job; the employee finds it in downloads."""
    download = Download(
        employee=actor.employee_id,
        file_name=file_name,
        status="pending",
        created_at=now(),
        spec=msgspec.to_builtins(spec),
    )
    await download.save()
    try:
        await open_jobs()
        await export_download.defer_async(download_id=download.id)
    except Exception as error:
        log.error("export %s not queued: %s", download.id, error)
        refusal = Unavailable("Background exports are unavailable now; try again later")
        await fail_download(download.id, refusal.text())
        raise refusal from error
    row = await Download.select().where(Download.id == download.id).first()
    assert row is not None
    return download_out(row)
