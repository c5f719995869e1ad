"""The problem classification: a tree the administrator edits (nodes switched off, never
deleted, so a rule or a request that names one keeps its meaning)."""

from __future__ import annotations

from typing import Any

import msgspec

from server.actor import Actor
from server.audit import services as audit
from server.errors import InvalidInput, NotFound
from server.responsibles.schemas import ProblemClassIn, ProblemClassOut, ProblemClassPatch
from server.responsibles.tables import ProblemClass
from server.staff.permissions import Action, Section

SEPARATOR = " / "


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name or "\x00" in name:
        raise InvalidInput("This field is required", field="name")
    return name


async def _rows() -> list[dict[str, Any]]:
    return await ProblemClass.select().order_by(ProblemClass.sort).order_by(ProblemClass.id)


def tree(rows: list[dict[str, Any]]) -> list[ProblemClassOut]:
    """The nodes depth first, each after its parent, siblings by sort then id."""
    children: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        children.setdefault(row["parent"], []).append(row)
    found: list[ProblemClassOut] = []

    def visit(parent: int | None, path: str, depth: int) -> None:
        for row in children.get(parent, []):
            full = f"{path}{SEPARATOR}{row['name']}" if path else row["name"]
            found.append(
                ProblemClassOut(
                    row["id"],
                    row["parent"],
                    row["name"],
                    full,
                    row["sort"],
                    bool(row["is_active"]),
                    depth,
                )
            )
            if depth < 50:
                visit(row["id"], full, depth + 1)

    visit(None, "", 0)
    return found


async def all_classes() -> list[ProblemClassOut]:
    """The whole classification, each node after its parent (no permission: names only)."""
    return tree(await _rows())


async def lineage() -> dict[int, set[int]]:
    """{class id: itself and every ancestor} (a rule naming a class matches its descendants)."""
    parents = {
        r["id"]: r["parent"]
        for r in await ProblemClass.select(ProblemClass.id, ProblemClass.parent)
    }
    found: dict[int, set[int]] = {}
    for class_id in parents:
        line: set[int] = set()
        node: int | None = class_id
        while node is not None and node not in line:
            line.add(node)
            node = parents.get(node)
        found[class_id] = line
    return found


async def _check_parent(parent_id: int | None, own_id: int | None = None) -> None:
    if parent_id is None:
        return
    if not await ProblemClass.exists().where(ProblemClass.id == parent_id):
        raise InvalidInput("No problem class with id {id}", field="parent_id", id=parent_id)
    if own_id is not None and own_id in (await lineage()).get(parent_id, set()):
        raise InvalidInput(
            "A class cannot be put under itself or its descendant", field="parent_id"
        )


async def create_class(actor: Actor, data: ProblemClassIn) -> ProblemClassOut:
    """Add a node of the classification."""
    actor.require(Section.SETTINGS, Action.EDIT)
    name = _name(data.name)
    await _check_parent(data.parent_id)
    async with ProblemClass._meta.db.transaction():
        row = ProblemClass(name=name, parent=data.parent_id, sort=data.sort)
        await row.save()
        await audit.record(actor, "problem_class", row.id, "create", {"name": [None, name]})
    return next(c for c in await all_classes() if c.id == row.id)


async def update_class(actor: Actor, class_id: int, data: ProblemClassPatch) -> ProblemClassOut:
    """Rename, move, reorder, or switch a node off or on."""
    actor.require(Section.SETTINGS, Action.EDIT)
    row = await ProblemClass.select().where(ProblemClass.id == class_id).first()
    if row is None:
        raise NotFound("No such problem class")
    values: dict[Any, Any] = {}
    if data.name is not msgspec.UNSET:
        values[ProblemClass.name] = _name(data.name)
    if data.parent_id is not msgspec.UNSET:
        await _check_parent(data.parent_id, class_id)
        values[ProblemClass.parent] = data.parent_id
    if data.sort is not msgspec.UNSET:
        values[ProblemClass.sort] = data.sort
    if data.is_active is not msgspec.UNSET:
        values[ProblemClass.is_active] = data.is_active
    if values:
        changes = {c._meta.name: [row[c._meta.name], v] for c, v in values.items()}
        async with ProblemClass._meta.db.transaction():
            await ProblemClass.update(values).where(ProblemClass.id == class_id)
            await audit.record(actor, "problem_class", class_id, "update", changes)
    return next(c for c in await all_classes() if c.id == class_id)


async def existing_ids(ids: list[int]) -> set[int]:
    """Those of the ids that are problem classes."""
    if not ids:
        return set()
    rows = await ProblemClass.select(ProblemClass.id).where(ProblemClass.id.is_in(sorted(set(ids))))
    return {r["id"] for r in rows}
