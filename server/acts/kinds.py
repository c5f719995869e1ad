"""The directory of act kinds and the kinds each order type's visits must end with."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec

from server import clock, refcache
from server.actor import Actor
from server.acts.choices import DEFAULT_KINDS
from server.acts.schemas import ActKindIn, ActKindOut, ActKindPatch, RequiredActs
from server.acts.tables import ActKind, OrderTypeAct
from server.audit import services as audit
from server.errors import Conflict, InvalidInput, NotFound
from server.i18n import gettext
from server.orders import api as orders
from server.staff.permissions import Action, Section

CODE = re.compile(r"^[a-z][a-z0-9_-]{1,49}$")


async def ensure_default_kinds() -> None:
    """The shipped kinds, on the first read of an install that has none (then editable)."""
    if await ActKind.exists().where(ActKind.id.is_not_null()):
        return
    for sort, (code, name) in enumerate(DEFAULT_KINDS):
        await ActKind.raw(
            "INSERT INTO act_kind (code, name, is_active, sort) VALUES ({}, {}, true, {})"
            " ON CONFLICT (code) DO NOTHING",
            code,
            name,
            sort,
        )


def kind_out(row: dict[str, object]) -> ActKindOut:
    """A kind as shown: a shipped name in the reader's language."""
    return ActKindOut(
        id=int(row["id"]),  # type: ignore[call-overload]
        code=str(row["code"]),
        name=gettext(str(row["name"])),
        is_active=bool(row["is_active"]),
    )


async def all_kinds() -> list[ActKindOut]:
    """Every kind, active first, in their order (no permission: their names are no secret).

    The shipped kinds are added when none is found (one query on every later read)."""
    rows = await _ordered_kinds()
    if not rows:
        await ensure_default_kinds()
        rows = await _ordered_kinds()
    return [kind_out(r) for r in rows]


@refcache.reads("act_kind")
async def _ordered_kinds() -> tuple[dict[str, Any], ...]:
    return tuple(
        await ActKind.select()
        .order_by(ActKind.is_active, ascending=False)
        .order_by(ActKind.sort)
        .order_by(ActKind.id)
    )


async def active_kind(kind_id: int) -> ActKindOut | None:
    """The kind if it exists and is active."""
    row = await ActKind.select().where(ActKind.id == kind_id, ActKind.is_active.eq(True)).first()
    return kind_out(row) if row else None


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name or "\x00" in name:
        raise InvalidInput("This field is required", field="name")
    return name


async def create_kind(actor: Actor, data: ActKindIn) -> ActKindOut:
    """Add a kind of act; the code is unique."""
    actor.require(Section.SETTINGS, Action.EDIT)
    code = data.code.strip().lower()
    if not CODE.match(code):
        raise InvalidInput(
            "A code is 2 to 50 lower-case latin letters, digits, _ or -", field="code"
        )
    name = _name(data.name)
    await ensure_default_kinds()
    async with ActKind._meta.db.transaction():
        if await ActKind.exists().where(ActKind.code == code):
            raise Conflict("An act kind with this code exists", field="code")
        last = await ActKind.select(ActKind.sort).order_by(ActKind.sort, ascending=False).first()
        row = ActKind(code=code, name=name, sort=(last["sort"] + 1) if last else 0)
        await row.save()
        await audit.record(actor, "act_kind", row.id, "create", {"name": [None, name]})
    return ActKindOut(row.id, code, name, True)


async def update_kind(actor: Actor, kind_id: int, data: ActKindPatch) -> ActKindOut:
    """Rename a kind or switch it on or off."""
    actor.require(Section.SETTINGS, Action.EDIT)
    row = await ActKind.select().where(ActKind.id == kind_id).first()
    if row is None:
        raise NotFound("No such act kind")
    values: dict[object, object] = {}
    changes: dict[str, list[object]] = {}
    if data.name is not msgspec.UNSET:
        name = _name(data.name)
        values[ActKind.name] = name
        changes["name"] = [row["name"], name]
    if data.is_active is not msgspec.UNSET:
        values[ActKind.is_active] = data.is_active
        changes["is_active"] = [row["is_active"], data.is_active]
    if values:
        async with ActKind._meta.db.transaction():
            await ActKind.update(values).where(ActKind.id == kind_id)  # type: ignore[arg-type]
            await audit.record(actor, "act_kind", kind_id, "update", changes)
        row = await ActKind.select().where(ActKind.id == kind_id).first()
    return kind_out(row)  # type: ignore[arg-type]


async def _order_type(order_type_id: int) -> None:
    if order_type_id not in {t["id"] for t in await orders.order_types()}:
        raise NotFound("No such order type")


async def required_of(actor: Actor, order_type_id: int) -> RequiredActs:
    """The act kinds the order type's visits must end with."""
    actor.require(Section.SETTINGS, Action.VIEW)
    await _order_type(order_type_id)
    rows = (
        await OrderTypeAct.select(OrderTypeAct.act_kind)
        .where(OrderTypeAct.order_type == order_type_id)
        .order_by(OrderTypeAct.act_kind)
    )
    return RequiredActs(order_type_id, [r["act_kind"] for r in rows])


async def required_all(actor: Actor) -> dict[int, list[int]]:
    """{order type id: the act kind ids its visits must end with} of every type."""
    actor.require(Section.SETTINGS, Action.VIEW)
    found: dict[int, list[int]] = {}
    rows = await OrderTypeAct.select(OrderTypeAct.order_type, OrderTypeAct.act_kind).order_by(
        OrderTypeAct.act_kind
    )
    for r in rows:
        found.setdefault(r["order_type"], []).append(r["act_kind"])
    return found


async def set_required(actor: Actor, order_type_id: int, kind_ids: list[int]) -> RequiredActs:
    """Set the kinds (active ones) the type's visits must end with; a kind kept keeps the day
    it was first asked from, a new one is asked of visits from today on."""
    actor.require(Section.SETTINGS, Action.EDIT)
    await _order_type(order_type_id)
    wanted = sorted(set(kind_ids))
    active = {k.id for k in await all_kinds() if k.is_active}
    unknown = [k for k in wanted if k not in active]
    if unknown:
        raise InvalidInput("Choose act kinds from the list", field="act_kind_ids")
    async with OrderTypeAct._meta.db.transaction():
        rows = await OrderTypeAct.select(OrderTypeAct.act_kind).where(
            OrderTypeAct.order_type == order_type_id
        )
        before = sorted(r["act_kind"] for r in rows)
        gone = [k for k in before if k not in wanted]
        if gone:
            await OrderTypeAct.delete().where(
                OrderTypeAct.order_type == order_type_id, OrderTypeAct.act_kind.is_in(gone)
            )
        now = dt.datetime.now(dt.UTC)
        for kind_id in wanted:
            if kind_id not in before:
                await OrderTypeAct(
                    order_type=order_type_id, act_kind=kind_id, created_at=now
                ).save()
        if before != wanted:
            await audit.record(
                actor, "order_type", order_type_id, "acts", {"act_kinds": [before, wanted]}
            )
    return RequiredActs(order_type_id, wanted)


class Requirement(msgspec.Struct, frozen=True):
    """An act kind an order type asks for, of visits from `since` on."""

    act_kind_id: int
    name: str
    since: dt.date


async def requirements() -> dict[int, list[Requirement]]:
    """{order type id: the active kinds its visits must end with}, for the sweep and cards."""
    found: dict[int, list[Requirement]] = {}
    for r in await _requirement_rows():
        since = r["created_at"].astimezone(clock.zone()).date()
        found.setdefault(r["order_type"], []).append(
            Requirement(r["act_kind"], gettext(r["name"]), since)
        )
    return found


@refcache.reads("order_type_act", "act_kind")
async def _requirement_rows() -> tuple[dict[str, Any], ...]:
    return tuple(
        await OrderTypeAct.select(
            OrderTypeAct.order_type,
            OrderTypeAct.act_kind,
            OrderTypeAct.act_kind._.name.as_alias("name"),
            OrderTypeAct.created_at,
        )
        .where(OrderTypeAct.act_kind._.is_active.eq(True))
        .order_by(OrderTypeAct.act_kind._.sort)
        .order_by(OrderTypeAct.act_kind)
    )
