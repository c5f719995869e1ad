"""The time clock page: one's own check in or out button and days of the month; for managers,
everyone's days of a period with the correction form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server import clock
from server.actor import Actor
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import gettext
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.timeclock import checks, days
from server.timeclock.schemas import CheckIn, CorrectionIn
from server.web.forms import FormError, convert, date_of, errors_of, read_form
from server.web.templating import page_context

AnyText = Annotated[str, QueryParameter()]


@get("/timeclock", include_in_schema=False)
async def timeclock_page(
    actor: CurrentActor, date_from: AnyText = "", date_to: AnyText = ""
) -> Template:
    """One's own clock; everyone's days for a payroll viewer."""
    return await _page(actor, {"date_from": date_from, "date_to": date_to}, {}, {})


async def _page(
    actor: Actor,
    asked: dict[str, str],
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> Template:
    today = clock.today()
    sees_all = actor.can(Section.PAYROLL, Action.VIEW)
    team: list[Any] = []
    first, last = today, today
    if sees_all:
        try:
            first = date_of(asked.get("date_from", ""), "date_from") or today
            last = date_of(asked.get("date_to", ""), "date_to") or first
            team = await days.days(actor, first, last)
        except (DomainError, FormError) as error:
            errors = {**errors, **errors_of(error)}
            first = last = today
            team = await days.days(actor, today, today)
    context = page_context(
        actor,
        mine=await days.my_clock(actor),
        team=team,
        first=first,
        last=last,
        sees_all=sees_all,
        can_correct=actor.can(Section.PAYROLL, Action.EDIT),
        employees=await staff.active_employees() if sees_all else [],
        errors=errors,
        values=values,
    )
    return Template("timeclock/page.html", context=context, status_code=status)


@post("/timeclock/check", include_in_schema=False)
async def check_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Check in or out at the desk."""
    form = await read_form(request)
    try:
        await checks.check(actor, convert({"kind": str(form.get("kind", ""))}, CheckIn))
    except (DomainError, FormError) as error:
        said = " ".join(errors_of(error).values())
        return await _page(actor, {}, {"kind": said}, form, 409)
    return Redirect("/timeclock")


@post("/timeclock/corrections", include_in_schema=False)
async def correction_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """A manager's correction from the form."""
    form = await read_form(request)
    try:
        employee = str(form.get("employee_id", ""))
        entry = str(form.get("corrects_id", ""))
        at_text = str(form.get("at", "")).strip()
        try:
            typed = dt.datetime.fromisoformat(at_text) if at_text else None
        except ValueError:
            raise FormError({"at": gettext("Enter a date and time")}) from None
        data = {
            "employee_id": int(employee) if employee.isdigit() else 0,
            "kind": str(form.get("kind", "in")),
            "reason": str(form.get("reason", "")).strip()[:300],
            "at": typed.replace(tzinfo=clock.zone()) if typed else None,
            "corrects_id": int(entry) if entry.isdigit() and len(entry) < 10 else None,
        }
        if not data["reason"]:
            raise FormError({"reason": gettext("Say why")})
        await checks.correct(actor, convert(data, CorrectionIn))
    except (DomainError, FormError) as error:
        status = error.status_code if isinstance(error, DomainError) else 400
        return await _page(actor, {}, errors_of(error), form, status)
    return Redirect("/timeclock")


handlers = [timeclock_page, check_submit, correction_submit]
