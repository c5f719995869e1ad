"""The payroll pages: periods (make one, open it: everyone it pays, adjust, approve, lock,
download the sheets), the rules and their form, and one's own figures."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import PathParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import OptionalId, RecordId
from server.partners import api as partners
from server.payroll import periods, reading, rules
from server.payroll.schemas import AdjustmentIn, PeriodIn, RuleIn
from server.staff import api as staff
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, decimal_of, errors_of, read_form
from server.web.templating import page_context

Step = Annotated[
    str, PathParameter(pattern="^(compute|approve|reopen|lock|adjust)$", description="What to do")
]


@get("/payroll", include_in_schema=False)
async def payroll_page(actor: CurrentActor) -> Template:
    """The periods and the button to make this month's."""
    return await _list(actor, {})


async def _list(actor: Actor, errors: dict[str, str], status: int = 200) -> Template:
    context = page_context(
        actor,
        found=await reading.list_periods(actor),
        errors=errors,
        can_create=actor.can(Section.PAYROLL, Action.CREATE),
    )
    return Template("payroll/periods.html", context=context, status_code=status)


@post("/payroll/periods", include_in_schema=False)
async def period_create(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Make the current month's period (or the one asked) and open it."""
    form = await read_form(request)
    try:
        data = convert({k: form[k] for k in ("first_day", "last_day") if form.get(k)}, PeriodIn)
        period_id = await periods.create_period(actor, data)
    except (DomainError, FormError) as error:
        return await _list(actor, errors_of(error), 400)
    return Redirect(f"/payroll/periods/{period_id}")


@get("/payroll/periods/{period_id:int}", include_in_schema=False)
async def period_page(
    actor: CurrentActor,
    period_id: RecordId,
    employee_id: OptionalId = None,
    organization_id: OptionalId = None,
) -> Template:
    """Everyone the period pays, one payee's lines when chosen, and what may be done."""
    only = reading.payee_of(employee_id, organization_id)
    return await _period(actor, period_id, {}, {}, only=only)


async def _period(
    actor: Actor,
    period_id: int,
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
    only: tuple[str, int] | None = None,
) -> Template:
    context = page_context(
        actor,
        period=await reading.period_out(actor, period_id, only or ("", 0)),
        only=only,
        KIND_LABELS=reading.KIND_LABELS,
        employees=await staff.active_employees(),
        errors=errors,
        values=values,
        can_edit=actor.can(Section.PAYROLL, Action.EDIT),
        can_create=actor.can(Section.PAYROLL, Action.CREATE),
        can_export=actor.can(Section.PAYROLL, Action.EXPORT),
    )
    return Template("payroll/period.html", context=context, status_code=status)


@post("/payroll/periods/{period_id:int}/{step:str}", include_in_schema=False)
async def period_step(
    request: Request[Any, Any, Any], actor: CurrentActor, period_id: RecordId, step: Step
) -> Response[Any]:
    """Compute, approve, reopen or lock the period, or add a bonus or deduction."""
    form = await read_form(request)
    try:
        if step == "adjust":
            employee = str(form.get("employee_id", ""))
            data = {
                "kind": str(form.get("kind", "bonus")),
                "amount": decimal_of(form.get("amount", ""), "amount"),
                "reason": str(form.get("reason", "")).strip()[:300],
                "employee_id": int(employee) if employee.isdigit() else None,
            }
            if not data["reason"]:
                raise FormError({"reason": gettext("Say why")})
            await periods.adjust(actor, period_id, convert(data, AdjustmentIn))
        else:
            steps = {"compute": periods.compute, "approve": periods.approve,
                     "reopen": periods.reopen, "lock": periods.lock}  # fmt: skip
            if step not in steps:
                raise FormError({"": gettext("Choose one of the offered values")})
            await steps[step](actor, period_id)
    except (DomainError, FormError) as error:
        status = error.status_code if isinstance(error, DomainError) else 400
        return await _period(actor, period_id, errors_of(error), form, status)
    return Redirect(f"/payroll/periods/{period_id}")


@get("/payroll/rules", include_in_schema=False)
async def rules_page(actor: CurrentActor) -> Template:
    """The rules and the form to set one."""
    return await _rules(actor, {}, {"base_kind": "none"})


async def _rules(
    actor: Actor, errors: dict[str, str], values: dict[str, Any], status: int = 200
) -> Template:
    context = page_context(
        actor,
        found=await rules.list_rules(actor),
        roles=await staff.role_names(),
        employees=await staff.active_employees(),
        partners=await partners.organizations("service_center"),
        errors=errors,
        values=values,
        can_edit=actor.can(Section.PAYROLL, Action.EDIT),
    )
    return Template("payroll/rules.html", context=context, status_code=status)


@post("/payroll/rules", include_in_schema=False)
async def rule_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Set a rule from the form."""
    form = await read_form(request)
    try:
        target = str(form.get("target", ""))
        kind, _, key = target.partition(":")
        data: dict[str, Any] = {
            "base_kind": str(form.get("base_kind", "none")),
            "base_amount": decimal_of(form.get("base_amount", ""), "base_amount"),
            "work_percent": decimal_of(form.get("work_percent", ""), "work_percent"),
            "margin_percent": decimal_of(form.get("margin_percent", ""), "margin_percent"),
            "per_line": {
                k: decimal_of(form.get(f"per_{k}", ""), f"per_{k}")
                for k in ("service", "part", "good")
                if str(form.get(f"per_{k}", "")).strip()
            },
        }
        if kind == "role":
            data["role_code"] = key
        elif kind in ("employee", "partner") and key.isdigit():
            data["employee_id" if kind == "employee" else "organization_id"] = int(key)
        brand = str(form.get("brand", "")).strip()
        if brand:
            factor = decimal_of(form.get("brand_factor", ""), "brand_factor")
            data["coefficients"] = [{"kind": "brand", "key": brand, "factor": factor}]
        await rules.save_rule(actor, convert(data, RuleIn))
    except (DomainError, FormError) as error:
        found = errors_of(error)
        renamed = {("target" if k in ("role_code", "employee_id", "organization_id") else k): v
                   for k, v in found.items()}  # fmt: skip
        return await _rules(actor, renamed, form, 400)
    return Redirect("/payroll/rules")


@get("/payroll/me", include_in_schema=False)
async def my_page(actor: CurrentActor) -> Template:
    """One's own figures of the month so far."""
    figures = await reading.my_figures(actor)
    context = page_context(actor, figures=figures, KIND_LABELS=reading.KIND_LABELS)
    return Template("payroll/me.html", context=context)


handlers = [payroll_page, period_create, period_page, period_step, rules_page, rule_submit, my_page]
