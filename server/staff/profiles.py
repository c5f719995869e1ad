"""Managers edit field masters' profiles, weekly patterns and calendar exceptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from server import clock, geo
from server.actor import Actor
from server.audit import services as audit
from server.clients import api as clients
from server.errors import Forbidden, InvalidInput, NotFound
from server.i18n import N_, gettext
from server.piccolo_conf import DB
from server.staff import api, masters
from server.staff import master_validation as check
from server.staff.calendar import DEFAULTS, EXCEPTION_LABELS, ExceptionKind
from server.staff.master_schemas import (
    CalendarOut,
    ExceptionIn,
    ExceptionOut,
    MasterProfileIn,
    MasterProfileOut,
    Named,
    WeekdayOut,
)
from server.staff.permissions import Action, Section
from server.staff.services import system_actor
from server.staff.tables import CalendarException, MasterProfile, MasterWeekday

CALENDAR_DAYS = 14  # the calendar shown when no range is asked for


class MasterProfileService:
    """Profiles and calendars of field masters, for the caller."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    def may_read(self, employee_id: int) -> bool:
        """Staff viewers and planners read any master; a master reads their own."""
        actor = self.actor
        return (
            actor.can(Section.STAFF, Action.VIEW)
            or masters.is_planner(actor)
            or actor.employee_id == employee_id
        )

    def may_edit(self) -> bool:
        """Who may change masters' profiles and calendars: staff editors, and the managers and
        dispatchers who plan the masters' days (dispatch edit with every order in sight)."""
        actor = self.actor
        planner = actor.can(Section.DISPATCH, Action.EDIT) and masters.is_planner(actor)
        return actor.can(Section.STAFF, Action.EDIT) or planner

    async def _master(self, employee_id: int, *, edit: bool = False) -> masters.MasterRow:
        if edit and not self.may_edit():
            self.actor.require(Section.STAFF, Action.EDIT)
        elif not edit and not self.may_read(employee_id):
            raise Forbidden("You may read only your own calendar")
        found = await masters.field_masters([employee_id])
        if not found:
            raise NotFound("No field master with id {id}", id=employee_id)
        return found[0]

    async def get_profile(self, employee_id: int) -> MasterProfileOut:
        """The master's profile, or the defaults they work by while they have none."""
        master = await self._master(employee_id)
        stored = await masters.calendars([employee_id], dt.date.min, dt.date.min)
        return await _profile_out(master, stored.profiles.get(employee_id), stored.weekdays)

    async def put_profile(self, employee_id: int, data: MasterProfileIn) -> MasterProfileOut:
        """Replace the master's profile and weekly pattern."""
        master = await self._master(employee_id, edit=True)
        check.profile(data)
        await _check_directories(data)
        values = await _place_values(data)
        values.update(
            {
                MasterProfile.shift_start: data.shift_start,
                MasterProfile.shift_end: data.shift_end,
                MasterProfile.lunch_start: data.lunch_start,
                MasterProfile.lunch_end: data.lunch_end,
                MasterProfile.lunch_minutes: data.lunch_minutes if data.lunch_start else 0,
                MasterProfile.device_type_ids: sorted(set(data.device_type_ids)),
                MasterProfile.brand_ids: sorted(set(data.brand_ids)),
                MasterProfile.max_visits: data.max_visits,
                MasterProfile.updated_at: dt.datetime.now(dt.UTC),
            }
        )
        async with DB.transaction():
            before = await _stored_profile(employee_id)
            if before is None:
                await MasterProfile.insert(MasterProfile(employee=employee_id, **_names(values)))
            else:
                await MasterProfile.update(values).where(MasterProfile.employee == employee_id)
            await MasterWeekday.delete().where(MasterWeekday.employee == employee_id)
            await MasterWeekday.insert(
                *[
                    MasterWeekday(
                        employee=employee_id,
                        weekday=w.weekday,
                        works=w.works,
                        shift_start=w.shift_start if w.works else None,
                        shift_end=w.shift_end if w.works else None,
                    )
                    for w in sorted(data.weekdays, key=lambda w: w.weekday)
                ]
            )
            after = await _stored_profile(employee_id)
            assert after is not None
            await audit.record(
                self.actor, "master_profile", employee_id, "update", audit.diff(before or {}, after)
            )
        stored = await masters.calendars([employee_id], dt.date.min, dt.date.min)
        return await _profile_out(master, stored.profiles.get(employee_id), stored.weekdays)

    async def calendar(
        self, employee_id: int, first_day: dt.date | None, last_day: dt.date | None
    ) -> CalendarOut:
        """The master's resolved days (two weeks from today by default) and the exceptions."""
        master = await self._master(employee_id)
        first = first_day or clock.today()
        last = last_day or first + dt.timedelta(days=CALENDAR_DAYS - 1)
        days = await api.master_days(system_actor(), first, last, [employee_id])
        rows = await (
            CalendarException.select()
            .where(
                CalendarException.employee == employee_id,
                CalendarException.first_day <= last,
                CalendarException.last_day >= first,
            )
            .order_by(CalendarException.first_day)
            .order_by(CalendarException.id)
        )
        return CalendarOut(
            employee_id=master.id,
            full_name=master.full_name,
            first_day=first,
            last_day=last,
            days=days,
            exceptions=[exception_out(r) for r in rows],
        )

    async def add_exception(self, employee_id: int, data: ExceptionIn) -> ExceptionOut:
        """Record a day off, vacation, sick leave or changed hours over a range of days."""
        await self._master(employee_id, edit=True)
        clean = check.exception(data)
        async with DB.transaction():
            row = (
                await CalendarException.insert(
                    CalendarException(
                        employee=employee_id,
                        kind=clean.kind.value,
                        first_day=clean.first_day,
                        last_day=clean.last_day,
                        shift_start=clean.shift_start,
                        shift_end=clean.shift_end,
                        comment=clean.comment,
                    )
                ).returning(*CalendarException.all_columns())
            )[0]
            await audit.record(
                self.actor,
                "calendar_exception",
                row["id"],
                "create",
                audit.diff({}, _exception_fields(row)),
                scope=f"master_profile:{employee_id}",
            )
        return exception_out(row)

    async def delete_exception(self, employee_id: int, exception_id: int) -> None:
        """Remove a calendar exception of the master."""
        await self._master(employee_id, edit=True)
        async with DB.transaction():
            row = await (
                CalendarException.select()
                .where(
                    CalendarException.id == exception_id,
                    CalendarException.employee == employee_id,
                )
                .first()
            )
            if row is None:
                raise NotFound("No calendar exception with id {id}", id=exception_id)
            await CalendarException.delete().where(CalendarException.id == exception_id)
            await audit.record(
                self.actor,
                "calendar_exception",
                exception_id,
                "delete",
                audit.diff(_exception_fields(row), {}),
                scope=f"master_profile:{employee_id}",
            )


def exception_out(row: dict[str, Any]) -> ExceptionOut:
    """A stored exception as the API shows it."""
    return ExceptionOut(
        id=row["id"],
        kind=row["kind"],
        label=gettext(EXCEPTION_LABELS[ExceptionKind(row["kind"])]),
        first_day=row["first_day"],
        last_day=row["last_day"],
        shift_start=row["shift_start"],
        shift_end=row["shift_end"],
        comment=row["comment"],
    )


def _exception_fields(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("kind", "first_day", "last_day", "shift_start", "shift_end", "comment")
    return {k: row[k] for k in keys}


def _names(values: dict[Any, Any]) -> dict[str, Any]:
    return {column._meta.name: value for column, value in values.items()}


async def _stored_profile(employee_id: int) -> dict[str, Any] | None:
    row = await MasterProfile.select().where(MasterProfile.employee == employee_id).first()
    if row is None:
        return None
    weekdays = await (
        MasterWeekday.select(
            MasterWeekday.weekday,
            MasterWeekday.works,
            MasterWeekday.shift_start,
            MasterWeekday.shift_end,
        )
        .where(MasterWeekday.employee == employee_id)
        .order_by(MasterWeekday.weekday)
    )
    skip = {"id", "employee", "updated_at"}
    return {**{k: v for k, v in row.items() if k not in skip}, "weekdays": weekdays}


async def _check_directories(data: MasterProfileIn) -> None:
    for kind, ids, field, message in (
        ("device_type", data.device_type_ids, "device_type_ids", N_("Unknown device types: {ids}")),
        ("brand", data.brand_ids, "brand_ids", N_("Unknown brands: {ids}")),
    ):
        known = await clients.directory_names(kind, ids)
        unknown = sorted(set(ids) - set(known))
        if unknown:
            raise InvalidInput(message, field=field, ids=", ".join(str(i) for i in unknown))


async def _place_values(data: MasterProfileIn) -> dict[Any, Any]:
    """Start and end places, geocoded where typed without coordinates."""
    start = await _place(data.start_address, data.start_lat, data.start_lon, "start")
    values: dict[Any, Any] = {
        MasterProfile.start_address: start[0],
        MasterProfile.start_lat: start[1],
        MasterProfile.start_lon: start[2],
        MasterProfile.end_same_as_start: data.end_same_as_start,
    }
    end: tuple[str, float | None, float | None] = ("", None, None)
    if not data.end_same_as_start:
        end = await _place(data.end_address, data.end_lat, data.end_lon, "end")
    values[MasterProfile.end_address] = end[0]
    values[MasterProfile.end_lat] = end[1]
    values[MasterProfile.end_lon] = end[2]
    return values


async def _place(
    address: str, lat: float | None, lon: float | None, prefix: str
) -> tuple[str, float | None, float | None]:
    """A place as stored; a typed place the geocoder cannot find keeps no coordinates (and
    is shown as not located)."""
    text = " ".join(address.split())
    if lat is not None or not text:
        return text, lat, lon
    if not geo.configured():
        raise InvalidInput(
            "No geocoder is configured: type the coordinates of the place", field=f"{prefix}_lat"
        )
    found = await geo.locate(text)
    return (text, found.lat, found.lon) if found.found else (text, None, None)


async def _profile_out(
    master: masters.MasterRow,
    row: dict[str, Any] | None,
    weekdays: dict[int, dict[int, dict[str, Any]]],
) -> MasterProfileOut:
    device_types = await clients.directory_names(
        "device_type", row["device_type_ids"] if row else ()
    )
    brands = await clients.directory_names("brand", row["brand_ids"] if row else ())
    place = masters.places(row)
    pattern = weekdays.get(master.id, {})
    if pattern:
        days = [
            WeekdayOut(
                d, bool(pattern[d]["works"]), pattern[d]["shift_start"], pattern[d]["shift_end"]
            )
            if d in pattern
            else WeekdayOut(d, False, None, None)
            for d in range(7)
        ]
    else:
        days = [WeekdayOut(d, d in DEFAULTS.workdays, None, None) for d in range(7)]
    return MasterProfileOut(
        employee_id=master.id,
        full_name=master.full_name,
        is_default=row is None,
        shift_start=row["shift_start"] if row else DEFAULTS.shift_start,
        shift_end=row["shift_end"] if row else DEFAULTS.shift_end,
        lunch_start=row["lunch_start"] if row else DEFAULTS.lunch_start,
        lunch_end=row["lunch_end"] if row else DEFAULTS.lunch_end,
        lunch_minutes=row["lunch_minutes"] if row else DEFAULTS.lunch_minutes,
        start_address=place.start_address,
        start_lat=place.start_lat,
        start_lon=place.start_lon,
        start_located=place.start_lat is not None,
        end_same_as_start=bool(row["end_same_as_start"]) if row else True,
        end_address=place.end_address,
        end_lat=place.end_lat,
        end_lon=place.end_lon,
        end_located=place.end_lat is not None,
        device_types=[Named(i, n) for i, n in device_types.items()],
        brands=[Named(i, n) for i, n in brands.items()],
        manufacturers=list(master.manufacturers),
        max_visits=row["max_visits"] if row else None,
        weekdays=days,
        geocoder=geo.configured(),
    )
