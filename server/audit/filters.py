"""What the audit log is filtered by: who, which kind of record (or one record), which days."""

from __future__ import annotations

import datetime as dt

import msgspec

from server import clock
from server.audit.labels import ENTITY_LABELS
from server.errors import InvalidInput

LONGEST_PERIOD = dt.timedelta(days=3660)


class AuditFilters(msgspec.Struct, frozen=True):
    """Checked filters; days are the center's days, `until` included."""

    employee_id: int | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def moments(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as UTC moments: from the start of `since` to the end of `until`."""
        zone = clock.zone()

        def start(day: dt.date | None) -> dt.datetime | None:
            return None if day is None else dt.datetime.combine(day, dt.time.min, tzinfo=zone)

        end = start(self.until + dt.timedelta(days=1)) if self.until else None
        return start(self.since), end


def _day(text: str, field: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Enter a date like 2026-11-23", field=field) from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise InvalidInput("Enter a date like 2026-11-23", field=field)
    return day


def clean_filters(
    employee: str = "", entity: str = "", entity_id: str = "", since: str = "", until: str = ""
) -> AuditFilters:
    """Filters from what a person chose or typed; each error names its field."""
    employee = employee.strip()
    if employee and not (employee.isdigit() and 0 < int(employee) < 2**31):
        raise InvalidInput("Choose an employee from the list", field="employee")
    entity = entity.strip()
    if entity and entity not in ENTITY_LABELS:
        raise InvalidInput("Choose a kind of record from the list", field="entity")
    entity_id = entity_id.strip()
    if entity_id and (not entity or len(entity_id) > 50):
        raise InvalidInput("Choose a kind of record from the list", field="entity")
    first, last = _day(since, "since"), _day(until, "until")
    if first and last and first > last:
        raise InvalidInput("The period ends before it starts", field="until")
    return AuditFilters(
        employee_id=int(employee) if employee else None,
        entity=entity or None,
        entity_id=entity_id or None,
        since=first,
        until=last,
    )
