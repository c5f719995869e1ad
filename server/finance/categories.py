"""Expense categories: the built-in ones (delivery, parts, rent, salaries, partners, other),
made on first use, and the center's own; renamed or switched off, never deleted once used."""

from __future__ import annotations

from typing import Any

from server import refcache
from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.finance.schemas import CategoryIn, CategoryOut, CategoryPatch
from server.finance.tables import ExpenseCategory
from server.staff.permissions import Action, Section

BUILT_IN = (
    ("delivery", "Доставка"),
    ("parts", "Запчасти"),
    ("rent", "Аренда"),
    ("salaries", "Зарплата"),
    ("partners", "Партнёрские СЦ"),
    ("other", "Прочее"),
)
DELIVERY, PARTS = "delivery", "parts"  # what shipments and the parts orders used cost
PARTNERS = "partners"  # what was paid to partners (their settlements)


async def ensure_built_in() -> None:
    """The built-in categories, made if missing (a renamed one keeps its name; a center's own
    category of the same name becomes the built-in one)."""
    for sort, (code, name) in enumerate(BUILT_IN):
        await ExpenseCategory.raw(
            "INSERT INTO finance_expense_category (code, name, is_active, sort)"
            " SELECT {}, {}, true, {} WHERE NOT EXISTS"
            " (SELECT 1 FROM finance_expense_category WHERE code = {})"
            " ON CONFLICT (name) DO UPDATE SET code = EXCLUDED.code, sort = EXCLUDED.sort"
            " WHERE finance_expense_category.code IS NULL",
            code,
            name,
            sort,
            code,
        )


async def all_categories() -> list[dict[str, Any]]:
    """Every category, built-in ones first, in their order."""
    rows = await _rows()
    if len({r["code"] for r in rows if r["code"]}) < len(BUILT_IN):
        await ensure_built_in()
        rows = await _rows()
    return rows


async def _rows() -> list[dict[str, Any]]:
    return list(await _stored())


@refcache.reads("finance_expense_category")
async def _stored() -> tuple[dict[str, Any], ...]:
    query = ExpenseCategory.select().order_by(ExpenseCategory.sort).order_by(ExpenseCategory.id)
    return tuple(await query)


def out(row: dict[str, Any]) -> CategoryOut:
    """A stored category as answered."""
    return CategoryOut(row["id"], row["code"], row["name"], row["is_active"])


async def list_categories(actor: Actor) -> list[CategoryOut]:
    """The categories, for whoever sees finance."""
    actor.require(Section.FINANCE, Action.VIEW)
    return [out(r) for r in await all_categories()]


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("Enter the name", field="name")
    return name


async def create_category(actor: Actor, data: CategoryIn) -> CategoryOut:
    """Add a category of the center's own."""
    actor.require(Section.FINANCE, Action.EDIT)
    name = _name(data.name)
    await all_categories()
    if await ExpenseCategory.exists().where(ExpenseCategory.name == name):
        raise InvalidInput("A category with this name exists", field="name")
    rows = await ExpenseCategory.insert(ExpenseCategory(name=name, sort=100)).returning(
        ExpenseCategory.id
    )
    await audit.record(actor, "expense_category", rows[0]["id"], "create", {"name": [None, name]})
    return out((await ExpenseCategory.select().where(ExpenseCategory.id == rows[0]["id"]))[0])


async def update_category(actor: Actor, category_id: int, data: CategoryPatch) -> CategoryOut:
    """Rename a category, or switch it off (its expenses stay) or on."""
    actor.require(Section.FINANCE, Action.EDIT)
    row = await ExpenseCategory.select().where(ExpenseCategory.id == category_id).first()
    if row is None:
        raise NotFound("No such category")
    changes: dict[Any, Any] = {}
    diff: dict[str, list[Any]] = {}
    if data.name is not None and _name(data.name) != row["name"]:
        name = _name(data.name)
        if await ExpenseCategory.exists().where(
            ExpenseCategory.name == name, ExpenseCategory.id != category_id
        ):
            raise InvalidInput("A category with this name exists", field="name")
        changes[ExpenseCategory.name], diff["name"] = name, [row["name"], name]
    if data.is_active is not None and data.is_active != row["is_active"]:
        changes[ExpenseCategory.is_active] = data.is_active
        diff["is_active"] = [row["is_active"], data.is_active]
    if changes:
        await ExpenseCategory.update(changes).where(ExpenseCategory.id == category_id)
        await audit.record(actor, "expense_category", category_id, "update", diff)
    fresh = await ExpenseCategory.select().where(ExpenseCategory.id == category_id).first()
    assert fresh is not None
    return out(fresh)
