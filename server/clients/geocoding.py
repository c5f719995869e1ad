"""Geocoding client addresses: the runs that fill coordinates, the list of addresses still
without them, and fixing one address by hand.

A run takes addresses that wait (`pending`, and `failed` ones after RETRY_AFTER), oldest
first, and asks the geocoder one by one within its rate limit. Each answer is written only if
the address is still what was asked (same text, still waiting): coordinates a person typed in
the meantime are never overwritten. A service error stops the run (the rest stay pending for
the next one) instead of hammering a service that is down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from piccolo.columns.combination import And, Or

from server import cursor as cursor_codec
from server import geo
from server.actor import Actor
from server.audit import services as audit
from server.clients import addresses, scope
from server.clients.address_schemas import (
    AddressOut,
    AddressPatch,
    GeocodeReport,
    UnlocatedAddress,
)
from server.clients.choices import GEO_STATUS_LABELS, GeoStatus
from server.clients.records import now
from server.clients.tables import ClientAddress
from server.clients.validation import text as clean_text
from server.errors import InvalidInput, NotFound
from server.fieldaccess import check_writable
from server.i18n import gettext
from server.piccolo_conf import DB
from server.staff.permissions import Action, Section

RETRY_AFTER = dt.timedelta(hours=1)
BATCH = 50
UNLOCATED = (GeoStatus.PENDING.value, GeoStatus.NOT_FOUND.value, GeoStatus.FAILED.value)
_CURSOR = "client_addresses:unlocated"
RUN_LOCK = "servio:geocode-addresses"
WAITING = (GeoStatus.PENDING.value, GeoStatus.FAILED.value)


def _due(moment: dt.datetime) -> Any:
    """Addresses a run should try: pending, or failed long enough ago; of active clients."""
    retry = And(
        ClientAddress.geo_status == GeoStatus.FAILED.value,
        ClientAddress.geocoded_at < moment - RETRY_AFTER,
    )
    return And(
        ClientAddress.client._.is_archived.eq(False),
        Or(ClientAddress.geo_status == GeoStatus.PENDING.value, retry),
    )


async def due_count() -> int:
    """How many addresses a run would try now."""
    return int(await ClientAddress.count().where(_due(now())))


async def _write(row: dict[str, Any], result: geo.GeoResult) -> None:
    """Store an answer, unless the address changed since it was asked."""
    values: dict[Any, Any] = {
        ClientAddress.geocoded_at: now(),
        ClientAddress.geo_note: result.reason[:500],
        ClientAddress.lat: result.lat,
        ClientAddress.lon: result.lon,
        ClientAddress.geo_status: result.status,
    }
    await ClientAddress.update(values).where(
        ClientAddress.id == row["id"],
        ClientAddress.address == row["address"],
        ClientAddress.geo_status.is_in(list(WAITING)),
    )


async def geocode_batch(
    limit: int = BATCH, config: geo.GeocoderConfig | None = None
) -> GeocodeReport:
    """Geocode up to `limit` due addresses (all of them with the configured geocoder or
    `config`); nothing without a geocoder."""
    config = config if config is not None else geo.current_config()
    report = GeocodeReport()
    if config is None:
        report.skipped = "no geocoder configured"
        report.left = await due_count()
        return report
    rows = (
        await ClientAddress.select(ClientAddress.id, ClientAddress.address)
        .where(_due(now()))
        .order_by(ClientAddress.geo_status, ascending=False)  # pending before failed
        .order_by(ClientAddress.id)
        .limit(limit)
    )
    for row in rows:
        result = await geo.locate(row["address"], config)
        await _write(row, result)
        if result.status == "found":
            report.found += 1
        elif result.status == "not_found":
            report.not_found += 1
        else:
            report.failed += 1
            report.stopped = result.reason
            break
    report.left = await due_count()
    return report


@contextlib.asynccontextmanager
async def exclusive_run() -> AsyncIterator[bool]:
    """Hold the install-wide geocoding lock (a PostgreSQL advisory lock on a connection of its
    own) for the block; yields False when another run (a job, `servio geocode`) holds it."""
    connection = await DB.get_new_connection()
    try:
        taken = await connection.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", RUN_LOCK)
        yield bool(taken)
    finally:
        await connection.close()  # ends the session, and with it the lock


async def requeue_unlocated() -> int:
    """Addresses not found or failed wait for the geocoder again (after a change of geocoder,
    say); returns how many."""
    rows = (
        await ClientAddress.update(
            {ClientAddress.geo_status: GeoStatus.PENDING.value, ClientAddress.geo_note: ""}
        )
        .where(ClientAddress.geo_status.is_in([GeoStatus.NOT_FOUND.value, GeoStatus.FAILED.value]))
        .returning(ClientAddress.id)
    )
    return len(rows)


async def geocode_due(
    config: geo.GeocoderConfig | None = None, max_seconds: float | None = None
) -> GeocodeReport:
    """Batches until nothing is due, a service error, or `max_seconds` have passed; one run
    at a time in the whole install (`skipped` says when another one is going on)."""
    config = config if config is not None else geo.current_config()
    if config is None:
        return GeocodeReport(skipped="no geocoder configured", left=await due_count())
    async with exclusive_run() as mine:
        if not mine:
            return GeocodeReport(skipped="another geocoding run is going on")
        return await _batches(config, max_seconds)


async def _batches(config: geo.GeocoderConfig, max_seconds: float | None) -> GeocodeReport:
    started = time.monotonic()
    total = GeocodeReport()
    while True:
        report = await geocode_batch(BATCH, config)
        total.found += report.found
        total.not_found += report.not_found
        total.failed += report.failed
        total.left, total.skipped, total.stopped = report.left, report.skipped, report.stopped
        tried = report.found + report.not_found + report.failed
        if report.skipped or report.stopped or not report.left or not tried:
            return total
        if max_seconds is not None and time.monotonic() - started >= max_seconds:
            return total


def label(status: str) -> str:
    """The geocoding state in the request's language."""
    return gettext(GEO_STATUS_LABELS.get(status, status))


def address_out(row: dict[str, Any]) -> AddressOut:
    """The API form of an address row."""
    return AddressOut(
        id=row["id"],
        client_id=row["client"],
        address=row["address"],
        lat=row["lat"],
        lon=row["lon"],
        comment=row["comment"],
        is_primary=row["is_primary"],
        geo_status=row["geo_status"],
        geo_status_label=label(row["geo_status"]),
        geocoded_at=row["geocoded_at"],
        geo_note=row["geo_note"],
    )


async def unlocated(
    actor: Actor, cursor: str | None = None, limit: int = 50
) -> tuple[list[UnlocatedAddress], str | None]:
    """Addresses of active clients in the actor's scope that have no coordinates, by id."""
    actor.require(Section.CLIENTS, Action.VIEW)
    query = ClientAddress.select(
        *addresses.COLUMNS, ClientAddress.client._.name.as_alias("client_name")
    ).where(
        ClientAddress.geo_status.is_in(list(UNLOCATED)),
        ClientAddress.client._.is_archived.eq(False),
    )
    in_scope = await scope.scope_condition_on(
        actor, ClientAddress.client, ClientAddress.client._.created_by
    )
    if in_scope is not None:
        query = query.where(in_scope)
    if cursor:
        (last_id,) = cursor_codec.decode(_CURSOR, cursor, 1)
        query = query.where(ClientAddress.id > last_id)
    rows = await query.order_by(ClientAddress.id).limit(limit + 1)
    page = rows[:limit]
    waiting = geo.configured()
    items = [
        UnlocatedAddress(
            id=r["id"],
            client_id=r["client"],
            client_name=r["client_name"],
            address=r["address"],
            comment=r["comment"],
            is_primary=r["is_primary"],
            geo_status=r["geo_status"],
            geo_status_label=label(r["geo_status"]),
            geocoded_at=r["geocoded_at"],
            geo_note=r["geo_note"],
            waiting=waiting and r["geo_status"] in WAITING,
        )
        for r in page
    ]
    next_cursor = cursor_codec.encode(_CURSOR, [page[-1]["id"]]) if len(rows) > limit else None
    return items, next_cursor


async def unlocated_count(actor: Actor) -> int:
    """How many addresses in the actor's scope have no coordinates."""
    actor.require(Section.CLIENTS, Action.VIEW)
    query = ClientAddress.count().where(
        ClientAddress.geo_status.is_in(list(UNLOCATED)),
        ClientAddress.client._.is_archived.eq(False),
    )
    in_scope = await scope.scope_condition_on(
        actor, ClientAddress.client, ClientAddress.client._.created_by
    )
    if in_scope is not None:
        query = query.where(in_scope)
    return int(await query)


async def get_address(actor: Actor, client_id: int, address_id: int) -> dict[str, Any]:
    """An address of a client in the actor's scope, or 404."""
    actor.require(Section.CLIENTS, Action.VIEW)
    await scope.require_in_scope(actor, client_id)
    row = (
        await ClientAddress.select(*addresses.COLUMNS)
        .where(ClientAddress.id == address_id, ClientAddress.client == client_id)
        .first()
    )
    if row is None:
        raise NotFound("No address with id {id}", id=address_id)
    return row


def _given_point(
    old: dict[str, Any], text: str, patch: AddressPatch
) -> tuple[float | None, float | None]:
    """The coordinates a patch gives: its own (both or none), or, when it names none, the
    stored ones for an unchanged text (a changed text without coordinates has none)."""
    lat_given, lon_given = patch.lat is not msgspec.UNSET, patch.lon is not msgspec.UNSET
    if lat_given != lon_given:
        missing = "lon" if lat_given else "lat"
        raise InvalidInput("Give both coordinates or none", field=missing)
    if patch.retry:
        if lat_given and (patch.lat is not None or patch.lon is not None):
            raise InvalidInput(
                "Give coordinates or ask the geocoder again, not both", field="retry"
            )
        return None, None
    if lat_given:
        return addresses.point(patch.lat, patch.lon, "")  # type: ignore[arg-type]
    if text == old["address"]:
        return old["lat"], old["lon"]
    return None, None


async def fix_address(
    actor: Actor, client_id: int, address_id: int, patch: AddressPatch
) -> tuple[AddressOut, bool]:
    """Change one address's text, coordinates or comment, or ask the geocoder again; returns
    the address and whether it now waits for the geocoder."""
    actor.require(Section.CLIENTS, Action.EDIT)
    check_writable(actor, "client", ["addresses"])
    async with ClientAddress._meta.db.transaction():
        old = await get_address(actor, client_id, address_id)
        text = old["address"]
        if patch.address is not msgspec.UNSET:
            text = clean_text(patch.address, "address", required=True)  # type: ignore[arg-type]
        comment = old["comment"]
        if patch.comment is not msgspec.UNSET:
            comment = clean_text(patch.comment, "comment")  # type: ignore[arg-type]
        lat, lon = _given_point(old, text, patch)
        state = addresses.pending() if patch.retry else addresses.geo_state(old, text, lat, lon)
        values = {"address": text, "comment": comment, **state}
        changed = {k: v for k, v in values.items() if old[k] != v}
        if changed:
            await ClientAddress.update(changed).where(ClientAddress.id == address_id)  # type: ignore[arg-type]
            before = {k: old[k] for k in changed if k in ("address", "lat", "lon", "comment")}
            after = {k: changed[k] for k in before}
            delta = audit.diff(before, after)
            if delta:
                await audit.record(
                    actor, "client", client_id, "update", delta, scope=f"client:{client_id}"
                )
    row = await get_address(actor, client_id, address_id)
    return address_out(row), row["geo_status"] == GeoStatus.PENDING.value
