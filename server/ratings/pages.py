"""Pages of ratings: the client's form behind a link (/rate/<token>, public), the ratings
page (/ratings, orders:view) and the settings (/settings/ratings)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import MediaType, Request, get, post
from litestar.params import PathParameter, QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.errors import DomainError, InvalidInput, error_body
from server.guards import CurrentActor
from server.orders import api as orders
from server.params import MAX_ID
from server.ratings import public, services, settings
from server.ratings.choices import ASPECT_LABELS, CHANNEL_LABELS, SCORES, Aspect
from server.ratings.controllers import filters
from server.ratings.schemas import RatingSettingsIn
from server.ratings.services import RatingFilters
from server.staff import api as staff
from server.staff.permissions import Action, Capability, Section
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

Token = Annotated[
    str, PathParameter(description="The link's token (any length: a wrong one is the neutral page)")
]
OptionalId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Month = Annotated[str, QueryParameter(max_length=7)]
Score = Annotated[int | None, QueryParameter(ge=1, le=5)]
NEUTRAL_STATUS = 404
PUBLIC = {"public": True, "exclude_from_csrf": True}  # the token in the path is the secret


def _neutral() -> Template:
    """The one answer for a used, expired or unknown link (nothing order-specific in it)."""
    return Template("ratings/gone.html", context=page_context(None), status_code=NEUTRAL_STATUS)


def _form(token: str, form: public.RateForm, errors: dict[str, str], values: dict[str, Any],
          status: int = 200) -> Template:  # fmt: skip
    context = page_context(
        None, token=token, form=form, errors=errors, values=values, scores=SCORES
    )
    return Template("ratings/rate.html", context=context, status_code=status)


@get("/rate/{token:str}", opt=PUBLIC, include_in_schema=False)
async def rate_page(token: Token) -> Template:
    """The rating form behind a client's link, or the neutral page."""
    form = await public.form(token)
    if form is None:
        return _neutral()
    return _form(token, form, {}, {})


async def _posted(request: Request[Any, Any, Any]) -> tuple[dict[str, Any], bool]:
    if request.content_type[0] == MediaType.JSON:
        try:
            data = await request.json()
        except Exception:  # a body that is no JSON is a bad input, named
            raise InvalidInput("Send the score and the comment as JSON", field="score") from None
        return (data if isinstance(data, dict) else {}), True
    return await read_form(request), False


@post("/rate/{token:str}", opt=PUBLIC, include_in_schema=False, status_code=200)
async def rate_submit(request: Request[Any, Any, Any], token: Token) -> Response[Any]:
    """Record the rating (`score` 1–5, `comment`; a form or JSON): the thank-you page."""
    is_json = request.content_type[0] == MediaType.JSON
    try:
        data, is_json = await _posted(request)
        recorded = await public.submit(token, data)
    except InvalidInput as error:
        if is_json:
            errors = [{"field": error.field or "score", "message": error.text()}]
            return Response(error_body(error.text(), errors), status_code=422)
        form = await public.form(token)
        if form is None:
            return _neutral()
        values = data if isinstance(data, dict) else {}
        return _form(token, form, errors_of(error), values, 422)
    if not recorded:
        return _neutral()
    return Template("ratings/thanks.html", context=page_context(None))


def all_orders(actor: Actor) -> bool:
    return actor.has(Capability.ALL_ORDERS)


def _page_filters(
    month: str, employee: int | None, service_center: int | None, score: int | None
) -> RatingFilters:
    return filters(month or services.this_month(), employee, service_center, score)


@get("/ratings", include_in_schema=False)
async def ratings_page(
    actor: CurrentActor,
    month: Month = "",
    employee: OptionalId = None,
    service_center: OptionalId = None,
    score: Score = None,
) -> Template:
    """Ratings per technician and per partner service center, with filters and export."""
    try:
        chosen = _page_filters(month, employee, service_center, score)
        found = await services.report(actor, chosen)
        listed = await services.list_ratings(actor, chosen)
        error = ""
    except InvalidInput as failure:
        chosen = RatingFilters(month=services.this_month())
        found = await services.report(actor, chosen)
        listed = await services.list_ratings(actor, chosen)
        error = failure.text()
    employees = [
        e for e in await staff.active_employees() if all_orders(actor) or e.id == actor.employee_id
    ]
    centers = await services.partner_names(
        {g.id for g in found.service_centers if g.id is not None}
    )
    context = page_context(
        actor,
        report=found,
        listed=listed,
        chosen=chosen,
        employees=employees,
        centers=centers,
        scores=SCORES,
        error=error,
        can_export=actor.can(Section.ORDERS, Action.EXPORT),
    )
    return Template("ratings/list.html", context=context)


async def _settings(actor: Actor, errors: dict[str, str], status: int = 200) -> Template:
    current = await settings.read(actor)
    context = page_context(
        actor,
        current=current,
        statuses=await orders.statuses(),
        channels=CHANNEL_LABELS,
        aspects=[(a.value, ASPECT_LABELS[a]) for a in Aspect],
        errors=errors,
        can_edit=actor.can(Section.SETTINGS, Action.EDIT),
    )
    return Template("ratings/settings.html", context=context, status_code=status)


@get("/settings/ratings", include_in_schema=False)
async def settings_page(actor: CurrentActor) -> Template:
    """When clients are asked to rate, on which channels, and what is a low rating."""
    return await _settings(actor, {})


def _listed(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


@post("/settings/ratings", include_in_schema=False)
async def settings_submit(request: Request[Any, Any, Any], actor: CurrentActor) -> Response[Any]:
    """Save the ratings settings."""
    form = await read_form(request)
    data = {
        "statuses": _listed(form.get("statuses")),
        "channels": _listed(form.get("channels")),
        "link_days": form.get("link_days", "30"),
        "low_threshold": form.get("low_threshold", "3"),
        "aspects": form.get("aspects") in ("1", "on"),
    }
    try:
        await settings.save(actor, convert(data, RatingSettingsIn))
    except (DomainError, FormError) as error:
        return await _settings(actor, errors_of(error), 400)
    return Redirect("/settings/ratings")


public_handlers = [rate_page, rate_submit]
handlers = [ratings_page, settings_page, settings_submit]
