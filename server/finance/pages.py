"""The finance pages: the period's income, expenses and profit with the chart, the expenses and
the form to post one (or reverse one); the receivables by age and by client; the settlements
with partners and each partner's reconciliation statement with the form to post an entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server import clock, formats
from server.actor import Actor
from server.errors import DomainError
from server.fieldaccess import level
from server.finance import categories, charts, expenses, receivables, settlements, summary
from server.finance.controllers import period
from server.finance.schemas import ExpenseIn, PartnerEntryIn, ReversalIn
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, convert, date_of, decimal_of, errors_of, read_form
from server.web.templating import page_context

T = TypeVar("T")
AnyText = Annotated[str, QueryParameter()]  # any text passes; the handler judges it


def _asked_period(
    asked: dict[str, str], errors: dict[str, str]
) -> tuple[dt.date, dt.date, dict[str, str]]:
    """The period the page's filter asks for, or this month with the filter's errors."""
    try:
        first, last = period(
            date_of(asked.get("date_from", ""), "date_from"),
            date_of(asked.get("date_to", ""), "date_to"),
        )
        summary.check_period(first, last)
    except (FormError, DomainError) as error:
        return (*period(None, None), {**errors, **errors_of(error)})
    return first, last, errors


@get("/finance", include_in_schema=False)
async def finance_page(
    actor: CurrentActor, date_from: AnyText = "", date_to: AnyText = ""
) -> Template:
    """The period's figures, chart and expenses."""
    return await _finance(actor, {"date_from": date_from, "date_to": date_to}, {}, {})


async def _finance(
    actor: Actor,
    asked: dict[str, str],
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> Template:
    first, last, errors = _asked_period(asked, errors)
    figures = await summary.summary(actor, first, last)
    labels = [
        formats.date(p.start) if figures.step == "day" else p.start.strftime("%m.%Y")
        for p in figures.points
    ]
    context = page_context(
        actor,
        figures=figures,
        chart=charts.bars(figures.points, labels, gettext("Income and expenses")),
        listed=await expenses.list_expenses(actor, first, last),
        categories=[c for c in await categories.list_categories(actor) if c.is_active],
        errors=errors,
        values=values,
        can_create=actor.can(Section.FINANCE, Action.CREATE),
        can_date=level(actor, "expense", "day") == "write",
        today=clock.today().isoformat(),
    )
    return Template("finance/summary.html", context=context, status_code=status)


@post("/finance/expenses", include_in_schema=False)
async def expense_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Post an expense from the page's form."""
    form = await read_form(request)
    try:
        amount = decimal_of(form.get("amount", ""), "amount")
        category = str(form.get("category_id", ""))
        order = str(form.get("order_id", ""))
        data = {
            "category_id": int(category) if category.isdigit() else 0,
            "amount": amount,
            "day": date_of(str(form.get("day", "")), "day"),
            "description": str(form.get("description", ""))[:500],
            "order_id": int(order) if order.isdigit() and len(order) < 10 else None,
        }
        await expenses.create_expense(actor, convert(data, ExpenseIn))
    except (DomainError, FormError) as error:
        return await _finance(actor, {}, errors_of(error), form, 400)
    return Redirect("/finance")


@post("/finance/expenses/{expense_id:int}/reverse", include_in_schema=False)
async def expense_reverse(
    request: Request[Any, Any, Any], actor: CurrentActor, expense_id: RecordId
) -> Response[Any]:
    """Reverse an expense, with the reason."""
    form, errors, made = await _reversal(
        request, expense_id, lambda why: expenses.reverse_expense(actor, expense_id, why)
    )
    if made is None:
        return await _finance(actor, {}, errors, form, 400)
    return Redirect("/finance")


async def _reversal(
    request: Request[Any, Any, Any],
    record_id: int,
    undo: Callable[[ReversalIn], Awaitable[T]],
) -> tuple[dict[str, Any], dict[str, str], T | None]:
    """The form of a reversal and `undo` done with its reason; the errors under the record's
    reason field and None when refused, else no errors and the reversal made."""
    form = await read_form(request)
    reason = str(form.get("reason", "")).strip()[:500]
    try:
        if not reason:
            raise FormError({f"reason_{record_id}": gettext("Say why")})
        return form, {}, await undo(ReversalIn(reason=reason))
    except (DomainError, FormError) as error:
        errors = {
            (k if k.startswith("reason_") else f"reason_{record_id}"): v
            for k, v in errors_of(error).items()
        }
        return form, errors, None


@get("/finance/receivables", include_in_schema=False)
async def receivables_page(actor: CurrentActor) -> Template:
    """Who owes what, by how long ago the orders were handed over."""
    found = await receivables.receivables(actor)
    return Template("finance/receivables.html", context=page_context(actor, found=found))


@get("/finance/partners", include_in_schema=False)
async def partners_page(actor: CurrentActor) -> Template:
    """Where the center stands with each partner."""
    found = await settlements.balances(actor)
    context = page_context(actor, found=found, words=settlements.balance_words)
    return Template("finance/partners.html", context=context)


@get("/finance/partners/{partner_id:int}", include_in_schema=False)
async def partner_page(
    actor: CurrentActor, partner_id: RecordId, date_from: AnyText = "", date_to: AnyText = ""
) -> Template:
    """A partner's reconciliation statement over the period, and the form to post an entry."""
    return await _partner(actor, partner_id, {"date_from": date_from, "date_to": date_to}, {}, {})


async def _partner(
    actor: Actor,
    partner_id: int,
    asked: dict[str, str],
    errors: dict[str, str],
    values: dict[str, Any],
    status: int = 200,
) -> Template:
    first, last, errors = _asked_period(asked, errors)
    context = page_context(
        actor,
        found=await settlements.statement(actor, partner_id, first, last),
        words=settlements.balance_words,
        kinds=[(code, gettext(label)) for code, label in settlements.KIND_LABELS.items()],
        errors=errors,
        values=values,
        can_create=actor.can(Section.FINANCE, Action.EDIT),
        can_export=actor.can(Section.FINANCE, Action.EXPORT),
        sees_payroll=actor.can(Section.PAYROLL, Action.VIEW),
        today=clock.today().isoformat(),
    )
    return Template("finance/partner.html", context=context, status_code=status)


@post("/finance/partners/{partner_id:int}/entries", include_in_schema=False)
async def entry_submit(
    request: Request[Any, Any, Any], actor: CurrentActor, partner_id: RecordId
) -> Response[Any]:
    """Post a settlement entry from the statement page's form."""
    form = await read_form(request)
    try:
        order = str(form.get("order_id", ""))
        data = {
            "kind": str(form.get("kind", "")),
            "amount": decimal_of(form.get("amount", ""), "amount"),
            "day": date_of(str(form.get("day", "")), "day"),
            "description": str(form.get("description", ""))[:500],
            "order_id": int(order) if order.isdigit() and len(order) < 10 else None,
        }
        await settlements.post_entry(actor, partner_id, convert(data, PartnerEntryIn))
    except (DomainError, FormError) as error:
        return await _partner(actor, partner_id, {}, errors_of(error), form, 400)
    return Redirect(f"/finance/partners/{partner_id}")


@post("/finance/partner-entries/{entry_id:int}/reverse", include_in_schema=False)
async def entry_reverse(
    request: Request[Any, Any, Any], actor: CurrentActor, entry_id: RecordId
) -> Response[Any]:
    """Reverse a settlement entry, with the reason."""
    form, errors, made = await _reversal(
        request, entry_id, lambda why: settlements.reverse_entry(actor, entry_id, why)
    )
    if made is None:
        partner_id = await settlements.partner_of_entry(actor, entry_id)
        return await _partner(actor, partner_id, {}, errors, form, 400)
    partner_id = made.organization_id
    return Redirect(f"/finance/partners/{partner_id}")


handlers = [
    finance_page,
    expense_submit,
    expense_reverse,
    receivables_page,
    partners_page,
    partner_page,
    entry_submit,
    entry_reverse,
]
