"""The field master's page on the employee card: profile, weekly pattern, calendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Response, Template

from server import formats
from server.clients import api as clients
from server.errors import DomainError
from server.guards import CurrentActor
from server.i18n import N_, gettext
from server.params import Flag, RecordId
from server.staff.calendar import ABSENCE_LABELS, EXCEPTION_LABELS
from server.staff.master_schemas import ExceptionIn, MasterProfileIn
from server.staff.profiles import MasterProfileService
from server.web.forms import FormError, convert, errors_of, read_form
from server.web.templating import page_context

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_TIME = re.compile(r"^\d{1,2}:\d{2}$")


def _time(form: dict[str, Any], key: str) -> str | None:
    """A time input ("08:30") in the form msgspec reads; empty is None, garbage stays."""
    value = str(form.get(key, "")).strip()
    if not value:
        return None
    return f"{value}:00" if _TIME.match(value) else value


def _number(form: dict[str, Any], key: str, kind: type[int] | type[float]) -> Any:
    value = str(form.get(key, "")).strip().replace(",", ".")
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        raise FormError({key: gettext("Enter a number")}) from None


def _ids(form: dict[str, Any], key: str) -> list[int]:
    value = form.get(key, [])
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if str(v).isdigit()]


def profile_form(form: dict[str, Any]) -> dict[str, Any]:
    """The posted profile as the API's MasterProfileIn fields."""
    weekdays = [
        {
            "weekday": d,
            "works": form.get(f"works_{d}") == "1",
            "shift_start": _time(form, f"start_{d}"),
            "shift_end": _time(form, f"end_{d}"),
        }
        for d in range(7)
    ]
    same = form.get("end_same_as_start") == "1"
    return {
        "shift_start": _time(form, "shift_start"),
        "shift_end": _time(form, "shift_end"),
        "lunch_start": _time(form, "lunch_start"),
        "lunch_end": _time(form, "lunch_end"),
        "lunch_minutes": _number(form, "lunch_minutes", int) or 0,
        "start_address": str(form.get("start_address", "")),
        "start_lat": _number(form, "start_lat", float),
        "start_lon": _number(form, "start_lon", float),
        "end_same_as_start": same,
        "end_address": "" if same else str(form.get("end_address", "")),
        "end_lat": None if same else _number(form, "end_lat", float),
        "end_lon": None if same else _number(form, "end_lon", float),
        "device_type_ids": _ids(form, "device_type_ids"),
        "brand_ids": _ids(form, "brand_ids"),
        "max_visits": _number(form, "max_visits", int),
        "weekdays": weekdays,
    }


def _hhmm(value: Any) -> str:
    """ "08:30" of a time or of "08:30:00"; empty for None."""
    if value is None:
        return ""
    return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value)[:5]


def _day_label(day: dt.date) -> str:
    """«Пн 03.03.2027»."""
    return f"{gettext(WEEKDAYS[day.weekday()])} {formats.date(day)}"


async def _page(
    service: MasterProfileService,
    employee_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    exception_values: dict[str, Any] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Template:
    profile = await service.get_profile(employee_id)
    calendar = await service.calendar(employee_id, None, None)
    if values is None:
        values = msgspec.structs.asdict(profile)
        values["device_type_ids"] = [d.id for d in profile.device_types]
        values["brand_ids"] = [b.id for b in profile.brands]
        values["weekdays"] = [msgspec.structs.asdict(w) for w in profile.weekdays]
    chosen_types, chosen_brands = set(values["device_type_ids"]), set(values["brand_ids"])
    device_types = await clients.directory_names("device_type")
    brands = await clients.directory_names("brand")
    # Chosen entries stay listed even when archived since.
    device_types |= {d.id: d.name for d in profile.device_types if d.id not in device_types}
    brands |= {b.id: b.name for b in profile.brands if b.id not in brands}
    context = page_context(
        service.actor,
        profile=profile,
        values=values,
        errors=errors or {},
        exception_values=exception_values or {"kind": "day_off"},
        calendar=calendar,
        device_types=device_types,
        brands=brands,
        chosen_types=chosen_types,
        chosen_brands=chosen_brands,
        weekdays=WEEKDAYS,
        kinds=EXCEPTION_LABELS,
        absences=ABSENCE_LABELS,
        hhmm=_hhmm,
        day_label=_day_label,
        can_edit=service.may_edit(),
        notice=notice,
    )
    return Template("staff/master_profile.html", context=context, status_code=status_code)


@get("/staff/employees/{employee_id:int}/master", include_in_schema=False)
async def master_page(actor: CurrentActor, employee_id: RecordId, saved: Flag = False) -> Template:
    """The master's profile, weekly pattern and the next two weeks."""
    notice = gettext("Saved") if saved else None
    return await _page(MasterProfileService(actor), employee_id, notice=notice)


@post("/staff/employees/{employee_id:int}/master", include_in_schema=False)
async def master_save(
    request: Request[Any, Any, Any], actor: CurrentActor, employee_id: RecordId
) -> Response[Any]:
    """Save the profile form; errors are shown next to their fields, the input kept."""
    service = MasterProfileService(actor)
    form = await read_form(request)
    data: dict[str, Any] = {}
    try:
        data = profile_form(form)
        await service.put_profile(employee_id, convert(data, MasterProfileIn))
    except (DomainError, FormError) as error:
        values = data or {"device_type_ids": [], "brand_ids": [], "weekdays": []}
        values = {**values, "weekdays": values.get("weekdays") or []}
        return await _page(service, employee_id, values, errors_of(error), status_code=400)
    return Redirect(f"/staff/employees/{employee_id}/master?saved=1")


@post("/staff/employees/{employee_id:int}/master/exceptions", include_in_schema=False)
async def master_add_exception(
    request: Request[Any, Any, Any], actor: CurrentActor, employee_id: RecordId
) -> Response[Any]:
    """Add a day off, vacation, sick leave or changed hours from the form."""
    service = MasterProfileService(actor)
    form = await read_form(request)
    data = {  # the fields are x_-prefixed on the page, apart from the profile's
        "kind": str(form.get("x_kind", "")),
        "first_day": str(form.get("x_first_day", "")).strip() or None,
        "last_day": str(form.get("x_last_day", "")).strip() or None,
        "shift_start": _time(form, "x_shift_start"),
        "shift_end": _time(form, "x_shift_end"),
        "comment": str(form.get("x_comment", "")),
    }
    try:
        await service.add_exception(employee_id, convert(data, ExceptionIn))
    except (DomainError, FormError) as error:
        errors = {f"x_{k}" if k else k: v for k, v in errors_of(error).items()}
        return await _page(service, employee_id, None, errors, data, status_code=400)
    return Redirect(f"/staff/employees/{employee_id}/master?saved=1#calendar")


@post(
    "/staff/employees/{employee_id:int}/master/exceptions/{exception_id:int}/delete",
    include_in_schema=False,
)
async def master_delete_exception(
    actor: CurrentActor, employee_id: RecordId, exception_id: RecordId
) -> Redirect:
    """Remove a calendar exception."""
    await MasterProfileService(actor).delete_exception(employee_id, exception_id)
    return Redirect(f"/staff/employees/{employee_id}/master?saved=1#calendar")


handlers = [master_page, master_save, master_add_exception, master_delete_exception]
