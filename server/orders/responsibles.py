"""An order's responsibles: set by the assignment rules when it is created with them left
empty, changed by a person as an override (kept in `assignment` and on the timeline).

`assignment` is {role: {"rule_id", "rule_name"} | {"by": employee_id, "at": iso}} with the
roles manager, service_center, expert and technician, and "queue" when a rule named one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import msgspec

from server.actor import Actor
from server.clients import api as clients
from server.errors import InvalidInput
from server.i18n import N_, Msg, gettext
from server.partners import api as partners
from server.responsibles import api as responsibles
from server.staff import api as staff

# The order columns of each role, and the input field naming it.
ROLE_COLUMNS = {
    "manager": "manager",
    "service_center": "service_center",
    "expert": "expert",
    "technician": "technician",
}
ROLE_FIELDS = {
    "manager": "manager_id",
    "service_center": "service_center_id",
    "expert": "expert_id",
    "technician": "technician_id",
}
ROLE_LABELS = {
    "manager": N_("Manager"),
    "service_center": N_("Service center"),
    "expert": N_("Technical expert"),
    "technician": N_("Technician"),
}
OPEN_WORK_SQL = """
SELECT e.id, count(o.id) AS n
FROM unnest({}::int[]) AS e(id)
LEFT JOIN service_order o
  ON (o.technician = e.id OR o.manager = e.id OR o.expert = e.id)
 AND o.status IN (SELECT id FROM order_status WHERE "group" NOT IN ('closed', 'cancelled'))
GROUP BY e.id
"""
OPEN_AT_CENTERS_SQL = """
SELECT c.id, count(o.id) AS n
FROM unnest({}::int[]) AS c(id)
LEFT JOIN service_order o
  ON o.service_center = c.id
 AND o.status IN (SELECT id FROM order_status WHERE "group" NOT IN ('closed', 'cancelled'))
GROUP BY c.id
"""


async def open_work(employee_ids: list[int]) -> dict[int, int]:
    """{employee id: open orders they are the technician, manager or expert of}, one query."""
    from server.orders.tables import Order

    if not employee_ids:
        return {}
    rows = await Order.raw(OPEN_WORK_SQL, sorted(set(employee_ids)))
    return {r["id"]: int(r["n"]) for r in rows}


async def open_at_service_centers(org_ids: list[int]) -> dict[int, int]:
    """{organization id: open orders it is the service center of}, one query."""
    from server.orders.tables import Order

    if not org_ids:
        return {}
    rows = await Order.raw(OPEN_AT_CENTERS_SQL, sorted(set(org_ids)))
    return {r["id"]: int(r["n"]) for r in rows}


async def check_service_center(org_id: int | None, field: str = "service_center_id") -> None:
    """A service center assigned must be an active partner service center."""
    if org_id is None:
        return
    org = await partners.organization(org_id)
    if org is None or org.kind != "service_center" or not org.is_active:
        raise InvalidInput("No active partner service center with id {id}", field=field, id=org_id)


async def subject_of(
    *,
    client_id: int,
    device: dict[str, Any] | None,
    channel: str,
    source_org_id: int | None,
    fields: dict[str, Any],
) -> responsibles.Subject:
    """The facts the rules look at for a new order: its device, client address, channel,
    partner and fields (custom ones by code, priority, order type)."""
    addresses = (await clients.contacts_of([client_id])).get(client_id, {}).get("addresses", [])
    place = addresses[0] if addresses else {}
    return responsibles.Subject(
        kind="order",
        brand=str((device or {}).get("brand_name") or ""),
        device_type=str((device or {}).get("type_name") or ""),
        latitude=place.get("lat"),
        longitude=place.get("lon"),
        address=str(place.get("address") or ""),
        channel=channel,
        source_org_id=source_org_id,
        fields={k: str(v) for k, v in fields.items() if v is not None and v != ""},
    )


async def by_rules(
    subject_of: Callable[[], Awaitable[responsibles.Subject]], given: dict[str, int | None]
) -> tuple[dict[str, int], dict[str, Any]]:
    """({role: id} the rules fill among the roles left empty, the `assignment` to store); the
    subject's facts are gathered only when some role is empty and a rule could apply."""
    empty = [role for role in ROLE_COLUMNS if given.get(role) is None]
    if not empty or not await responsibles.any_rules("order"):
        return {}, {}
    result = await responsibles.assign(
        await subject_of(), open_work, org_load=open_at_service_centers
    )
    filled: dict[str, int] = {}
    assignment: dict[str, Any] = {}
    for chosen in result.chosen:
        if chosen.role in empty:
            filled[chosen.role] = chosen.id
            assignment[chosen.role] = {"rule_id": chosen.rule_id, "rule_name": chosen.rule_name}
    if result.queue:
        assignment["queue"] = result.queue
    return filled, assignment


class Note(msgspec.Struct, frozen=True):
    """A timeline line about one responsible changed by a person."""

    text: str
    data: dict[str, list[str]]


async def overridden(
    actor: Actor, row: dict[str, Any], values: dict[str, Any]
) -> tuple[dict[str, Any], list[Note]]:
    """The `assignment` after a person changed responsibles, and the timeline notes saying so
    («Responsible changed: Technician (rule «X» overridden)», the names in its data keyed by
    the field, so a reader who may not see the field does not see the note)."""
    changed = [r for r, c in ROLE_COLUMNS.items() if c in values and values[c] != row.get(c)]
    assignment = dict(row.get("assignment") or {})
    if not changed:
        return assignment, []
    now = dt.datetime.now(dt.UTC).isoformat()
    people = [row.get(ROLE_COLUMNS[r]) for r in changed if r != "service_center"]
    people += [values[ROLE_COLUMNS[r]] for r in changed if r != "service_center"]
    person_names = await staff.names(i for i in people if i)
    org_names: dict[int, str] = {}
    if "service_center" in changed:
        org_names = await partners.names([row.get("service_center"), values["service_center"]])
    notes: list[Note] = []
    for role in changed:
        shown = org_names if role == "service_center" else person_names
        old, new = row.get(ROLE_COLUMNS[role]), values[ROLE_COLUMNS[role]]
        rule = (assignment.get(role) or {}).get("rule_name", "")
        label = Msg(ROLE_LABELS[role])
        text = (
            gettext("Responsible changed: {role} (rule «{rule}» overridden)", role=label, rule=rule)
            if rule
            else gettext("Responsible changed: {role}", role=label)
        )
        names = [shown.get(old, "—") if old else "—", shown.get(new, "—") if new else "—"]
        notes.append(Note(text, {ROLE_COLUMNS[role]: names}))
        assignment[role] = {"by": actor.employee_id or None, "at": now}
    return assignment, notes


def names_needed(orders: Iterable[dict[str, Any]]) -> set[int]:
    """Employee ids named by overrides in `assignment` (to show who changed a responsible)."""
    found: set[int] = set()
    for assignment in orders:
        for value in (assignment or {}).values():
            if isinstance(value, dict) and value.get("by"):
                found.add(int(value["by"]))
    return found
