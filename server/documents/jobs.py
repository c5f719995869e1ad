"""Jobs of the documents domain: writing a big export for the employee who asked for it."""

from __future__ import annotations

import logging

import msgspec

from server.documents import exports
from server.documents.downloads import fail_download, write_download
from server.documents.tables import Download
from server.errors import DomainError
from server.i18n import current_language, normalize_language
from server.jobs.queue import TASKS
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
