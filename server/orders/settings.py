"""Settings of the orders domain: statuses, order types, transitions, price list, custom fields."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from server.actor import Actor
from server.audit import services as audit
from server.clients import api as clients
from server.errors import Conflict, InvalidInput, NotFound
from server.money import checked
from server.orders.choices import FieldKind, LineKind, StatusGroup, TransitionRule
from server.orders.tables import (
    CustomField,
    Order,
    OrderLine,
    OrderStatus,
    OrderType,
    PriceItem,
    StatusTransition,
)
from server.requests import api as requests
from server.staff import api as staff
from server.staff.permissions import Action, Section

CODE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

# entity -> (table, allowed fields and their cleaners)
MODELS: dict[str, Any] = {
    "order_status": OrderStatus,
    "order_type": OrderType,
    "price_item": PriceItem,
    "custom_field": CustomField,
}


def _code(value: Any) -> str:
    code = str(value).strip().lower()
    if not CODE.match(code):
        raise InvalidInput(
            "A code is 2 to 50 lower-case latin letters, digits or underscores", field="code"
        )
    return code


def _text(value: Any, field: str, limit: int = 100) -> str:
    text = str(value).strip()
    if not text:
        raise InvalidInput("This field is required", field=field)
    if len(text) > limit or "\x00" in text:
        raise InvalidInput("Too long", field=field)
    return text


def _choice(value: Any, field: str, allowed: set[str]) -> str:
    if str(value) not in allowed:
        raise InvalidInput("Unknown value", field=field)
    return str(value)


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            "Enter a whole number from {low} to {high}", field=field, low=low, high=high
        )
    return value


def clean(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """Checked values of a settings record; each error names its field."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "code":
            out[key] = _code(value)
        elif key in ("name", "label"):
            out[key] = _text(value, key, 300 if entity == "price_item" else 100)
        elif key == "color":
            if not COLOR.match(str(value)):
                raise InvalidInput("A colour like #43a047", field=key)
            out[key] = str(value).lower()
        elif key == "group":
            out[key] = _choice(value, key, {g.value for g in StatusGroup})
        elif key == "rules":
            out[key] = [
                _choice(v, key, {r.value for r in TransitionRule}) for v in _list(value, key)
            ]
        elif key == "kind" and entity == "price_item":
            out[key] = _choice(value, key, {k.value for k in LineKind})
        elif key == "kind":
            out[key] = _choice(value, key, {k.value for k in FieldKind})
        elif key in ("price", "purchase_price"):
            out[key] = checked(_decimal(value, key), key)
        elif key in ("warranty_days", "default_deadline_days"):
            out[key] = _int(value, key, 0, 3650)
        elif key in ("sort",):
            out[key] = _int(value, key, -1000, 1000)
        elif key in ("is_active", "is_field", "required", "auto_assign"):
            if not isinstance(value, bool):
                raise InvalidInput("Expected true or false", field=key)
            out[key] = value
        elif key == "choices":
            out[key] = [_text(v, key) for v in _list(value, key)][:100]
        elif key == "entity":
            out[key] = _choice(value, key, {"order", "client", "request"})
        elif key in ("order_type", "initial_status"):
            out[key] = None if value is None else _int(value, key, 1, 2**31 - 1)
        elif key in ("unit",):
            out[key] = _text(value, key, 20)
        elif key == "code_text":
            out["code"] = str(value).strip()[:50]
        else:
            raise InvalidInput("Unknown field", field=key)
    if out.get("kind") == FieldKind.CHOICE.value and "choices" in out and not out["choices"]:
        raise InvalidInput("List the values to choose from", field="choices")
    return out


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput("Expected a list", field=field)
    return value


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise InvalidInput("Enter a number", field=field) from None


class SettingsService:
    """Editing the orders domain's settings on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def records(self, entity: str) -> list[dict[str, Any]]:
        """Every record of a settings table."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        table = MODELS[entity]
        rows: list[dict[str, Any]] = await table.select().order_by(table.id)
        return rows

    async def create(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        """A new record; codes are unique."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        table = MODELS[entity]
        data = clean(entity, values)
        if entity == "price_item":
            data.setdefault("code", "")
        await self._check_refs(data)
        if "code" in data and entity != "price_item":
            taken = table.exists().where(table.code == data["code"])
            if entity == "custom_field":
                taken = taken.where(table.entity == data.get("entity", "order"))
            if await taken:
                raise Conflict("This code is already taken", field="code")
        for required in _required(entity):
            if required not in data:
                raise InvalidInput("This field is required", field=required)
        async with table._meta.db.transaction():
            record = table(**data)
            await record.save()
            await audit.record(self.actor, entity, record.id, "create", audit.diff({}, data))
        return await self.get(entity, int(record.id))

    async def get(self, entity: str, record_id: int) -> dict[str, Any]:
        """One record."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        table = MODELS[entity]
        row: dict[str, Any] | None = await table.select().where(table.id == record_id).first()
        if row is None:
            raise NotFound("No such record")
        return row

    async def update(self, entity: str, record_id: int, values: dict[str, Any]) -> dict[str, Any]:
        """Change a record (codes stay: they are what the data refers to)."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        table = MODELS[entity]
        before = await self.get(entity, record_id)
        if "code" in values and values["code"] != before.get("code") and entity != "price_item":
            raise InvalidInput("A code cannot change; create a new record instead", field="code")
        data = clean(
            entity, {k: v for k, v in values.items() if k != "code" or entity == "price_item"}
        )
        await self._check_refs(data)
        if (
            entity == "custom_field"
            and data.get("kind", before["kind"]) != before["kind"]
            and await in_use(entity, before)
        ):
            raise InvalidInput(
                "The kind of a field that holds values cannot change; add a new field",
                field="kind",
            )
        async with table._meta.db.transaction():
            if data:
                await table.update(data).where(table.id == record_id)
            delta = audit.diff({k: before[k] for k in data}, data)
            if delta:
                await audit.record(self.actor, entity, record_id, "update", delta)
        return await self.get(entity, record_id)

    async def delete(self, entity: str, record_id: int) -> bool:
        """Delete a price item or custom field; one that orders (or clients, requests) already
        use is archived instead, so their lines and values stay. True when deleted."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        if entity not in DELETABLE:
            raise InvalidInput("This record cannot be deleted", field="")
        table = MODELS[entity]
        before = await self.get(entity, record_id)
        name = before["label" if entity == "custom_field" else "name"]
        async with table._meta.db.transaction():
            if await in_use(entity, before):
                if before["is_active"]:
                    await table.update({table.is_active: False}).where(table.id == record_id)
                    change = {"is_active": [True, False]}
                    await audit.record(self.actor, entity, record_id, "deactivate", change)
                return False
            await table.delete().where(table.id == record_id)
            await audit.record(self.actor, entity, record_id, "delete", {"name": [name, None]})
        return True

    async def _check_refs(self, data: dict[str, Any]) -> None:
        if data.get("order_type") and not await OrderType.exists().where(
            OrderType.id == data["order_type"]
        ):
            raise InvalidInput(
                "No order type with id {id}", field="order_type", id=data["order_type"]
            )
        if data.get("initial_status") and not await OrderStatus.exists().where(
            OrderStatus.id == data["initial_status"]
        ):
            raise InvalidInput(
                "Unknown status «{name}»", field="initial_status", name=str(data["initial_status"])
            )

    async def transitions(self, order_type_id: int) -> list[dict[str, Any]]:
        """Allowed moves of an order type."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        rows: list[dict[str, Any]] = (
            await StatusTransition.select()
            .where(StatusTransition.order_type == order_type_id)
            .order_by(StatusTransition.id)
        )
        return rows

    async def set_transition(
        self, order_type_id: int, from_id: int, to_id: int, allowed: bool, role_codes: list[str]
    ) -> None:
        """Allow (for some roles, or all when empty) or forbid a move of an order type."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        if not await OrderType.exists().where(OrderType.id == order_type_id):
            raise InvalidInput("No order type with id {id}", field="order_type", id=order_type_id)
        statuses = {r["id"] for r in await OrderStatus.select(OrderStatus.id)}
        if from_id not in statuses or to_id not in statuses or from_id == to_id:
            raise InvalidInput(
                "Unknown status «{name}»", field="to_status", name=f"{from_id}→{to_id}"
            )
        known_roles = await staff.known_role_codes()
        unknown = set(role_codes) - known_roles
        if unknown:
            raise InvalidInput("Unknown value", field="role_codes")
        where = (
            (StatusTransition.order_type == order_type_id)
            & (StatusTransition.from_status == from_id)
            & (StatusTransition.to_status == to_id)
        )
        async with StatusTransition._meta.db.transaction():
            await StatusTransition.delete().where(where)
            if allowed:
                await StatusTransition(
                    order_type=order_type_id,
                    from_status=from_id,
                    to_status=to_id,
                    role_codes=sorted(set(role_codes)),
                ).save()
            change = {
                "transition": [None, f"{from_id}→{to_id} {sorted(role_codes)}" if allowed else "—"]
            }
            await audit.record(self.actor, "order_type", order_type_id, "update", change)


DELETABLE = frozenset({"price_item", "custom_field"})


async def in_use(entity: str, row: dict[str, Any]) -> bool:
    """True when orders' lines name the price item, or some record holds a value of the
    custom field."""
    if entity == "price_item":
        return bool(await OrderLine.exists().where(OrderLine.price_item == row["id"]))
    if entity != "custom_field":
        return True
    code = row["code"]
    if row["entity"] == "client":
        return await clients.custom_value_exists(code)
    if row["entity"] == "request":
        return await requests.custom_value_exists(code)
    found = Order.exists().where(WhereRaw("jsonb_exists(service_order.custom, {})", code))
    return bool(await found)


def _required(entity: str) -> tuple[str, ...]:
    return {
        "order_status": ("code", "name", "group"),
        "order_type": ("code", "name"),
        "price_item": ("kind", "name", "price"),
        "custom_field": ("entity", "code", "label", "kind"),
    }[entity]


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    """A settings row ready for JSON (Decimals as strings)."""
    return msgspec.to_builtins(row, builtin_types=())
