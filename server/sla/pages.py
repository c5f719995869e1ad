"""SLA pages: the order manager's late list, and the settings of policies and the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server import clock
from server.actor import Actor
from server.errors import DomainError, InvalidInput
from server.guards import CurrentActor
from server.orders import api as orders
from server.orders.choices import PRIORITY_LABELS
from server.params import MAX_ID, RecordId
from server.sla import calendar, policies, services
from server.sla.calendar_data import DAY_KIND_LABELS, DayKind
from server.sla.choices import CLOCK_LABELS, STATE_LABELS
from server.sla.schemas import WEEKDAYS, DayIn, PolicyIn, WeekIn
from server.sla.services import LATE_STATES, LateFilters
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.web.forms import errors_of, read_form
from server.web.templating import page_context

IdText = Annotated[str, QueryParameter(max_length=20)]
Code = Annotated[str, QueryParameter(max_length=50)]
StateCode = Annotated[str, QueryParameter(name="state", max_length=50)]
WEEKDAY_LABELS = dict(zip(WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


def _chosen_id(text: str, field: str) -> int | None:
    """A record id chosen in a select of the filters' form (empty: any)."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise InvalidInput("Choose from the list", field=field)
    return int(text)


@get("/sla", include_in_schema=False)
async def late_page(
    actor: CurrentActor,
    employee: IdText = "",
    role: Code = "",
    order_type: IdText = "",
    late_state: StateCode = "",
    clock: Code = "",
) -> Template:
    """Every order and clock late or at risk: who is late and by how much, with filters (the
    form sends its empty selects as empty values)."""
    errors: dict[str, str] = {}
    employee_id = order_type_id = None
    try:
        employee_id = _chosen_id(employee, "employee")
        order_type_id = _chosen_id(order_type, "order_type")
        filters = LateFilters(employee_id, role, order_type_id, late_state, clock)
        found = await services.late(actor, filters)
    except InvalidInput as error:
        errors = errors_of(error)
        found = await services.late(actor, LateFilters())
    query = {
        k: v
        for k, v in (
            ("employee", employee_id),
            ("role", role),
            ("order_type", order_type_id),
            ("state", late_state),
            ("clock", clock),
        )
        if v
    }
    context = page_context(
        actor,
        late=found,
        query=query,
        query_string=urlencode(query),
        employees=await staff.active_employees(),
        roles=await staff.role_names(),
        types=await orders.order_types(),
        states=[(s.value, STATE_LABELS[s]) for s in LATE_STATES],
        clocks=[(c.value, label) for c, label in CLOCK_LABELS.items()],
        can_export=actor.can(Section.ORDERS, Action.EXPORT),
        errors=errors,
    )
    return Template("sla/late.html", context=context, status_code=400 if errors else 200)


async def _settings(
    actor: Actor, *, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None
) -> Template:
    actor.require(Section.SETTINGS, Action.VIEW)
    context = page_context(
        actor,
        calendar=await calendar.calendar(actor),
        policies=(await policies.list_policies(actor)).items,
        types=await orders.order_types(),
        statuses=await orders.statuses(),
        priorities=PRIORITY_LABELS,
        weekdays=WEEKDAY_LABELS,
        day_kinds=DAY_KIND_LABELS,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
        errors=errors or {},
        values=values or {},
        year=clock.today().year,
    )
    return Template("sla/settings.html", context=context, status_code=400 if errors else 200)


@get("/settings/sla", include_in_schema=False)
async def settings_page(actor: CurrentActor) -> Template:
    """SLA policies and the working calendar."""
    return await _settings(actor)


def _minutes(form: dict[str, Any], name: str) -> int | None:
    """Hours typed in a form («8», «1,5») as business minutes; empty: no clock."""
    text = str(form.get(name, "")).strip().replace(",", ".")
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        raise InvalidInput("Enter a number of hours, e.g. 8 or 1.5", field=name) from None
    if not 0 < hours <= 100_000:
        raise InvalidInput("Enter a number of hours, e.g. 8 or 1.5", field=name)
    return max(1, round(hours * 60))


def _percent(form: dict[str, Any], name: str, default: int | None) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise InvalidInput("Enter a whole percentage", field=name)
    return int(text)


def _policy_in(form: dict[str, Any]) -> PolicyIn:
    pauses = form.get("pause_statuses", [])
    pauses = pauses if isinstance(pauses, list) else [pauses]
    type_id = str(form.get("order_type_id", "")).strip()
    return PolicyIn(
        name=str(form.get("name", ""))[:100],
        order_type_id=int(type_id) if type_id.isdigit() and len(type_id) < 10 else None,
        priority=str(form.get("priority", ""))[:10],
        accept_minutes=_minutes(form, "accept_hours"),
        first_visit_minutes=_minutes(form, "first_visit_hours"),
        resolution_minutes=_minutes(form, "resolution_hours"),
        warn_percent=_percent(form, "warn_percent", 80) or 80,
        escalate_percent=_percent(form, "escalate_percent", None),
        pause_statuses=[str(p)[:50] for p in pauses][:50],
        is_active=bool(form.get("is_active")),
    )


FIELD_OF = {
    "accept_minutes": "accept_hours",
    "first_visit_minutes": "first_visit_hours",
    "resolution_minutes": "resolution_hours",
}


async def _submit(actor: Actor, form: dict[str, Any], action: Any) -> Response[Any]:
    try:
        await action()
    except DomainError as error:
        errors = {FIELD_OF.get(k, k): v for k, v in errors_of(error).items()}
        return await _settings(actor, errors=errors, values=form)
    return Redirect("/settings/sla")


@post("/settings/sla/policies", include_in_schema=False)
async def policy_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add a policy from the form."""
    form = await read_form(request)

    async def run() -> None:
        await policies.create_policy(actor, _policy_in(form))

    return await _submit(actor, form, run)


@post("/settings/sla/policies/{policy_id:int}", include_in_schema=False)
async def policy_update(
    request: Request[Any, Any, Any], actor: CurrentActor, policy_id: RecordId
) -> Response[Any]:
    """Change a policy from its form."""
    form = await read_form(request)

    async def run() -> None:
        await policies.update_policy(actor, policy_id, _policy_in(form))

    return await _submit(actor, {**form, "policy_id": policy_id}, run)


@post("/settings/sla/policies/{policy_id:int}/delete", include_in_schema=False)
async def policy_delete(actor: CurrentActor, policy_id: RecordId) -> Response[Any]:
    """Remove a policy."""

    async def run() -> None:
        await policies.delete_policy(actor, policy_id)

    return await _submit(actor, {}, run)


@post("/settings/sla/week", include_in_schema=False)
async def week_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Save the weekly hours."""
    form = await read_form(request)

    async def run() -> None:
        await calendar.set_week(actor, WeekIn(**{d: str(form.get(d, ""))[:200] for d in WEEKDAYS}))

    return await _submit(actor, form, run)


@post("/settings/sla/days", include_in_schema=False)
async def day_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Add or change an exception day; with «delete», give the date its weekday back."""
    form = await read_form(request)

    async def run() -> None:
        try:
            day = dt.date.fromisoformat(str(form.get("day", "")).strip()[:10])
        except ValueError:
            raise InvalidInput("Choose a day", field="day") from None
        if form.get("delete"):
            await calendar.delete_day(actor, day)
            return
        kind = str(form.get("kind", ""))
        if kind not in {k.value for k in DayKind}:
            raise InvalidInput("Choose what the day is", field="kind")
        data = DayIn(
            kind=DayKind(kind),
            hours=str(form.get("hours", ""))[:200],
            note=str(form.get("note", ""))[:200],
        )
        await calendar.set_day(actor, day, data)

    return await _submit(actor, form, run)


handlers = [
    late_page,
    settings_page,
    policy_create,
    policy_update,
    policy_delete,
    week_submit,
    day_submit,
]
