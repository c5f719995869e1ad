"""The page of addresses without coordinates: a dispatcher types them or fixes the text."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from server.actor import Actor
from server.clients.address_schemas import AddressPatch
from server.clients.address_service import AddressService
from server.clients.choices import GEO_STATUS_COLORS
from server.errors import InvalidInput
from server.guards import CurrentActor
from server.i18n import gettext
from server.params import RecordId
from server.staff.permissions import Action, Section
from server.web.forms import FormError, errors_of, read_form
from server.web.templating import page_context

PageCursor = Annotated[str | None, QueryParameter(max_length=500)]
Saved = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]
PAGE = "/clients/addresses/unlocated"
_NUMBER = r"(-?\d{1,3}(?:[.,]\d+)?)"
POINT = re.compile(rf"^\s*{_NUMBER}\s*[,;\s]\s*{_NUMBER}\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """«55.7558, 37.6173» (as copied from a map; decimal commas too) as (lat, lon); None for
    an empty field."""
    if not text.strip():
        return None
    found = POINT.match(text)
    if found is None:
        raise InvalidInput("Type the latitude and longitude, e.g. 55.7558, 37.6173", field="point")
    lat, lon = (float(g.replace(",", ".")) for g in found.groups())
    return lat, lon


def form_patch(form: dict[str, Any]) -> AddressPatch:
    """The change a row's form asks for: «search again», or the text and typed coordinates."""
    text = str(form.get("address", ""))[:1000].strip()
    if form.get("action") == "retry":
        return AddressPatch(address=text, retry=True) if text else AddressPatch(retry=True)
    point = parse_point(str(form.get("point", ""))[:100])
    if not text:
        raise InvalidInput("This field is required", field="address")
    if point is None:
        return AddressPatch(address=text)
    return AddressPatch(address=text, lat=point[0], lon=point[1])


def _shown_errors(errors: dict[str, str]) -> dict[str, str]:
    """Service errors by the form's fields: coordinates go to the one «point» field."""
    return {("point" if key in ("lat", "lon") else key or "point"): v for key, v in errors.items()}


async def _page(
    actor: Actor,
    cursor: str | None,
    *,
    saved: int | None = None,
    failed: int | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    page = await AddressService(actor).unlocated(cursor, 50)
    context = page_context(
        actor,
        page=page,
        cursor=cursor,
        colors=GEO_STATUS_COLORS,
        can_edit=actor.can(Section.CLIENTS, Action.EDIT),
        notice=gettext("Saved") if saved else None,
        failed=failed,
        errors=errors or {},
        values=values or {},
    )
    return Template("clients/unlocated.html", context=context, status_code=status_code)


@get(PAGE, include_in_schema=False)
async def unlocated_page(
    actor: CurrentActor, cursor: PageCursor = None, saved: Saved = None
) -> Template:
    """Addresses without coordinates, each with a form to type them or fix the text."""
    return await _page(actor, cursor, saved=saved)


@post("/clients/{client_id:int}/addresses/{address_id:int}/fix", include_in_schema=False)
async def address_fix(
    request: Request[Any, Any, Any], actor: CurrentActor, client_id: RecordId, address_id: RecordId
) -> Response[Any]:
    """Save a row of the page: typed coordinates, a fixed text, or «search again»."""
    form = await read_form(request)
    cursor = str(form.get("cursor", ""))[:500] or None
    try:
        await AddressService(actor).fix(client_id, address_id, form_patch(form))
    except (InvalidInput, FormError) as error:  # refusals (403, 404) answer as such
        values = {k: str(form.get(k, ""))[:1000] for k in ("address", "point")}
        errors = _shown_errors(errors_of(error))
        return await _page(
            actor, cursor, failed=address_id, errors=errors, values=values, status_code=400
        )
    back = f"{PAGE}?saved={address_id}"
    return Redirect(back + (f"&cursor={quote(cursor, safe='')}" if cursor else ""))


handlers = [unlocated_page, address_fix]
