"""Request rows as the API answers them, names read once per page."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.i18n import gettext
from server.orders import api as orders
from server.partners import api as partners
from server.requests.choices import Channel, EventKind, RequestStatus
from server.requests.schemas import EventOut, PersonRef, PhotoOut, RequestOut
from server.requests.tables import RequestEvent, RequestPhoto
from server.staff import api as staff

PEOPLE = ("manager", "expert", "technician", "created_by")
ORGS = ("source_org", "service_center")


def status_of(code: str) -> RequestStatus:
    """The status of a stored code."""
    return RequestStatus(code)


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _ref(names: dict[int, str], value: int | None) -> PersonRef | None:
    return PersonRef(value, names.get(value, "")) if value is not None else None


def photo_url(request_id: int, file_id: str, token: str = "") -> str:
    """Where a photo is served: to staff by the request's id, to the requester by the link."""
    if token:
        return f"/r/{token}/photos/{file_id}"
    return f"/requests/{request_id}/photos/{file_id}"


def event_out(row: dict[str, Any], names: dict[int, str], *, for_requester: bool) -> EventOut:
    """A timeline step; the requester sees who at the center only as «the service center»."""
    kind = row["kind"]
    label = EventKind(kind).label if kind in EventKind._value2member_map_ else kind
    if row["by_requester"]:
        author = gettext("You") if for_requester else gettext("Requester")
    elif for_requester:
        author = gettext("Service center")
    else:
        author = names.get(row["author"], "") if row["author"] else gettext("System")
    data = {} if for_requester else dict(row["data"] or {})
    return EventOut(
        id=row["id"],
        kind=kind,
        label=gettext(label),
        text=row["text"],
        author=author,
        by_requester=row["by_requester"],
        public=row["public"],
        at=row["at"],
        data=data,
    )


async def timeline(request_id: int, *, for_requester: bool) -> list[EventOut]:
    """The request's steps, oldest first (for the requester: those meant for them)."""
    query = RequestEvent.select().where(RequestEvent.request == request_id)
    if for_requester:
        query = query.where(RequestEvent.public.eq(True))
    rows = await query.order_by(RequestEvent.at).order_by(RequestEvent.id).output(load_json=True)
    names = await staff.names({r["author"] for r in rows if r["author"]})
    return [event_out(r, names, for_requester=for_requester) for r in rows]


async def photos(request_id: int, token: str = "") -> list[PhotoOut]:
    """The request's photos, oldest first."""
    rows = (
        await RequestPhoto.select()
        .where(RequestPhoto.request == request_id)
        .order_by(RequestPhoto.id)
    )
    return [
        PhotoOut(str(r["file"]), r["name"], photo_url(request_id, str(r["file"]), token))
        for r in rows
    ]


async def many_out(
    actor: Actor, rows: list[dict[str, Any]], *, full: bool = False
) -> list[RequestOut]:
    """Requests as staff see them; `full` adds photos and the timeline (one request)."""
    people = await staff.names({r[k] for r in rows for k in PEOPLE if r[k]})
    orgs = await partners.names({r[k] for r in rows for k in ORGS if r[k]})
    refs = await orders.order_refs(actor, [r["order"] for r in rows if r["order"]])
    found = []
    for r in rows:
        status = status_of(r["status"])
        channel = r["channel"]
        channel_label = Channel(channel).label if channel in Channel._value2member_map_ else channel
        ref = refs.get(r["order"]) if r["order"] else None
        found.append(
            RequestOut(
                id=r["id"],
                number=r["number"],
                status=status.value,
                status_label=gettext(status.label),
                status_color=status.color,
                channel=channel,
                channel_label=gettext(channel_label),
                name=r["name"],
                phone=r["phone"],
                email=r["email"],
                device=r["device"],
                device_type=r["device_type"],
                brand=r["brand"],
                model=r["model"],
                serial=r["serial"],
                problem=r["problem"],
                problem_class_id=r["problem_class"],
                address=r["address"],
                preferred_day=r["preferred_day"],
                preferred_from=_time(r["preferred_from"]),
                preferred_to=_time(r["preferred_to"]),
                custom=dict(r["custom"] or {}),
                source_org=_ref(orgs, r["source_org"]),
                manager=_ref(people, r["manager"]),
                expert=_ref(people, r["expert"]),
                technician=_ref(people, r["technician"]),
                service_center=_ref(orgs, r["service_center"]),
                queue=r["queue"],
                assignment=dict(r["assignment"] or {}),
                reason=r["reason"],
                order_id=ref.id if ref else None,
                order_number=ref.number if ref else None,
                created_at=r["created_at"],
                updated_at=r["updated_at"],
                version=r["version"],
                photos=await photos(r["id"]) if full else [],
                timeline=await timeline(r["id"], for_requester=False) if full else [],
            )
        )
    return found
