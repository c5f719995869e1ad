"""The dispatcher's board (lanes, queue, plan, map, week: pwa/js/board.js over the dispatch
API, with the day as a readable list and the old one-visit form when scripts do not run), and
the visit pages planned and replanned by form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.dispatch import board as boards
from server.dispatch import board_view, planning, services
from server.dispatch.choices import STATUS_COLORS
from server.dispatch.schemas import VisitCreate, VisitPatch, VisitStatus, VisitStatusChange
from server.errors import DomainError
from server.guards import CurrentActor
from server.orders import api as orders
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

Day = Annotated[dt.date | None, QueryParameter()]
FIELDS = ("master_id", "day", "window_start", "window_end", "duration_min", "address", "comment")


def _clean(form: dict[str, Any]) -> dict[str, Any]:
    """Form text into API values: empty optional fields left out, master 0 for none."""
    data: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in FIELDS if k in form}
    for key in ("window_start", "window_end", "address", "duration_min"):
        if data.get(key) == "":
            del data[key]
    if "master_id" in data:
        data["master_id"] = int(data["master_id"]) if data["master_id"].isdigit() else None
    return data


async def _board(
    actor: Actor,
    day: dt.date,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    context = page_context(
        actor,
        day=day,
        previous=day - dt.timedelta(days=1),
        following=day + dt.timedelta(days=1),
        board=await services.day_board(actor, day),
        masters=await services.field_masters(),
        labels=services.STATUS_LABELS,
        colors=STATUS_COLORS,
        can_plan=actor.can(Section.DISPATCH, Action.CREATE),
        can_edit=actor.can(Section.DISPATCH, Action.EDIT),
        values=values or {"day": day.isoformat()},
        errors=errors or {},
    )
    return Template("dispatch/day.html", context=context, status_code=status_code)


@get("/dispatch", include_in_schema=False)
async def day_page(
    actor: CurrentActor,
    day: Day = None,
    order: Annotated[str, QueryParameter(max_length=30)] = "",
) -> Template:
    """The board of a day for planners; the visits of the day per master for the others."""
    actor.require(Section.DISPATCH, Action.VIEW)
    chosen = day or services.today()
    values = {"day": chosen.isoformat(), "order_number": order}
    if not _plans(actor):
        return await _board(actor, chosen, values=values)
    return await _planner_board(actor, chosen, values=values)


def _plans(actor: Actor) -> bool:
    try:
        planning.require_planner(actor)
    except DomainError:
        return False
    return True


async def _planner_board(
    actor: Actor,
    day: dt.date,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    board = await boards.board(actor, day)
    context = page_context(
        actor,
        day=day,
        previous=day - dt.timedelta(days=1),
        following=day + dt.timedelta(days=1),
        view=board_view.readable(board),
        settings=board_view.settings(actor, board),
        strings=board_view.strings(),
        masters=await services.field_masters(),
        labels=services.STATUS_LABELS,
        colors=STATUS_COLORS,
        values=values,
        errors=errors or {},
        can_plan=True,
    )
    return Template(
        "dispatch/board.html",
        context=context,
        status_code=status_code,
        headers=board_view.security_headers(),
    )


@post("/dispatch/visits", include_in_schema=False)
async def plan_visit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Plan a visit from the form; errors come back next to the fields, nothing typed is lost."""
    form = await read_form(request)
    values = {k: str(v) for k, v in form.items()}
    day = services.today()
    try:
        data = _clean(form)
        data["order_id"] = await orders.order_id_by_number(actor, str(form.get("order_number", "")))
        payload = convert(data, VisitCreate)
        day = payload.day
        await services.create_visit(actor, payload)
    except DomainError as error:
        field = "order_number" if error.field in (None, "order_id") else error.field
        return await _form_page(actor, day, values, {field: error.text()})
    except FormError as error:
        return await _form_page(actor, day, values, errors_of(error))
    return Redirect(f"/dispatch?day={payload.day.isoformat()}")


async def _form_page(
    actor: Actor, day: dt.date, values: dict[str, Any], errors: dict[str, str]
) -> Template:
    """The page the one-visit form was on, again with its values and errors."""
    if _plans(actor):
        return await _planner_board(actor, day, values=values, errors=errors, status_code=400)
    return await _board(actor, day, values=values, errors=errors, status_code=400)


@get("/dispatch/visits/{visit_id:int}", include_in_schema=False)
async def visit_page(actor: CurrentActor, visit_id: RecordId) -> Template:
    """One visit with the form to replan or cancel it."""
    visit = await services.get_visit(actor, visit_id)
    return await _visit_form(
        actor, visit, {k: visit.get(k) for k in FIELDS} | {"version": visit["version"]}
    )


async def _visit_form(
    actor: Actor,
    visit: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    briefs = await orders.order_refs(actor, [visit["order_id"]])
    context = page_context(
        actor,
        visit=visit,
        order=briefs.get(visit["order_id"]) or {},
        values=values,
        errors=errors or {},
        masters=await services.field_masters(),
        labels=services.STATUS_LABELS,
        colors=STATUS_COLORS,
        can_edit=actor.can(Section.DISPATCH, Action.EDIT),
    )
    return Template("dispatch/visit.html", context=context, status_code=status_code)


@post("/dispatch/visits/{visit_id:int}", include_in_schema=False)
async def replan_visit(
    request: Request[Any, Any, Any], actor: CurrentActor, visit_id: RecordId
) -> Response[Any]:
    """Save the replanning form; a stale version is refused, and the form keeps its values."""
    visit = await services.get_visit(actor, visit_id)
    form = await read_form(request)
    values = {k: str(v) for k, v in form.items()}
    try:
        data = _clean(form)
        data.setdefault("window_start", None)
        data.setdefault("window_end", None)
        if str(form.get("version", "")).isdigit():
            data["version"] = int(form["version"])
        updated = await services.update_visit(actor, visit_id, convert(data, VisitPatch))
    except (DomainError, FormError) as error:
        return await _visit_form(actor, visit, values, errors_of(error), 400)
    return Redirect(f"/dispatch?day={updated['day']}")


@post("/dispatch/visits/{visit_id:int}/cancel", include_in_schema=False)
async def cancel_visit(actor: CurrentActor, visit_id: RecordId) -> Response[Any]:
    """Cancel a visit (it stays in the history of the order)."""
    visit = await services.get_visit(actor, visit_id)
    try:
        await services.set_status(actor, visit_id, VisitStatusChange(status=VisitStatus.CANCELLED))
    except DomainError as error:
        return await _visit_form(actor, visit, visit, {"": error.text()}, 400)
    return Redirect(f"/dispatch?day={visit['day']}")


handlers = [day_page, plan_visit, visit_page, replan_visit, cancel_visit]
