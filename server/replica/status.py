"""`servio replica status`: each server's role, its standbys' lag and sync state."""

from __future__ import annotations

import msgspec

from server.dburl import DatabaseUrl, Endpoint
from server.replica.errors import ReplicaError, connected


class Link(msgspec.Struct, frozen=True):
    """A standby as its primary sees it."""

    name: str
    client: str
    state: str
    sync_state: str
    lag_bytes: int | None
    lag_seconds: float | None


class Slot(msgspec.Struct, frozen=True):
    """A replication slot: the primary keeps the WAL its standby has not received."""

    name: str
    active: bool
    retained_bytes: int | None


class Side(msgspec.Struct, frozen=True):
    """One server: primary, standby or unreachable, and what it says about replication."""

    endpoint: str
    role: str
    error: str = ""
    standbys: list[Link] = msgspec.field(default_factory=list)
    slots: list[Slot] = msgspec.field(default_factory=list)
    synchronous_standby_names: str = ""
    synchronous_commit: str = ""
    receiver: str = ""  # a standby's WAL receiver: streaming, starting, ... or none
    unreplayed_bytes: int | None = None
    since_replay_seconds: float | None = None

    @property
    def streams(self) -> bool:
        """Whether replication runs on this side."""
        if self.role == "primary":
            return any(link.state == "streaming" for link in self.standbys)
        return self.role == "standby" and self.receiver == "streaming"


class Status(msgspec.Struct, frozen=True):
    """Every side of the URL (and the standby folder, if named)."""

    sides: list[Side]

    @property
    def streaming(self) -> bool:
        """Whether a standby streams from a primary."""
        return any(side.streams for side in self.sides)


PRIMARY_SIDE = (
    "SELECT application_name AS name, coalesce(client_addr::text, 'local socket') AS client,"
    " state, sync_state,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes,"
    " extract(epoch FROM replay_lag)::float8 AS lag_seconds"
    " FROM pg_stat_replication ORDER BY application_name"
)
SLOTS = (
    "SELECT slot_name AS name, active,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained_bytes"
    " FROM pg_replication_slots WHERE slot_type = 'physical' ORDER BY slot_name"
)
STANDBY_SIDE = (
    "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none') AS receiver,"
    " pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint"
    "   AS unreplayed_bytes,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
    "   AS since_replay_seconds"
)


async def side(url: DatabaseUrl) -> Side:
    """What the one server of `url` says."""
    endpoint = url.endpoints[0].text()
    try:
        async with connected(url, "the server") as conn:
            if await conn.fetchval("SELECT pg_is_in_recovery()"):
                row = await conn.fetchrow(STANDBY_SIDE)
                return Side(endpoint=endpoint, role="standby", **dict(row))
            return Side(
                endpoint=endpoint,
                role="primary",
                standbys=[Link(**dict(r)) for r in await conn.fetch(PRIMARY_SIDE)],
                slots=[Slot(**dict(r)) for r in await conn.fetch(SLOTS)],
                synchronous_standby_names=await conn.fetchval(
                    "SELECT current_setting('synchronous_standby_names')"
                ),
                synchronous_commit=await conn.fetchval(
                    "SELECT current_setting('synchronous_commit')"
                ),
            )
    except ReplicaError as error:
        return Side(endpoint=endpoint, role="unreachable", error=str(error))


async def status(url: DatabaseUrl, extra: Endpoint | None = None) -> Status:
    """Every server of `url`, and `extra` (a standby's folder) when it is not one of them."""
    endpoints = list(url.endpoints)
    if extra is not None and extra not in endpoints:
        endpoints.append(extra)
    return Status(sides=[await side(url.one(endpoint)) for endpoint in endpoints])


def _bytes(value: int | None) -> str:
    return "?" if value is None else f"{value} bytes"


def _seconds(value: float | None) -> str:
    return "0.000 s" if value is None else f"{value:.3f} s"


def lines(report: Status) -> list[str]:
    """The report as a person reads it."""
    out = []
    for one in report.sides:
        if one.role == "unreachable":
            out.append(f"{one.endpoint}: unreachable ({one.error})")
        elif one.role == "standby":
            replayed = (
                "no transaction replayed yet"
                if one.since_replay_seconds is None
                else f"last transaction replayed {one.since_replay_seconds:.1f} s ago"
            )
            out.append(
                f"{one.endpoint}: standby, WAL receiver {one.receiver}, "
                f"{_bytes(one.unreplayed_bytes)} received and not replayed yet, {replayed}"
            )
        else:
            names = one.synchronous_standby_names or "none"
            out.append(
                f"{one.endpoint}: primary (synchronous standbys: {names}, "
                f"synchronous_commit {one.synchronous_commit})"
            )
            out += [
                f"  standby {link.name} ({link.client}): {link.state}, {link.sync_state}, "
                f"lag {_bytes(link.lag_bytes)}, {_seconds(link.lag_seconds)}"
                for link in one.standbys
            ] or ["  no standby connected"]
            out += [
                f"  slot {slot.name}: inactive, keeping {_bytes(slot.retained_bytes)} of WAL "
                "for a standby that is away (drop the slot if it is gone for good)"
                for slot in one.slots
                if not slot.active
            ]
    out.append("a standby is streaming" if report.streaming else "no standby is streaming")
    return out
