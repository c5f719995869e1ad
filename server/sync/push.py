"""Push: apply the phone's mutations, each at most once, ever.

A mutation's id is inserted into `sync_mutation` in the same transaction that applies it. A
retry of the same id finds the row (a concurrent retry waits on the primary key until the first
transaction ends) and gets the stored answer back as "duplicate". A mutation the rules refuse
is rolled back and recorded as "rejected" in a transaction of its own, so its retries are
refused the same way without being tried again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from server.actor import Actor
from server.dispatch import services as dispatch
from server.errors import DomainError, InvalidInput
from server.i18n import gettext
from server.orders import lines, timeline, workflow
from server.orders.schemas import EventCreate, LineCreate, OrderPatch, PaymentCreate
from server.orders.services import OrderService
from server.sync.pull import field_order
from server.sync.schemas import (
    CommentChange,
    Mutation,
    MutationKind,
    OrderFieldsChange,
    OrderStatusChange,
    PaymentChange,
    PushBatch,
    VisitStatusChange,
)
from server.sync.tables import SyncConflict, SyncMutation

EDITABLE_FIELDS = ("declared_fault", "appearance", "accessories")


class _Seen(Exception):
    """The mutation id is already recorded."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _change(mutation: Mutation, shape: type[Any]) -> Any:
    try:
        return msgspec.convert(mutation.change, shape)
    except msgspec.ValidationError as error:
        raise InvalidInput("The change is not valid: {problem}", problem=str(error)) from None


async def _order_fields(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    """Merge the fields nobody else changed; report the others as conflicts."""
    change = msgspec.structs.asdict(_change(mutation, OrderFieldsChange))
    mine = {k: v.strip() for k, v in change.items() if v is not None}
    if not mine:
        raise InvalidInput("The change is empty")
    service = OrderService(actor)
    row = await service.row(mutation.entity_id, for_update=True)
    merged: dict[str, str] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for name, value in mine.items():
        server = row[name]
        if name not in mutation.base:
            raise InvalidInput("The value the change was based on is missing", field=name)
        if server in (mutation.base[name], value):
            if server != value:
                merged[name] = value
        else:
            conflicts[name] = {"base": mutation.base[name], "mine": value, "server": server}
    if merged:
        await service.update_order(mutation.entity_id, msgspec.convert(merged, OrderPatch))
    if not conflicts:
        return {"result": "applied"}
    await _record_conflict(actor, mutation, conflicts)
    names = ", ".join(gettext("field:" + name) for name in conflicts)
    return {
        "result": "conflict",
        "reason": gettext("Changed on the server while you were offline: {fields}", fields=names),
        "conflicts": conflicts,
    }


async def _record_conflict(
    actor: Actor, mutation: Mutation, conflicts: dict[str, dict[str, Any]]
) -> None:
    from server.orders.tables import TimelineEvent

    now = _now()
    await SyncConflict(
        mutation=mutation.id,
        order=mutation.entity_id,
        employee=actor.employee_id,
        fields=conflicts,
        created_at=now,
    ).save()
    await TimelineEvent(
        order=mutation.entity_id,
        kind="sync_conflict",
        text="",
        data={name: [c["mine"], c["server"]] for name, c in conflicts.items()},
        author=actor.employee_id or None,
        at=now,
    ).save()


async def _apply(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    order_id = mutation.entity_id
    match mutation.kind:
        case MutationKind.VISIT_STATUS:
            visit = _change(mutation, VisitStatusChange)
            await dispatch.change_visit_status(
                actor,
                mutation.entity_id,
                visit.status,
                at=mutation.at or _now(),
                reason=visit.reason,
                latitude=visit.latitude,
                longitude=visit.longitude,
            )
            return {"result": "applied"}
        case MutationKind.ORDER_STATUS:
            status = _change(mutation, OrderStatusChange)
            await workflow.change_status(actor, order_id, status.status, status.comment)
        case MutationKind.ORDER_FIELDS:
            return await _order_fields(actor, mutation)
        case MutationKind.ORDER_LINE:
            await lines.add_line(actor, order_id, _change(mutation, LineCreate))
        case MutationKind.ORDER_COMMENT:
            comment = _change(mutation, CommentChange)
            await timeline.add_event(actor, order_id, EventCreate(text=comment.text))
        case MutationKind.ORDER_PAYMENT:
            payment = _change(mutation, PaymentChange)
            await lines.add_payment(
                actor,
                order_id,
                PaymentCreate(
                    amount=payment.amount, method=payment.method, comment=payment.comment
                ),
            )
    return {"result": "applied"}


async def _claim(actor: Actor, mutation: Mutation, result: str, answer: dict[str, Any]) -> bool:
    """Record the mutation id; False when it was already recorded."""
    rows = await SyncMutation.raw(
        "INSERT INTO sync_mutation (id, employee, kind, entity_id, result, answer, received_at)"
        " VALUES ({}, {}, {}, {}, {}, {}::jsonb, {}) ON CONFLICT (id) DO NOTHING RETURNING id",
        mutation.id,
        actor.employee_id,
        mutation.kind.value,
        mutation.entity_id,
        result,
        msgspec.json.encode(answer).decode(),
        _now(),
    )
    return bool(rows)


async def _stored(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    row = await (
        SyncMutation.select(SyncMutation.employee, SyncMutation.answer)
        .where(SyncMutation.id == mutation.id)
        .output(load_json=True)
        .first()
    )
    if row is None or row["employee"] != actor.employee_id:
        return {
            "result": "rejected",
            "reason": gettext("This change id was already used; make the change again"),
        }
    answer: dict[str, Any] = row["answer"]
    return {**answer, "result": "duplicate", "first_result": answer.get("result")}


async def _current(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    """The record as it is now, for the phone to refresh (None when out of reach)."""
    try:
        if mutation.kind == MutationKind.VISIT_STATUS:
            visit = await dispatch.get_visit(actor, mutation.entity_id)
            return {"visit": visit, "order": await field_order(actor, visit["order_id"])}
        return {"order": await field_order(actor, mutation.entity_id)}
    except DomainError:
        return {}


async def apply_mutation(
    actor: Actor, mutation: Mutation, *, refresh: bool = True
) -> dict[str, Any]:
    """Apply one mutation exactly once and say what happened (PROTOCOL.md: Push).

    With `refresh`, the answer carries the record as it is now.
    """
    db = SyncMutation._meta.db
    try:
        async with db.transaction():
            if not await _claim(actor, mutation, "applied", {}):
                raise _Seen
            answer = await _apply(actor, mutation)
            await SyncMutation.update(
                {SyncMutation.result: answer["result"], SyncMutation.answer: answer}
            ).where(SyncMutation.id == mutation.id)
    except _Seen:
        answer = await _stored(actor, mutation)
    except DomainError as error:
        answer = {"result": "rejected", "reason": error.text(), "field": error.field}
        async with db.transaction():
            if not await _claim(actor, mutation, "rejected", answer):
                answer = await _stored(actor, mutation)
    current = await _current(actor, mutation) if refresh else {}
    return {"id": str(mutation.id), **answer, **current}


def _record_of(mutation: Mutation) -> tuple[str, int]:
    return ("visit" if mutation.kind == MutationKind.VISIT_STATUS else "order", mutation.entity_id)


async def push(actor: Actor, batch: PushBatch) -> dict[str, Any]:
    """Apply a batch in order; one answer per mutation, the last one of each record carrying
    the record as it is after the whole batch."""
    last = {_record_of(m): i for i, m in enumerate(batch.mutations)}
    return {
        "results": [
            await apply_mutation(actor, m, refresh=last[_record_of(m)] == i)
            for i, m in enumerate(batch.mutations)
        ]
    }
