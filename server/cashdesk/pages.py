"""The cash desk pages: the desks with their shifts (open, cash in and out, close), a shift's
X or Z report (printable), a desk's past shifts. The same services as the API; each form's
fields carry the desk's or shift's id so an error shows next to the form that failed."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.cashdesk import desks, handover, payments, shifts
from server.cashdesk.choices import DeskKind
from server.cashdesk.schemas import CashMoveIn, DeskIn, HandoverIn, ShiftClose, ShiftOpen
from server.errors import DomainError
from server.guards import CurrentActor
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, decimal_of, errors_of, read_form
from server.web.templating import page_context


@get("/cash", include_in_schema=False)
async def cash_page(actor: CurrentActor) -> Template:
    """The desks: each one's shift, its forms, and the cash field masters carry."""
    return await _cash(actor, {}, {})


async def _cash(
    actor: Actor, errors: dict[str, str], values: dict[str, Any], status: int = 200
) -> Template:
    found = await desks.list_desks(actor)
    context = page_context(
        actor,
        counters=[d for d in found if d.kind == DeskKind.COUNTER.value],
        open_shifts=[d for d in found if d.open_shift],
        masters=[d for d in found if d.kind == DeskKind.FIELD.value],
        errors=errors,
        values=values,
        can_work=actor.can(Section.FINANCE, Action.CREATE),
        can_edit=actor.can(Section.FINANCE, Action.EDIT),
    )
    return Template("cashdesk/desks.html", context=context, status_code=status)


async def _run(
    actor: Actor, form: dict[str, Any], prefix: str, action: Any, to: str = "/cash"
) -> Response[Any]:
    """Run a form's action; on an error the page again with the error next to its field
    (the field named with the form's prefix)."""
    try:
        await action()
    except (DomainError, FormError) as error:
        errors = {}
        for name, text in errors_of(error).items():
            # a message for the whole form ("") stays the page's; a field's goes to its form
            errors[name if not name or name.startswith(prefix) else prefix + name] = text
        status = error.status_code if isinstance(error, DomainError) else 400
        return await _cash(actor, errors, form, status)
    return Redirect(to)


@post("/cash/desks", include_in_schema=False)
async def desk_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a counter desk."""
    form = await read_form(request)

    async def run() -> None:
        await desks.create_desk(actor, convert({"name": form.get("desk_name", "")}, DeskIn))

    return await _run(actor, form, "desk_", run)


@post("/cash/desks/{desk_id:int}/open", include_in_schema=False)
async def shift_open(
    request: Request[Any, Any, Any], actor: CurrentActor, desk_id: RecordId
) -> Response[Any]:
    """Open the desk's shift with the cash found in the drawer."""
    form = await read_form(request)
    prefix = f"d{desk_id}_"

    async def run() -> None:
        opening = decimal_of(form.get(prefix + "opening_balance", ""), prefix + "opening_balance")
        await shifts.open_shift(actor, desk_id, ShiftOpen(opening_balance=opening))

    return await _run(actor, form, prefix, run)


@post("/cash/shifts/{shift_id:int}/close", include_in_schema=False)
async def shift_close(
    request: Request[Any, Any, Any], actor: CurrentActor, shift_id: RecordId
) -> Response[Any]:
    """Close the shift with the cash counted; then its Z report."""
    form = await read_form(request)
    prefix = f"s{shift_id}_"

    async def run() -> None:
        counted = decimal_of(form.get(prefix + "counted", ""), prefix + "counted")
        comment = str(form.get(prefix + "comment", ""))[:300]
        await shifts.close_shift(actor, shift_id, ShiftClose(counted=counted, comment=comment))

    return await _run(actor, form, prefix, run, to=f"/cash/shifts/{shift_id}")


@post("/cash/shifts/{shift_id:int}/moves", include_in_schema=False)
async def cash_move(
    request: Request[Any, Any, Any], actor: CurrentActor, shift_id: RecordId
) -> Response[Any]:
    """Put cash into the drawer or take it out, with the reason."""
    form = await read_form(request)
    prefix = f"m{shift_id}_"

    async def run() -> None:
        data = {
            "kind": str(form.get(prefix + "kind", "cash_in")),
            "amount": decimal_of(form.get(prefix + "amount", ""), prefix + "amount"),
            "reason": str(form.get(prefix + "reason", ""))[:300],
        }
        await payments.cash_move(actor, shift_id, convert(data, CashMoveIn))

    return await _run(actor, form, prefix, run)


@post("/cash/shifts/{shift_id:int}/handovers", include_in_schema=False)
async def handover_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, shift_id: RecordId
) -> Response[Any]:
    """Take a field master's cash into the drawer."""
    form = await read_form(request)
    desk = str(form.get("desk_id", ""))
    prefix = f"h{desk}_" if desk.isdigit() else "h_"

    async def run() -> None:
        data = {
            "desk_id": int(desk) if desk.isdigit() and len(desk) < 10 else 0,
            "amount": decimal_of(form.get(prefix + "amount", ""), prefix + "amount"),
        }
        await handover.hand_over(actor, shift_id, convert(data, HandoverIn))

    return await _run(actor, form, prefix, run)


@get("/cash/shifts/{shift_id:int}", include_in_schema=False)
async def shift_page(actor: CurrentActor, shift_id: RecordId) -> Template:
    """The shift's X report (open) or Z report (closed), with its documents; printable."""
    report = await shifts.report(actor, shift_id)
    return Template("cashdesk/shift.html", context=page_context(actor, report=report))


@get("/cash/desks/{desk_id:int}", include_in_schema=False)
async def desk_page(actor: CurrentActor, desk_id: RecordId) -> Template:
    """A desk's shifts, newest first, with their counts and differences."""
    desk = next((d for d in await desks.list_desks(actor) if d.id == desk_id), None)
    if desk is None:
        await desks.desk_row(desk_id)  # NotFound
    history = await shifts.list_shifts(actor, desk_id)
    return Template("cashdesk/desk.html", context=page_context(actor, desk=desk, shifts=history))


handlers = [
    cash_page,
    desk_create,
    shift_open,
    shift_close,
    cash_move,
    handover_submit,
    shift_page,
    desk_page,
]
