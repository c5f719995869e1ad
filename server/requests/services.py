"""Requests: filing (public, by phone, by a partner), reading, listing and the review steps.

Every step is written on the request's timeline in the transaction of the change; the ones
the requester should know of are `public`, and notifications go out through notify's events.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from server import cursor as cursor_codec
from server.actor import Actor
from server.audit import services as audit
from server.config import get_settings
from server.errors import Conflict, InvalidInput
from server.files import api as files
from server.notify import api as notify
from server.notify import events
from server.requests import access, antispam, assign, fields
from server.requests.choices import (
    ACCEPT_FROM,
    OPEN,
    REJECT_FROM,
    RETURN_FROM,
    TAKE_FROM,
    Channel,
    EventKind,
    RequestStatus,
)
from server.requests.numbering import next_number
from server.requests.schemas import RequestFields, RequestOut
from server.requests.serialize import many_out
from server.requests.tables import RequestEvent, RequestLink, RequestPhoto, ServiceRequest
from server.search import prefix_query, search_text
from server.staff.permissions import Action, Section
from server.tokens import new_token as random_token
from server.tokens import token_hash

MAX_PHOTOS = 5
PHOTO_BYTES = int(os.environ.get("SERVIO_REQUEST_PHOTO_BYTES", str(5 * 1024 * 1024)))
LIST_PURPOSE = "requests"


def now() -> dt.datetime:
    """The current moment in UTC."""
    return dt.datetime.now(dt.UTC)


def new_token() -> tuple[str, str]:
    """A private link's token (192 random bits) and the hash that is stored."""
    token = random_token(24)
    return token, token_hash(token)


def link_of(token: str) -> str:
    """The requester's private link."""
    return f"{get_settings().public_url}/r/{token}"


def _search(values: dict[str, Any], number: str) -> str:
    return search_text(
        number,
        values.get("name"),
        values.get("email"),
        values.get("device"),
        values.get("brand"),
        values.get("model"),
        values.get("serial"),
        values.get("address"),
        values.get("problem"),
        phones=[values["phone"]] if values.get("phone") else [],
    )


async def add_event(
    request_id: int,
    kind: EventKind,
    *,
    actor: Actor | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
    by_requester: bool = False,
    public: bool = True,
) -> None:
    """Put a step on the request's timeline (in the caller's transaction)."""
    await RequestEvent(
        request=request_id,
        kind=kind.value,
        text=text,
        data=data or {},
        author=actor.employee_id if actor is not None and actor.employee_id else None,
        by_requester=by_requester,
        public=public,
        at=now(),
    ).save()


async def _announce(row: dict[str, Any], event: str, token: str, **request: Any) -> None:
    """Emit a request's event for the rules: the requester's contact and private link ride
    in the context (no client exists yet)."""
    context = {
        "request": {"number": row["number"], "url": link_of(token), **request},
        "requester": {"name": row["name"], "email": row["email"], "phone": row["phone"]},
        "link": f"/requests/{row['id']}",
    }
    await notify.emit(
        event,
        key=f"{event}:{row['id']}:{row['version']}",
        # a partner's employee who filed it is told as the assignee (a phone call's operator is not)
        employee_id=row.get("created_by") if row.get("channel") == Channel.PARTNER.value else None,
        context=context,
    )


async def store_photos(
    request_id: int, photos: list[tuple[str, bytes]], *, created_by: int | None, requester: bool
) -> None:
    for name, content in photos:
        stored = await files.store_detached(
            name, content, created_by=created_by, max_bytes=PHOTO_BYTES, images_only=True
        )
        await RequestPhoto(
            request=request_id,
            file=stored.id,
            name=stored.name,
            by_requester=requester,
            at=now(),
        ).save()


def check_photo_count(existing: int, adding: int) -> None:
    """At most MAX_PHOTOS photos per request."""
    if existing + adding > MAX_PHOTOS:
        raise InvalidInput("At most {n} photos", field="photos", n=MAX_PHOTOS)


async def create(
    data: RequestFields,
    *,
    channel: Channel,
    actor: Actor | None = None,
    source_org: int | None = None,
    ip: str = "",
    photos: list[tuple[str, bytes]] | None = None,
) -> tuple[dict[str, Any], str]:
    """File a request; returns its row and the private link's token (shown once). One sent
    without login (`ip` given) is throttled per address."""
    key = await antispam.check_throttle(ip) if actor is None else ""
    values = await fields.clean(data)
    if values["problem_class"] is not None and not await assign.problem_class_exists(
        values["problem_class"]
    ):
        raise InvalidInput("Choose one of the offered values", field="problem_class_id")
    check_photo_count(0, len(photos or []))
    token, hashed = new_token()
    moment = now()
    async with ServiceRequest._meta.db.transaction():
        if actor is None:
            await antispam.record(key)
        number = await next_number()
        row: dict[str, Any] = {
            **values,
            "number": number,
            "status": RequestStatus.NEW.value,
            "channel": channel.value,
            "source_org": source_org,
            "search_text": _search(values, number),
            "ip": key,
            "created_by": actor.employee_id if actor is not None and actor.employee_id else None,
            "created_at": moment,
            "updated_at": moment,
        }
        chosen = await assign.assign(row)
        row.update(chosen)
        record = ServiceRequest(**row)
        await record.save()
        row["id"] = record.id
        row["version"] = 1
        await RequestLink(request=record.id, token_hash=hashed, created_at=moment).save()
        await add_event(
            record.id,
            EventKind.CREATED,
            actor=actor,
            by_requester=actor is None,
            data={"channel": channel.value},
        )
        if chosen:
            await add_event(
                record.id,
                EventKind.ASSIGNED,
                public=False,
                data={k: v for k, v in chosen.items() if k != "assignment"}
                | {"assignment": chosen.get("assignment", {})},
            )
        await store_photos(
            record.id, photos or [], created_by=row["created_by"], requester=actor is None
        )
        await audit.record(
            actor,
            "request",
            record.id,
            "create",
            {"number": [None, number]},
            scope=f"request:{record.id}",
        )
        await _announce(row, events.REQUEST_RECEIVED, token)
    return row, token


async def create_by_staff(
    actor: Actor, data: RequestFields, channel: str | None = None
) -> tuple[RequestOut, str]:
    """An operator files a call (channel phone); a partner's employee files for the partner
    (channel partner, the partner as its source)."""
    actor.require(Section.REQUESTS, Action.CREATE)
    if actor.organization_id is not None:
        chosen, org = Channel.PARTNER, actor.organization_id
    else:
        allowed = {Channel.PHONE.value, Channel.WEBSITE.value, Channel.PARTNER.value}
        if channel is not None and channel not in allowed:
            raise InvalidInput("Choose one of the offered values", field="channel")
        chosen, org = Channel(channel or Channel.PHONE.value), None
    row, token = await create(data, channel=chosen, actor=actor, source_org=org)
    return await get(actor, row["id"]), token


async def get(actor: Actor, request_id: int) -> RequestOut:
    """One request with its photos and timeline."""
    row = await access.request_row(actor, request_id)
    return (await many_out(actor, [row], full=True))[0]


async def list_requests(
    actor: Actor,
    *,
    status: str | None = None,
    channel: str | None = None,
    q: str = "",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[RequestOut], str | None]:
    """Requests in the actor's scope, newest first, keyset-paged (the cursor is signed)."""
    actor.require(Section.REQUESTS, Action.VIEW)
    R = ServiceRequest
    query = R.select(*R.all_columns(exclude=[R.search_text])).output(load_json=True)
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    if status:
        query = query.where(R.status == status)
    if channel:
        query = query.where(R.channel == channel)
    typed = prefix_query(q)
    if typed:
        query = query.where(
            WhereRaw("to_tsvector('simple', search_text) @@ to_tsquery('simple', {})", typed)
        )
    if cursor:
        at, last_id = cursor_codec.decode(LIST_PURPOSE, cursor, 2)
        try:
            moment = dt.datetime.fromisoformat(str(at))
        except ValueError:
            raise InvalidInput(
                "The page cursor is damaged; open the list again", field="cursor"
            ) from None
        query = query.where(WhereRaw("(created_at, id) < ({}, {})", moment, int(last_id)))
    rows = (
        await query.order_by(R.created_at, ascending=False)
        .order_by(R.id, ascending=False)
        .limit(limit + 1)
    )
    page = rows[:limit]
    following = None
    if len(rows) > limit:
        last = page[-1]
        following = cursor_codec.encode(LIST_PURPOSE, [last["created_at"].isoformat(), last["id"]])
    return await many_out(actor, page), following


async def count_new(actor: Actor) -> int:
    """How many new requests in the actor's scope wait to be taken."""
    if not actor.can(Section.REQUESTS, Action.VIEW):
        return 0
    query = ServiceRequest.select(Count()).where(ServiceRequest.status == RequestStatus.NEW.value)
    scope = access.scope_condition(actor)
    if scope is not None:
        query = query.where(scope)
    row = await query.first()
    return int(row["count"]) if row else 0


# ---- review steps ----------------------------------------------------------------------------


async def _move(
    actor: Actor,
    request_id: int,
    allowed: tuple[RequestStatus, ...],
    to: RequestStatus,
    kind: EventKind,
    *,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change the status of a request in scope (locked), with its step on the timeline."""
    actor.require(Section.REQUESTS, Action.EDIT)
    row = await access.request_row(actor, request_id, for_update=True)
    current = RequestStatus(row["status"])
    if current not in allowed:
        raise Conflict(
            "The request is «{status}»: this step is not possible now",
            field="status",
            status=current.label,
        )
    values: dict[str, Any] = {
        "status": to.value,
        "updated_at": now(),
        "version": row["version"] + 1,
        **(extra or {}),
    }
    if reason:
        values["reason"] = reason
    await ServiceRequest.update(values).where(ServiceRequest.id == request_id)  # type: ignore[arg-type]
    await add_event(request_id, kind, actor=actor, text=reason, data={"from": current.value})
    await audit.record(
        actor,
        "request",
        request_id,
        kind.value,
        {"status": [current.value, to.value]},
        scope=f"request:{request_id}",
    )
    return {**row, **values}


def _reason(text: str) -> str:
    cleaned = fields.text_block(text)
    if not cleaned:
        raise InvalidInput("Give the reason", field="reason")
    return cleaned


async def take(actor: Actor, request_id: int) -> RequestOut:
    """Take a new request into review (and become its manager when it has none)."""
    async with ServiceRequest._meta.db.transaction():
        row = await access.request_row(actor, request_id)
        extra: dict[str, Any] = {}
        if row["manager"] is None and actor.organization_id is None:
            extra = {
                "manager": actor.employee_id,
                "assignment": {
                    **(row["assignment"] or {}),
                    "manager": assign.by_person(actor.employee_id),
                },
            }
        await _move(
            actor, request_id, TAKE_FROM, RequestStatus.IN_REVIEW, EventKind.TAKEN, extra=extra
        )
    return await get(actor, request_id)


async def return_for_rework(actor: Actor, request_id: int, reason: str) -> RequestOut:
    """Send a request back to the requester with the reason; they get it and the link."""
    text = _reason(reason)
    async with ServiceRequest._meta.db.transaction():
        token, hashed = new_token()  # a fresh link goes out with the reason; older ones stay
        row = await _move(
            actor, request_id, RETURN_FROM, RequestStatus.RETURNED, EventKind.RETURNED, reason=text
        )
        await RequestLink(request=request_id, token_hash=hashed, created_at=now()).save()
        await _announce(row, events.REQUEST_RETURNED, token, reason=text)
    return await get(actor, request_id)


async def accept(actor: Actor, request_id: int) -> RequestOut:
    """Accept a request: it may become an order."""
    async with ServiceRequest._meta.db.transaction():
        await _move(actor, request_id, ACCEPT_FROM, RequestStatus.ACCEPTED, EventKind.ACCEPTED)
    return await get(actor, request_id)


async def reject(actor: Actor, request_id: int, reason: str) -> RequestOut:
    """Reject a request with the reason (the requester sees it through the link)."""
    text = _reason(reason)
    async with ServiceRequest._meta.db.transaction():
        await _move(
            actor, request_id, REJECT_FROM, RequestStatus.REJECTED, EventKind.REJECTED, reason=text
        )
    return await get(actor, request_id)


def is_open(status: str) -> bool:
    """Whether a request still waits for someone at the center."""
    return status in {s.value for s in OPEN}
