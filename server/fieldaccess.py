"""Field-level permissions: hide fields from a role, or make them read-only.

Roles store {"<entity>.<field>": "hidden" | "read"}; absent means read and write. Every
serializer of an entity passes its output through `visible`, and every write through
`check_writable`, so the API, the pages, search results and exports share one gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.actor import Actor
from server.errors import Forbidden

HIDDEN = "hidden"
READ = "read"


def level(actor: Actor, entity: str, field: str) -> str:
    """'hidden', 'read' or 'write' for one field of an entity."""
    return actor.field_permissions.get(f"{entity}.{field}", "write")


def hidden_fields(actor: Actor, entity: str) -> frozenset[str]:
    """Fields of `entity` the actor may not see."""
    prefix = f"{entity}."
    return frozenset(
        key.removeprefix(prefix)
        for key, value in actor.field_permissions.items()
        if key.startswith(prefix) and value == HIDDEN
    )


def visible(actor: Actor, entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `data` without the fields hidden from the actor."""
    hidden = hidden_fields(actor, entity)
    return {k: v for k, v in data.items() if k not in hidden}


def check_writable(actor: Actor, entity: str, fields: Iterable[str]) -> None:
    """Refuse a write to a hidden or read-only field, naming it."""
    for field in fields:
        if level(actor, entity, field) != "write":
            raise Forbidden("You may not change the field «{field}»", field=field)
