"""Reminders: tasks about a client with a due time, shown to their assignee."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.columns.combination import Or

from server.actor import Actor
from server.audit import services as audit
from server.clients import scope
from server.clients import validation as check
from server.clients.records import aware, now
from server.clients.schemas import ReminderCreate, ReminderPatch
from server.clients.tables import Reminder
from server.errors import InvalidInput, NotFound
from server.staff.permissions import Action, Section


def _columns() -> list[Any]:
    return [
        *Reminder.all_columns(),
        Reminder.client._.name.as_alias("client_name"),
        Reminder.assignee._.full_name.as_alias("assignee_name"),
    ]


def _out(row: dict[str, Any], moment: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "client_id": row["client"],
        "client_name": row["client_name"],
        "order_id": row["order_id"],
        "assignee_id": row["assignee"],
        "assignee_name": row["assignee_name"],
        "author_id": row["author"],
        "text": row["text"],
        "due_at": row["due_at"],
        "done": row["done_at"] is not None,
        "done_at": row["done_at"],
        "overdue": row["done_at"] is None and row["due_at"] < moment,
        "created_at": row["created_at"],
    }


async def _check_assignee(employee_id: int) -> None:
    from server.staff.services import load_actor

    if await load_actor(employee_id) is None:
        raise InvalidInput("No active employee with id {id}", field="assignee_id", id=employee_id)


class ReminderService:
    """Reminders on behalf of one actor."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    async def _row(self, reminder_id: int) -> dict[str, Any]:
        row = await Reminder.select(*_columns()).where(Reminder.id == reminder_id).first()
        mine = row is not None and self.actor.employee_id in (row["assignee"], row["author"])
        if row is None or not (mine or self.actor.can(Section.CLIENTS, Action.EDIT)):
            raise NotFound("No reminder with id {id}", id=reminder_id)
        return row

    async def of_client(self, client_id: int) -> list[dict[str, Any]]:
        """Open reminders about a client, soonest first: the caller's own (as assignee or
        author), everyone's for holders of clients:edit."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        query = Reminder.select(*_columns()).where(
            Reminder.client == client_id, Reminder.done_at.is_null()
        )
        if not self.actor.can(Section.CLIENTS, Action.EDIT):
            me = self.actor.employee_id
            query = query.where(Or(Reminder.assignee == me, Reminder.author == me))
        rows = await query.order_by(Reminder.due_at)
        moment = now()
        return [_out(r, moment) for r in rows]

    async def list_reminders(
        self, *, everyone: bool = False, include_done: bool = False
    ) -> list[dict[str, Any]]:
        """The caller's open reminders, overdue first; everyone's for holders of clients:edit."""
        query = Reminder.select(*_columns()).order_by(Reminder.due_at).limit(500)
        if everyone:
            self.actor.require(Section.CLIENTS, Action.EDIT)
        else:
            query = query.where(Reminder.assignee == self.actor.employee_id)
        if not include_done:
            query = query.where(Reminder.done_at.is_null())
        moment = now()
        return [_out(r, moment) for r in await query]

    async def create_reminder(self, client_id: int, data: ReminderCreate) -> dict[str, Any]:
        """A reminder about a client; assigning it to someone else needs clients:edit."""
        self.actor.require(Section.CLIENTS, Action.VIEW)
        await scope.client_row(self.actor, client_id)
        assignee = data.assignee_id or self.actor.employee_id
        if assignee != self.actor.employee_id:
            self.actor.require(Section.CLIENTS, Action.EDIT)
        if not assignee:
            raise InvalidInput("This field is required", field="assignee_id")
        await _check_assignee(assignee)
        values: dict[str, Any] = {
            "text": check.text(data.text, "text", required=True),
            "due_at": aware(data.due_at, "due_at"),
            "assignee": assignee,
            "order_id": data.order_id,
        }
        async with Reminder._meta.db.transaction():
            reminder = Reminder(
                client=client_id,
                author=self.actor.employee_id or None,
                created_at=now(),
                **values,
            )
            await reminder.save()
            await audit.record(
                self.actor,
                "reminder",
                reminder.id,
                "create",
                audit.diff({}, values),
                scope=f"client:{client_id}",
            )
        return _out(await self._row(reminder.id), now())

    async def update_reminder(self, reminder_id: int, patch: ReminderPatch) -> dict[str, Any]:
        """Mark done or undone, change text, due time or (with clients:edit) the assignee."""
        changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
        async with Reminder._meta.db.transaction():
            before = await self._row(reminder_id)
            values: dict[str, Any] = {}
            if "text" in changes:
                values["text"] = check.text(changes["text"], "text", required=True)
            if "due_at" in changes:
                values["due_at"] = aware(changes["due_at"], "due_at")
            if "done" in changes and changes["done"] != (before["done_at"] is not None):
                values["done_at"] = now() if changes["done"] else None
            if "assignee_id" in changes and changes["assignee_id"] != before["assignee"]:
                self.actor.require(Section.CLIENTS, Action.EDIT)
                await _check_assignee(changes["assignee_id"])
                values["assignee"] = changes["assignee_id"]
            if values:
                await Reminder.update(values).where(Reminder.id == reminder_id)  # type: ignore[arg-type]
                delta = audit.diff({k: before[k] for k in values}, values)
                await audit.record(
                    self.actor,
                    "reminder",
                    reminder_id,
                    "update",
                    delta,
                    scope=f"client:{before['client']}",
                )
        return _out(await self._row(reminder_id), now())
