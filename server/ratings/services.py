"""Reading ratings: the list with its average, and the report per technician and per partner
service center (monthly average, count, distribution, six months' trend), always through
the orders' scope of the reader and their field access.

A rating is a fact of an order: whoever may read the order may read its rating (a
technician their own orders' ratings, a manager all), so the gate is orders:view and the
orders' scope (`orders.api.orders_in_scope`), not a section of its own. The ratings that
match the filters are read as (id, order, score) first, kept when their order is in scope,
and only then counted and paged: the average and the page never include an order the
reader cannot see, in a fixed number of queries.
"""

from __future__ import annotations

import io
import re
from typing import Any

import anyio.to_thread
import msgspec

import printforms
from server import clock
from server.actor import Actor
from server.errors import Forbidden, InvalidInput
from server.fieldaccess import hidden_fields
from server.i18n import N_, gettext
from server.orders import api as orders
from server.partners import api as partners
from server.ratings.choices import SCORES
from server.ratings.schemas import GroupStats, RatingList, RatingOut, RatingReport
from server.ratings.tables import Rating
from server.staff import api as staff
from server.staff.permissions import Action, Section

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TREND_MONTHS = 6
PAGE = 50


class RatingFilters(msgspec.Struct, frozen=True):
    """What the list and the report are narrowed to."""

    month: str = ""
    employee_id: int | None = None
    service_center_id: int | None = None
    score: int | None = None


def check_month(value: str, field: str = "month") -> str:
    """YYYY-MM, or empty."""
    value = value.strip()
    if value and not MONTH.match(value):
        raise InvalidInput("Enter a month as YYYY-MM, e.g. 2026-11", field=field)
    return value


def this_month() -> str:
    return clock.now().strftime("%Y-%m")


def months_back(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first."""
    year, number = int(month[:4]), int(month[5:])
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{number:02d}")
        number -= 1
        if number == 0:
            year, number = year - 1, 12
    return found[::-1]


def _hidden(actor: Actor) -> frozenset[str]:
    return hidden_fields(actor, "order")


def _check_filters(actor: Actor, filters: RatingFilters) -> None:
    hidden = _hidden(actor)
    if filters.employee_id is not None and "technician_id" in hidden:
        raise Forbidden(
            "You may not filter by a field hidden from you: «{field}»", field="employee_id"
        )
    if filters.score is not None and filters.score not in SCORES:
        raise InvalidInput("Choose a score from 1 to 5", field="score")


async def _matching(
    actor: Actor, filters: RatingFilters, months: list[str] | None = None
) -> list[dict[str, Any]]:
    """(id, order, score, month, technician, service center) of the ratings that match and
    whose order the actor may read, newest first (two queries)."""
    actor.require(Section.ORDERS, Action.VIEW)
    query = Rating.select(
        Rating.id,
        Rating.order,
        Rating.score,
        Rating.month,
        Rating.technician,
        Rating.service_center,
    )
    if months is not None:
        query = query.where(Rating.month.is_in(months))
    elif filters.month:
        query = query.where(Rating.month == filters.month)
    if filters.employee_id is not None:
        query = query.where(Rating.technician == filters.employee_id)
    if filters.service_center_id is not None:
        query = query.where(Rating.service_center == filters.service_center_id)
    if filters.score is not None:
        query = query.where(Rating.score == filters.score)
    rows = await query.order_by(Rating.created_at, ascending=False).order_by(
        Rating.id, ascending=False
    )
    if not rows:
        return []
    readable = await orders.orders_in_scope(actor, {r["order"] for r in rows})
    return [r for r in rows if r["order"] in readable]


def _summary(rows: list[dict[str, Any]]) -> tuple[float | None, int, dict[str, int]]:
    distribution = {str(s): 0 for s in SCORES}
    for r in rows:
        distribution[str(r["score"])] += 1
    count = len(rows)
    average = round(sum(r["score"] for r in rows) / count, 2) if count else None
    return average, count, distribution


async def partner_names(ids: set[int]) -> dict[int, str]:
    """{id: name} of partner service centers."""
    return await partners.names(ids)


async def list_ratings(
    actor: Actor, filters: RatingFilters, cursor: int | None = None, limit: int = PAGE
) -> RatingList:
    """The ratings the actor may read that match, newest first, with the average, count and
    distribution of all of them; `cursor` is the `next` of the previous page."""
    _check_filters(actor, filters)
    rows = await _matching(actor, filters)
    average, count, distribution = _summary(rows)
    start = 0
    if cursor is not None:  # the first rating of the page (gone from reach: the list's end)
        start = next((i for i, r in enumerate(rows) if r["id"] == cursor), len(rows))
    page = rows[start : start + limit]
    more = rows[start + limit] if len(rows) > start + limit else None
    items = await _items(actor, [r["id"] for r in page])
    return RatingList(
        items=items,
        average=average,
        count=count,
        distribution=distribution,
        next=more["id"] if more else None,
    )


async def _items(actor: Actor, rating_ids: list[int]) -> list[RatingOut]:
    if not rating_ids:
        return []
    rows = await Rating.select().where(Rating.id.is_in(rating_ids)).output(load_json=True)
    by_id = {r["id"]: r for r in rows}
    refs = await orders.order_refs(actor, [r["order"] for r in rows])
    hidden = _hidden(actor)
    show_technician = "technician_id" not in hidden
    technicians = (
        await staff.names({r["technician"] for r in rows if r["technician"]})
        if show_technician
        else {}
    )
    centers = await partner_names({r["service_center"] for r in rows if r["service_center"]})
    items = []
    for rating_id in rating_ids:
        row = by_id[rating_id]
        ref = refs.get(row["order"])
        if ref is None:
            continue
        item = RatingOut(
            id=row["id"],
            order_id=row["order"],
            order_number=ref.number,
            score=row["score"],
            comment=row["comment"],
            aspects=dict(row["aspects"] or {}),
            month=row["month"],
            created_at=row["created_at"],
            service_center_id=row["service_center"],
            service_center_name=centers.get(row["service_center"], "")
            if row["service_center"]
            else "",
        )
        if show_technician:
            item.technician_id = row["technician"]
            item.technician_name = (
                technicians.get(row["technician"], "") if row["technician"] else ""
            )
        items.append(item)
    return items


def _groups(
    rows: list[dict[str, Any]], key: str, month: str, months: list[str], names: dict[int, str]
) -> list[GroupStats]:
    by: dict[int | None, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(r[key], []).append(r)
    found = []
    for group_id, items in by.items():
        in_month = [r for r in items if r["month"] == month]
        average, count, distribution = _summary(in_month)
        trend = []
        for m in months:
            m_avg, m_count, _ = _summary([r for r in items if r["month"] == m])
            trend.append((m, m_avg, m_count))
        name = names.get(group_id, "") if group_id is not None else ""
        found.append(GroupStats(group_id, name, average, count, distribution, trend))
    found.sort(key=lambda g: (g.id is None, -(g.count), g.name))
    return found


async def report(actor: Actor, filters: RatingFilters) -> RatingReport:
    """Per technician and per partner service center: the month's average, count and
    distribution, and the trend of the six months ending with it."""
    _check_filters(actor, filters)
    month = filters.month or this_month()
    months = months_back(month, TREND_MONTHS)
    rows = await _matching(actor, filters, months)
    hidden = _hidden(actor)
    technicians: list[GroupStats] = []
    if "technician_id" not in hidden:
        names = await staff.names({r["technician"] for r in rows if r["technician"]})
        technicians = _groups(rows, "technician", month, months, names)
    centers = await partner_names({r["service_center"] for r in rows if r["service_center"]})
    with_center = [r for r in rows if r["service_center"]]
    service_centers = _groups(with_center, "service_center", month, months, centers)
    average, count, distribution = _summary([r for r in rows if r["month"] == month])
    return RatingReport(
        month=month,
        months=months,
        technicians=technicians,
        service_centers=service_centers,
        average=average,
        count=count,
        distribution=distribution,
    )


COLUMNS = (
    ("order_number", N_("Order"), "text", 14),
    ("created_at", N_("Rated at"), "datetime", 18),
    ("score", N_("Score"), "int", 8),
    ("technician_name", N_("Technician"), "text", 24),
    ("service_center_name", N_("Service center"), "text", 24),
    ("comment", N_("Comment"), "text", 50),
)
EXPORT_LIMIT = 20_000


async def export_xlsx(actor: Actor, filters: RatingFilters) -> bytes:
    """The ratings that match as an XLSX workbook (orders:export)."""
    actor.require(Section.ORDERS, Action.EXPORT)
    found = await list_ratings(actor, filters, limit=EXPORT_LIMIT)
    rows = []
    for item in found.items:
        values = {f: getattr(item, f) for f in item.__struct_fields__}
        values["created_at"] = clock.local(item.created_at)
        rows.append({k: None if v is msgspec.UNSET else v for k, v in values.items()})
    hidden = _hidden(actor)
    columns = [
        printforms.Column(k, gettext(t), kind, w)  # type: ignore[arg-type]
        for k, t, kind, w in COLUMNS
        if not (k == "technician_name" and "technician_id" in hidden)
    ]
    target = io.BytesIO()
    title = gettext("Ratings")
    await anyio.to_thread.run_sync(printforms.export_rows, columns, rows, target, title)
    return target.getvalue()
