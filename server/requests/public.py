"""What the requester does through the private link: follow the request and, when it was
returned for rework, complete it (no account). A wrong or unknown token gets None: the pages
answer the same neutral 404 for both."""

from __future__ import annotations

from typing import Any

from server.errors import Conflict
from server.files import api as files
from server.i18n import gettext
from server.notify import api as notify
from server.notify import events
from server.requests import fields
from server.requests.choices import EventKind, RequestStatus
from server.requests.schemas import PublicView, RequestFields
from server.requests.serialize import photos, timeline
from server.requests.services import (
    add_event,
    check_photo_count,
    now,
    store_photos,
    token_hash,
)
from server.requests.tables import RequestLink, RequestPhoto, ServiceRequest

SHOWN = (
    "name", "phone", "email", "device", "device_type", "brand", "model", "serial", "problem",
    "address", "preferred_day", "preferred_from", "preferred_to", "custom",
)  # fmt: skip


async def _row(token: str, *, for_update: bool = False) -> dict[str, Any] | None:
    if not token or len(token) > 100:
        return None
    link = (
        await RequestLink.select(RequestLink.request)
        .where(RequestLink.token_hash == token_hash(token))
        .first()
    )
    if link is None:
        return None
    if for_update:
        await ServiceRequest.raw(
            "SELECT id FROM service_request WHERE id = {} FOR UPDATE", link["request"]
        )
    return (
        await ServiceRequest.select(
            *ServiceRequest.all_columns(exclude=[ServiceRequest.search_text])
        )
        .where(ServiceRequest.id == link["request"])
        .output(load_json=True)
        .first()
    )


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    shown = {k: row[k] for k in SHOWN}
    for key in ("preferred_from", "preferred_to"):
        shown[key] = row[key].strftime("%H:%M") if row[key] else ""
    shown["preferred_day"] = row["preferred_day"].isoformat() if row["preferred_day"] else ""
    return shown


async def view(token: str) -> PublicView | None:
    """The request's status, the reason of a return or rejection, and its public timeline."""
    row = await _row(token)
    if row is None:
        return None
    status = RequestStatus(row["status"])
    shows_reason = status in (RequestStatus.RETURNED, RequestStatus.REJECTED)
    return PublicView(
        number=row["number"],
        status=status.value,
        status_label=gettext(status.label),
        reason=row["reason"] if shows_reason else "",
        can_complete=status is RequestStatus.RETURNED,
        fields=_fields(row),
        photos=await photos(row["id"], token),
        timeline=await timeline(row["id"], for_requester=True),
    )


async def complete(
    token: str, data: RequestFields, new_photos: list[tuple[str, bytes]]
) -> PublicView | None:
    """The requester corrects the fields (and adds photos) of a returned request: it goes back
    into review."""
    async with ServiceRequest._meta.db.transaction():
        row = await _row(token, for_update=True)
        if row is None:
            return None
        if row["status"] != RequestStatus.RETURNED.value:
            raise Conflict("The request is not waiting for your changes", field="")
        values = await fields.clean(data, partial=True)
        given = {k: v for k, v in values.items() if v not in ("", None, {})}
        merged = {**row, **given}
        merged["custom"] = {**(row["custom"] or {}), **values.get("custom", {})}
        fields.require(merged)
        existing = await RequestPhoto.count().where(RequestPhoto.request == row["id"])
        check_photo_count(existing, len(new_photos))
        changed = sorted(k for k in given if given[k] != row.get(k))
        update = {
            **{k: merged[k] for k in given},
            "custom": merged["custom"],
            "status": RequestStatus.IN_REVIEW.value,
            "version": row["version"] + 1,
            "updated_at": now(),
        }
        await ServiceRequest.update(update).where(ServiceRequest.id == row["id"])  # type: ignore[arg-type]
        await store_photos(row["id"], new_photos, created_by=None, requester=True)
        await add_event(
            row["id"],
            EventKind.COMPLETED,
            by_requester=True,
            data={"fields": changed, "photos": len(new_photos)},
        )
        await notify.emit(
            events.REQUEST_COMPLETED,
            key=f"{events.REQUEST_COMPLETED}:{row['id']}:{update['version']}",
            employee_id=row["manager"] or row["created_by"],
            context={"request": {"number": row["number"]}, "link": f"/requests/{row['id']}"},
        )
    return await view(token)


async def photo(token: str, file_id: str) -> tuple[files.Opened, str, str] | None:
    """A photo of the request the link is of."""
    row = await _row(token)
    if row is None:
        return None
    return await photo_of(row["id"], file_id)


async def photo_of(request_id: int, file_id: str) -> tuple[files.Opened, str, str] | None:
    """A photo of this request, read from the file store while it is on no order."""
    if len(file_id) > 40:
        return None
    rows = await RequestPhoto.select(RequestPhoto.file).where(RequestPhoto.request == request_id)
    if file_id not in {str(r["file"]) for r in rows}:
        return None
    return await files.open_detached(file_id)
