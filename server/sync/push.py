"""Push: apply the phone's mutations, each at most once, ever.

Per mutation, one transaction: first the mutation's id goes into `sync_mutation` (INSERT ... ON
CONFLICT DO NOTHING RETURNING: a concurrent request with the same id waits on the primary key
until this transaction ends, then finds the row), then the mutation is applied through the
same domain services as the online API (they join this transaction), then its answer is
stored. Either all of it commits or none of it. A retry of the id gets the stored answer back
as "duplicate" (with the record as it is now).

A mutation the rules refuse (a domain error: workflow, permission, validation, record out of
reach) is rolled back, then recorded as "rejected" with the reason in a transaction of its
own, so that its retries are refused the same way without being tried again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import msgspec

from server.actor import Actor
from server.dispatch import services as dispatch
from server.errors import DomainError, InvalidInput
from server.i18n import gettext
from server.orders import lines, timeline, workflow
from server.orders.schemas import EventCreate, LineCreate, PaymentCreate
from server.sync import records
from server.sync.conflicts import merge_order_fields
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
from server.sync.tables import SyncMutation
from server.timeclock import api as timeclock


class _Seen(Exception):
    """The mutation id is already recorded."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _change(mutation: Mutation, shape: type[Any]) -> Any:
    """The mutation's `change` in the shape of its kind, or a rejection naming the field."""
    try:
        return msgspec.convert(mutation.change, shape)
    except msgspec.ValidationError as error:
        message = str(error)
        path = message.rsplit(" - at `$", 1)[1].rstrip("`") if " - at `$" in message else ""
        raise InvalidInput(
            "The change is not valid: {problem}", field="change" + path, problem=message
        ) from None


async def _apply(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    """Apply one mutation through the domain services; its answer."""
    entity_id = mutation.entity_id
    match mutation.kind:
        case MutationKind.VISIT_STATUS:
            visit = _change(mutation, VisitStatusChange)
            await dispatch.change_visit_status(
                actor,
                entity_id,
                visit.status,
                at=mutation.at or _now(),
                reason=visit.reason,
                latitude=visit.latitude,
                longitude=visit.longitude,
            )
        case MutationKind.ORDER_STATUS:
            status = _change(mutation, OrderStatusChange)
            await workflow.change_status(actor, entity_id, status.status, status.comment)
        case MutationKind.ORDER_FIELDS:
            change = _change(mutation, OrderFieldsChange)
            return await merge_order_fields(actor, mutation.id, entity_id, change, mutation.base)
        case MutationKind.ORDER_LINE:
            await lines.add_line(actor, entity_id, _change(mutation, LineCreate))
        case MutationKind.ORDER_COMMENT:
            comment = _change(mutation, CommentChange)
            await timeline.add_event(actor, entity_id, EventCreate(text=comment.text))
        case MutationKind.TIMECLOCK_CHECK:
            if entity_id != actor.employee_id:
                raise InvalidInput("One checks in only oneself", field="entity_id")
            await timeclock.check(
                actor, _change(mutation, timeclock.CheckIn), source="field", at=mutation.at
            )
        case MutationKind.ORDER_PAYMENT:
            payment = _change(mutation, PaymentChange)
            await lines.add_payment(
                actor,
                entity_id,
                PaymentCreate(
                    amount=payment.amount, method=payment.method, comment=payment.comment
                ),
                field=True,
            )
    return {"result": "applied"}


async def _claim(actor: Actor, mutation: Mutation, result: str, answer: dict[str, Any]) -> bool:
    """Record the mutation id; False when it was already recorded (by anyone)."""
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


async def _stored(actor: Actor, mutation_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """{id: its first answer, as a duplicate} of those ids already recorded (one query);
    an id recorded for another employee is refused without anything of its answer."""
    if not mutation_ids:
        return {}
    rows = await (
        SyncMutation.select(SyncMutation.id, SyncMutation.employee, SyncMutation.answer)
        .where(SyncMutation.id.is_in(mutation_ids))
        .output(load_json=True)
    )
    found = {}
    for row in rows:
        answer: dict[str, Any] = row["answer"]
        if row["employee"] != actor.employee_id:
            answer = {
                "result": "rejected",
                "reason": gettext("This change id was already used; make the change again"),
                "field": "id",
            }
        else:
            answer = {**answer, "result": "duplicate", "first_result": answer.get("result")}
        found[row["id"]] = answer
    return found


async def _stored_one(actor: Actor, mutation_id: uuid.UUID) -> dict[str, Any]:
    return (await _stored(actor, [mutation_id]))[mutation_id]


async def apply_mutation(actor: Actor, mutation: Mutation) -> dict[str, Any]:
    """Apply one mutation exactly once and say what happened (PROTOCOL.md: Push)."""
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
        answer = await _stored_one(actor, mutation.id)
    except (DomainError, asyncpg.DataError) as error:
        if isinstance(error, DomainError):
            answer = {"result": "rejected", "reason": error.text(), "field": error.field}
        else:  # a value PostgreSQL cannot store, a NUL character say
            answer = {
                "result": "rejected",
                "reason": gettext(
                    "The input holds a value that cannot be stored (for example a NUL character)"
                ),
                "field": "change",
            }
        async with db.transaction():
            if not await _claim(actor, mutation, "rejected", answer):
                answer = await _stored_one(actor, mutation.id)  # a concurrent retry came first
    return {"id": str(mutation.id), **answer}


def _record_of(mutation: Mutation) -> tuple[str, int]:
    return ("visit" if mutation.kind == MutationKind.VISIT_STATUS else "order", mutation.entity_id)


async def push(actor: Actor, batch: PushBatch) -> dict[str, Any]:
    """Apply a batch in order; one answer per mutation.

    The last answer of each record (visit or order) in the batch carries the record as it is
    after the whole batch (a visit's answer also carries its order), read in a fixed number
    of queries; a record out of the caller's reach is not carried.
    """
    known = await _stored(actor, sorted({m.id for m in batch.mutations}))  # retries: no work
    results = [
        {"id": str(m.id), **known[m.id]} if m.id in known else await apply_mutation(actor, m)
        for m in batch.mutations
    ]
    last = {_record_of(m): i for i, m in enumerate(batch.mutations)}
    visits = await records.visits_by_id(
        actor, {entity_id for kind, entity_id in last if kind == "visit"}
    )
    order_ids = {entity_id for kind, entity_id in last if kind == "order"}
    orders = {
        o["id"]: o
        for o in await records.field_orders(
            actor, order_ids | {v["order_id"] for v in visits.values()}
        )
    }
    for (kind, entity_id), index in last.items():
        if kind == "visit" and entity_id in visits:
            visit = visits[entity_id]
            results[index]["visit"] = visit
            if visit["order_id"] in orders:
                results[index]["order"] = orders[visit["order_id"]]
        elif kind == "order" and entity_id in orders:
            results[index]["order"] = orders[entity_id]
    return {"results": results}
