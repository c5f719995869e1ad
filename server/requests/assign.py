"""Automatic responsibles of a new request, through the responsibles domain's rules.

The call is kept behind `assign_enabled()` so the requests domain works while the
responsibles domain is absent or switched off; what comes back is stored on the request
(manager, service center, expert, technician, queue and what set each one).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
from typing import Any

from server.requests.tables import ServiceRequest

log = logging.getLogger("servio.requests")
ROLES = ("manager", "service_center", "expert", "technician")
OPEN_WORK_SQL = """
SELECT e.id, count(r.id) AS n
FROM unnest({}::int[]) AS e(id)
LEFT JOIN service_request r
  ON (r.manager = e.id OR r.expert = e.id OR r.technician = e.id)
 AND r.status IN ('new', 'in_review', 'accepted')
GROUP BY e.id
"""
OPEN_AT_CENTERS_SQL = """
SELECT c.id, count(r.id) AS n
FROM unnest({}::int[]) AS c(id)
LEFT JOIN service_request r
  ON r.service_center = c.id AND r.status IN ('new', 'in_review', 'accepted')
GROUP BY c.id
"""


def _responsibles() -> Any | None:
    """The responsibles domain's api module, when it is installed."""
    try:
        return importlib.import_module("server.responsibles.api")
    except ImportError:
        return None


async def open_at_centers(org_ids: list[int]) -> dict[int, int]:
    """{organization id: open requests it is the service center of}, one query."""
    if not org_ids:
        return {}
    rows = await ServiceRequest.raw(OPEN_AT_CENTERS_SQL, sorted(set(org_ids)))
    return {r["id"]: int(r["n"]) for r in rows}


async def problem_class_exists(class_id: int) -> bool:
    """Whether the classification has this active node (any id while it is absent)."""
    module = _responsibles()
    if module is None:
        return True
    return await module.problem_class(class_id) is not None


async def problem_classes() -> list[Any]:
    """The classification of problems for the forms (empty while it is absent)."""
    module = _responsibles()
    return list(await module.problem_classes()) if module is not None else []


def assign_enabled() -> bool:
    """Whether new requests get responsibles by rule (SERVIO_REQUEST_AUTO_ASSIGN=0: never)."""
    if os.environ.get("SERVIO_REQUEST_AUTO_ASSIGN", "1") == "0":
        return False
    return _responsibles() is not None


async def open_requests(employee_ids: list[int]) -> dict[int, int]:
    """{employee id: open requests they are responsible for}, one query."""
    if not employee_ids:
        return {}
    rows = await ServiceRequest.raw(OPEN_WORK_SQL, sorted(set(employee_ids)))
    return {r["id"]: int(r["n"]) for r in rows}


async def assign(row: dict[str, Any]) -> dict[str, Any]:
    """The responsibles the rules choose for a request row: {column: id} plus "queue" and
    "assignment"; empty when no rule applies (or the rules are unavailable)."""
    module = _responsibles()
    if module is None or not assign_enabled():
        return {}
    subject = module.Subject(
        kind="request",
        brand=row.get("brand", ""),
        device_type=row.get("device_type", ""),
        problem_class_id=row.get("problem_class"),
        address=row.get("address", ""),
        channel=row.get("channel", ""),
        source_org_id=row.get("source_org"),
        fields={k: str(v) for k, v in (row.get("custom") or {}).items()},
    )
    try:
        result = await module.assign(subject, open_requests, org_load=open_at_centers)
    except Exception:  # the rules must never lose a request: it is kept unassigned
        log.exception("responsibles for request %s failed", row.get("number"))
        return {}
    values: dict[str, Any] = {}
    assignment: dict[str, Any] = {}
    for chosen in result.chosen:
        if chosen.role in ROLES and chosen.role not in values:
            values[chosen.role] = chosen.id
            assignment[chosen.role] = {"rule_id": chosen.rule_id, "rule_name": chosen.rule_name}
    if result.queue:
        values["queue"] = result.queue
    if assignment or result.queue:
        values["assignment"] = assignment
    return values


def by_person(employee_id: int) -> dict[str, Any]:
    """What an assignment by hand records."""
    return {"by": employee_id, "at": dt.datetime.now(dt.UTC).isoformat()}
