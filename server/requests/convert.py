"""Making an order of an accepted request in one step: the client matched by phone or email
(or the one the operator picked among the duplicates shown), or created; the device matched
by serial or created; the order with the request's channel, partner and responsibles."""

from __future__ import annotations

from typing import Any

from server.actor import Actor
from server.audit import services as audit
from server.clients import matching
from server.errors import Conflict, InvalidInput
from server.orders import api as orders
from server.requests import access
from server.requests.choices import CONVERT_FROM, EventKind, RequestStatus
from server.requests.schemas import Converted, ConvertIn, ConvertPreview, DuplicateClient
from server.requests.services import add_event, get, now
from server.requests.tables import ServiceRequest
from server.staff.permissions import Action, Section

ROLES = ("manager", "technician", "expert", "service_center")


async def preview(actor: Actor, request_id: int) -> ConvertPreview:
    """The clients that already have the request's phone or email (the operator may pick one)
    and the device its serial matches at the first of them."""
    row = await access.request_row(actor, request_id)
    found = await matching.duplicates(actor, row["phone"], row["email"])
    device = None
    if found and row["serial"]:
        device = await matching.match_device(actor, found[0]["id"], row["serial"])
    return ConvertPreview([DuplicateClient(c["id"], c["name"]) for c in found], device)


def _fault(row: dict[str, Any]) -> str:
    parts = [row["problem"]]
    if row["device"]:
        parts.append(f"Изделие (со слов заявителя): {row['device']}")
    if row["address"]:
        parts.append(f"Адрес: {row['address']}")
    parts.append(f"Заявка {row['number']}")
    return "\n".join(p for p in parts if p)


async def convert(actor: Actor, request_id: int, data: ConvertIn) -> Converted:
    """Make the order; the request links it and is «order made»."""
    actor.require(Section.REQUESTS, Action.EDIT)
    actor.require(Section.ORDERS, Action.CREATE)
    async with ServiceRequest._meta.db.transaction():
        row = await access.request_row(actor, request_id, for_update=True)
        status = RequestStatus(row["status"])
        if status not in CONVERT_FROM:
            raise Conflict("Accept the request before making an order of it", field="status")
        client_id, client_created = await _client(actor, row, data)
        device_id = await matching.match_device(actor, client_id, row["serial"])
        device_created = False
        if device_id is None and (row["brand"] or row["model"] or row["serial"] or row["device"]):
            device_id = await matching.create_device(
                actor,
                client_id,
                brand=row["brand"],
                model=row["model"] or (row["device"] if not row["brand"] else ""),
                serial=row["serial"],
                notes=" ".join(p for p in (row["device_type"], row["device"]) if p),
            )
            device_created = True
        responsibles = {k: row[k] for k in ROLES if row[k] is not None}
        order_id, number = await orders.create_from_request(
            actor,
            orders.FromRequest(
                client_id=client_id,
                device_id=device_id,
                declared_fault=_fault(row),
                channel=row["channel"],
                source_org_id=row["source_org"],
                order_type_id=data.order_type_id,
                visit_day=row["preferred_day"],
                visit_from=row["preferred_from"].strftime("%H:%M")
                if row["preferred_from"]
                else None,
                visit_to=row["preferred_to"].strftime("%H:%M") if row["preferred_to"] else None,
                responsibles=responsibles,
                assignment=dict(row["assignment"] or {}),
            ),
        )
        await ServiceRequest.update(
            {
                ServiceRequest.order: order_id,
                ServiceRequest.status: RequestStatus.CONVERTED.value,
                ServiceRequest.version: row["version"] + 1,
                ServiceRequest.updated_at: now(),
            }
        ).where(ServiceRequest.id == request_id)
        await add_event(
            request_id,
            EventKind.CONVERTED,
            actor=actor,
            data={
                "order_id": order_id,
                "order_number": number,
                "client_id": client_id,
                "client_created": client_created,
                "device_id": device_id,
                "device_created": device_created,
            },
        )
        await audit.record(
            actor,
            "request",
            request_id,
            "convert",
            {"order": [None, number]},
            scope=f"request:{request_id}",
        )
    return Converted(
        request=await get(actor, request_id),
        order_id=order_id,
        order_number=number,
        client_id=client_id,
        client_created=client_created,
        device_id=device_id,
        device_created=device_created,
    )


async def _client(actor: Actor, row: dict[str, Any], data: ConvertIn) -> tuple[int, bool]:
    """The client to use: the one picked, the best duplicate, or a new one."""
    if data.client_id is not None:
        await matching.require_client(actor, data.client_id)
        return data.client_id, False
    if not data.create_client:
        found = await matching.duplicates(actor, row["phone"], row["email"])
        if found:
            return int(found[0]["id"]), False
    if not row["name"]:
        raise InvalidInput("The request has no name to make a client of", field="name")
    return (
        await matching.create_client(
            actor, row["name"], row["phone"], row["email"], row["address"]
        ),
        True,
    )
