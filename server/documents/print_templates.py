"""Print templates kept in the database: several per kind, limited to order types and brands."""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio.to_thread
import msgspec

import printforms
from server import refcache
from server.actor import Actor
from server.audit import services as audit
from server.documents.schemas import TemplateCreate, TemplateOut, TemplatePatch
from server.documents.tables import PrintTemplate
from server.errors import InvalidInput, NotFound
from server.staff.permissions import Action, Section


class TemplateRefused(InvalidInput):
    """A template source failed validation; `problems` holds every line and reason."""

    def __init__(self, problems: list[printforms.TemplateProblem]) -> None:
        first = problems[0]
        super().__init__(
            "Line {line}: {reason}", field="source", line=first.line, reason=first.reason
        )
        self.problems = problems


def check_kind(kind: str) -> str:
    """The kind, or a field error naming the kinds there are."""
    if kind not in printforms.DOCUMENT_KINDS:
        raise InvalidInput(
            "Unknown document «{kind}»; choose one of: {choices}",
            field="kind",
            kind=kind,
            choices=", ".join(printforms.DOCUMENT_KINDS),
        )
    return kind


async def check_source(source: str) -> str:
    """The source, or TemplateRefused with the line and reason of every problem.

    Parsing and compiling 200 000 characters takes seconds of CPU: it runs in a worker
    thread, never on the event loop.
    """
    if "\x00" in source:
        raise InvalidInput("The text holds a character that cannot be stored", field="source")
    try:
        await anyio.to_thread.run_sync(printforms.validate_template, source)
    except printforms.TemplateValidationError as error:
        raise TemplateRefused(error.problems) from None
    return source


def _codes(values: list[str], field: str) -> list[str]:
    cleaned = [v.strip() for v in values if v.strip()]
    if any("\x00" in v for v in cleaned):
        raise InvalidInput("The text holds a character that cannot be stored", field=field)
    return list(dict.fromkeys(cleaned))


def template_out(row: dict[str, Any]) -> TemplateOut:
    """A template row as the API gives it."""
    return TemplateOut(
        id=row["id"],
        kind=row["kind"],
        name=row["name"],
        source=row["source"],
        order_types=list(row["order_types"] or []),
        manufacturers=list(row["manufacturers"] or []),
        is_default=row["is_default"],
        updated_at=row["updated_at"],
    )


def _choice(row: dict[str, Any]) -> printforms.TemplateChoice:
    return printforms.TemplateChoice(
        key=str(row["id"]),
        kind=row["kind"],
        order_types=tuple(row["order_types"] or ()),
        manufacturers=tuple(row["manufacturers"] or ()),
        is_default=row["is_default"],
    )


async def template_for_print(
    kind: str, template_id: int | None, order_type: str, brand: str
) -> str | None:
    """The source that prints an order: the asked one, the best match, or None (built-in)."""
    if template_id is not None:
        row = await PrintTemplate.select().where(PrintTemplate.id == template_id).first()
        if row is None or row["kind"] != kind:
            raise NotFound("No print template with id {id} for this document", id=template_id)
        return str(row["source"])
    rows = await PrintTemplate.select().where(PrintTemplate.kind == kind).order_by(PrintTemplate.id)
    chosen = printforms.select_template([_choice(r) for r in rows], kind, order_type, brand)
    if chosen is None:
        return None
    return next(str(r["source"]) for r in rows if str(r["id"]) == chosen.key)


async def templates_of_kind(kind: str) -> list[dict[str, Any]]:
    """Id and name of the stored templates of a kind (for the print menu)."""
    rows: list[dict[str, Any]] = (
        await PrintTemplate.select(PrintTemplate.id, PrintTemplate.name, PrintTemplate.kind)
        .where(PrintTemplate.kind == kind)
        .order_by(PrintTemplate.id)
    )
    return rows


async def stored_by_kind() -> dict[str, list[dict[str, Any]]]:
    """Every stored template's id and name grouped by kind (one query, for the print menu)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in await _stored():
        grouped.setdefault(row["kind"], []).append(dict(row))
    return grouped


@refcache.reads("print_template")
async def _stored() -> tuple[dict[str, Any], ...]:
    return tuple(
        await PrintTemplate.select(
            PrintTemplate.id, PrintTemplate.name, PrintTemplate.kind
        ).order_by(PrintTemplate.id)
    )


class TemplateService:
    """Print templates on behalf of one actor: settings:view to read, settings:edit to change."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def list_templates(self, kind: str | None = None) -> list[TemplateOut]:
        """Every stored template, by kind and id."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        query = PrintTemplate.select().order_by(PrintTemplate.kind).order_by(PrintTemplate.id)
        if kind:
            query = query.where(PrintTemplate.kind == check_kind(kind))
        return [template_out(r) for r in await query]

    async def _row(self, template_id: int) -> dict[str, Any]:
        row = await PrintTemplate.select().where(PrintTemplate.id == template_id).first()
        if row is None:
            raise NotFound("No print template with id {id}", id=template_id)
        return row

    async def get_template(self, template_id: int) -> TemplateOut:
        """One template."""
        self.actor.require(Section.SETTINGS, Action.VIEW)
        return template_out(await self._row(template_id))

    async def create_template(self, data: TemplateCreate) -> TemplateOut:
        """A new template (a copy of the built-in one when no source is given)."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        kind = check_kind(data.kind)
        name = data.name.strip()
        if not name or "\x00" in name:
            raise InvalidInput("This field is required", field="name")
        source = printforms.default_template(kind) if data.source is None else data.source
        await check_source(source)
        now = dt.datetime.now(dt.UTC)
        async with PrintTemplate._meta.db.transaction():
            if data.is_default:
                await self._clear_default(kind)
            template = PrintTemplate(
                kind=kind,
                name=name,
                source=source,
                order_types=_codes(data.order_types, "order_types"),
                manufacturers=_codes(data.manufacturers, "manufacturers"),
                is_default=data.is_default,
                created_at=now,
                updated_at=now,
                updated_by=self.actor.employee_id or None,
            )
            await template.save()
            await audit.record(
                self.actor, "print_template", template.id, "create", {"name": [None, name]}
            )
        return await self.get_template(template.id)

    async def update_template(self, template_id: int, patch: TemplatePatch) -> TemplateOut:
        """Change a template; a source that fails validation is refused with its line."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        values: dict[str, Any] = {}
        if "name" in changes:
            name = changes["name"].strip()
            if not name or "\x00" in name:
                raise InvalidInput("This field is required", field="name")
            values["name"] = name
        if "source" in changes:
            values["source"] = await check_source(changes["source"])
        for field in ("order_types", "manufacturers"):
            if field in changes:
                values[field] = _codes(changes[field], field)
        if "is_default" in changes:
            values["is_default"] = changes["is_default"]
        return await self._store(template_id, values)

    async def restore_builtin(self, template_id: int) -> TemplateOut:
        """Put the built-in source of the template's kind back."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        row = await self._row(template_id)
        return await self._store(template_id, {"source": printforms.default_template(row["kind"])})

    async def _store(self, template_id: int, values: dict[str, Any]) -> TemplateOut:
        async with PrintTemplate._meta.db.transaction():
            row = await self._row(template_id)
            if values.get("is_default"):
                await self._clear_default(row["kind"])
            values["updated_at"] = dt.datetime.now(dt.UTC)
            values["updated_by"] = self.actor.employee_id or None
            await PrintTemplate.update(values).where(PrintTemplate.id == template_id)  # type: ignore[arg-type]
            before = {k: row[k] for k in values if k not in ("updated_at", "updated_by")}
            after = {k: v for k, v in values.items() if k in before}
            await audit.record(
                self.actor, "print_template", template_id, "update",
                audit.diff(before, after, frozenset({"source"})),
            )  # fmt: skip
        return await self.get_template(template_id)

    async def delete_template(self, template_id: int) -> None:
        """Remove a template (printing falls back to another match or the built-in)."""
        self.actor.require(Section.SETTINGS, Action.EDIT)
        async with PrintTemplate._meta.db.transaction():
            row = await self._row(template_id)
            await PrintTemplate.delete().where(PrintTemplate.id == template_id)
            await audit.record(
                self.actor, "print_template", template_id, "delete", {"name": [row["name"], None]}
            )

    @staticmethod
    async def _clear_default(kind: str) -> None:
        await PrintTemplate.update({PrintTemplate.is_default: False}).where(
            PrintTemplate.kind == kind
        )
