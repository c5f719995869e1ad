"""`servio replica init`: a streaming hot standby of the primary, in a folder of this machine.

The primary is checked first (wal_level, WAL senders, slots, the role may replicate, the
same major version as the programs here); then `pg_basebackup -R` copies it through a
replication slot of its own (the primary keeps the WAL the standby has not received), the
standby gets its own port and starts, and the command waits until it streams. With
`synchronous`, the primary's commits then wait until the standby has the WAL on its disk
(synchronous_standby_names, synchronous_commit=on): an acknowledged write survives the loss of
the primary. A failure on the way removes what was made (the folder's contents, the slot).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import socket
import time
from pathlib import Path

import asyncpg
import msgspec

from server.dburl import DatabaseUrl, Endpoint, render
from server.replica.cluster import DataFolder, run_tool, server_major, socket_fits, system_user
from server.replica.errors import ReplicaError, connected

SLOT_NAME = re.compile(r"[a-z0-9_]{1,63}")
STREAMING_WITHIN = 60  # seconds for a started standby to stream, and to become synchronous
COPIED_NOT_OURS = ("log", ".handle_pids.json")  # the embedded primary's log and pgserver's list


class StandbyMade(msgspec.Struct, frozen=True):
    """What `init` made: where, how to reach it, and the URL the servers should use."""

    folder: Path
    standby_url: str
    database_url: str
    synchronous: bool
    warnings: list[str]


async def find_primary(url: DatabaseUrl) -> DatabaseUrl:
    """The first server of the URL that answers and is not in recovery, as a URL naming it."""
    reasons = []
    for endpoint in url.endpoints:
        one = url.one(endpoint)
        try:
            async with connected(one, "the primary") as conn:
                if not await conn.fetchval("SELECT pg_is_in_recovery()"):
                    return one
                reasons.append(f"{endpoint.text()} is a standby")
        except ReplicaError as error:
            reasons.append(str(error))
    raise ReplicaError("no primary answers: " + "; ".join(reasons))


def check_folder(folder: DataFolder) -> None:
    """The folder is new or empty (a standby made before is never overwritten)."""
    if folder.exists():
        raise ReplicaError(
            f"{folder.path} already holds a PostgreSQL data folder (a standby made before? "
            "`servio replica status` tells); remove it or choose another folder"
        )
    if folder.path.exists() and (not folder.path.is_dir() or any(folder.path.iterdir())):
        raise ReplicaError(f"{folder.path} is not an empty folder")


def where_it_listens(
    folder: DataFolder, port: int, host: str | None, primary: Endpoint
) -> Endpoint:
    """The standby's endpoint: `host` (an address or a socket folder), else a socket in its
    folder when the primary is reached through a socket, else localhost."""
    if host is None:
        host = str(folder.path) if primary.is_socket else "localhost"
    endpoint = Endpoint(host, port)
    if endpoint.is_socket:
        if not socket_fits(Path(host), port):
            raise ReplicaError(
                f"the socket path {endpoint.text()} is too long: pass --host with a shorter "
                "socket folder or an address"
            )
        if Path(endpoint.text()).exists():
            raise ReplicaError(f"port {port} is taken: {endpoint.text()} exists")
        return endpoint
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        except OSError as error:
            raise ReplicaError(f"the standby cannot listen on {endpoint.text()}: {error}") from None
    return endpoint


async def check_primary(conn: asyncpg.Connection, slot: str) -> None:
    """The primary's settings allow one more streaming standby through `slot`."""
    row = await conn.fetchrow(
        "SELECT current_setting('wal_level') AS wal_level,"
        " current_setting('max_wal_senders')::int AS senders,"
        " current_setting('max_replication_slots')::int AS slots,"
        " (SELECT count(*) FROM pg_stat_replication) AS streaming,"
        " (SELECT count(*) FROM pg_replication_slots) AS slots_used,"
        " (SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = current_user)"
        "   AS may_replicate,"
        " current_user AS login,"
        " current_setting('server_version_num')::int / 10000 AS major"
    )
    here = await asyncio.to_thread(server_major)
    if row["major"] != here:
        raise ReplicaError(
            f"the primary runs PostgreSQL {row['major']}, the programs here are {here}: "
            "a standby needs the primary's major version"
        )
    if not row["may_replicate"]:
        raise ReplicaError(
            f"the user {row['login']} may not replicate: ALTER ROLE {row['login']} REPLICATION "
            "(as a superuser), or use a user that may in DATABASE_URL"
        )
    if row["wal_level"] == "minimal" or row["senders"] == 0:
        await _prepare_for_replication(conn)
    if row["streaming"] >= row["senders"] or row["slots_used"] >= row["slots"]:
        raise ReplicaError(
            f"the primary has no WAL sender or replication slot left (max_wal_senders "
            f"{row['senders']}, max_replication_slots {row['slots']}): raise them and restart it"
        )
    active = await conn.fetchval(
        "SELECT active FROM pg_replication_slots WHERE slot_name = $1", slot
    )
    if active:
        raise ReplicaError(f"a standby already streams from the primary through slot {slot}")
    if active is not None:
        raise ReplicaError(
            f"the primary keeps replication slot {slot} of a standby made before (and the WAL "
            f"it has not received): drop it with SELECT pg_drop_replication_slot('{slot}') on "
            "the primary, or choose another --slot"
        )


async def _prepare_for_replication(conn: asyncpg.Connection) -> None:
    """wal_level=replica and WAL senders for the next start; they need a restart."""
    try:
        await conn.execute("ALTER SYSTEM SET wal_level = 'replica'")
        await conn.execute("ALTER SYSTEM SET max_wal_senders = 10")
    except asyncpg.PostgresError as error:
        raise ReplicaError(
            "the primary does not keep WAL for a standby (wal_level minimal or "
            "max_wal_senders 0), and it could not be changed here "
            f"({error}): set wal_level = replica and max_wal_senders = 10 in its "
            "postgresql.conf, restart it, and run this again"
        ) from None
    raise ReplicaError(
        "the primary did not keep WAL for a standby: wal_level = replica and max_wal_senders = "
        "10 are now set for its next start; restart the primary and run this again"
    )


def copy_primary(folder: DataFolder, primary: DatabaseUrl, slot: str) -> None:
    """pg_basebackup -R of the primary into the folder, through a new slot named `slot`."""
    made = folder.path.exists()
    folder.path.mkdir(mode=0o700, parents=True, exist_ok=True)
    user = system_user()
    if user is not None:
        from pgserver.utils import ensure_prefix_permissions  # type: ignore[attr-defined]

        ensure_prefix_permissions(folder.path)
        shutil.chown(folder.path, user, user)
    folder.path.chmod(0o700)
    source = msgspec.structs.replace(primary, params=(*primary.params, ("application_name", slot)))
    done = run_tool(
        "pg_basebackup", "-D", str(folder.path), "-d", render(source), "-R", "-C", "-S", slot,
        "-X", "stream", "-c", "fast", "--no-password",
    )  # fmt: skip
    if done.returncode != 0:
        _empty(folder, remove=not made)
        errors = "\n".join(
            line for line in done.stderr.splitlines() if "skipping special file" not in line
        )
        hint = ""
        if "pg_hba.conf" in errors:
            hint = (
                "\nthe primary's pg_hba.conf needs a line letting this machine replicate, e.g. "
                "`host replication <user> <this address>/32 scram-sha-256`, then a reload"
            )
        raise ReplicaError(f"pg_basebackup failed: {errors.strip()}{hint}")
    for name in COPIED_NOT_OURS:
        (folder.path / name).unlink(missing_ok=True)
    for lock in folder.path.glob(".s.PGSQL.*.lock"):  # the primary's socket lock files
        lock.unlink()


def _empty(folder: DataFolder, *, remove: bool) -> None:
    """Delete what a failed init left in the folder (the folder too if init made it)."""
    if remove:
        shutil.rmtree(folder.path, ignore_errors=True)
        return
    for entry in folder.path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def configure(folder: DataFolder, endpoint: Endpoint) -> None:
    """The standby's own port and addresses; never synchronous replication of its own (after a
    promotion it has no standby to wait for)."""
    sockets = endpoint.host if endpoint.is_socket else str(folder.path)
    folder.add_settings(
        {
            "port": endpoint.port,
            "listen_addresses": "" if endpoint.is_socket else endpoint.host,
            "unix_socket_directories": sockets if socket_fits(Path(sockets), endpoint.port) else "",
            "hot_standby": "on",
            "synchronous_standby_names": "",
        }
    )


async def wait_streaming(conn: asyncpg.Connection, slot: str, *, sync: bool) -> None:
    """Until the primary streams to the standby named `slot` (synchronously, if `sync`)."""
    wanted = "sync" if sync else None
    deadline = time.monotonic() + STREAMING_WITHIN
    while True:
        row = await conn.fetchrow(
            "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = $1", slot
        )
        if row and row["state"] == "streaming" and wanted in {None, row["sync_state"]}:
            return
        if time.monotonic() > deadline:
            seen = dict(row) if row else "not connected"
            raise ReplicaError(f"the standby does not stream within {STREAMING_WITHIN} s: {seen}")
        await asyncio.sleep(0.2)


async def make_synchronous(conn: asyncpg.Connection, slot: str) -> list[str]:
    """Commits on the primary wait for the standby's flush; warnings for databases or roles
    that turn it off for themselves."""
    await conn.execute(f"ALTER SYSTEM SET synchronous_standby_names = '{slot}'")
    await conn.execute("ALTER SYSTEM SET synchronous_commit = 'on'")
    await conn.execute("SELECT pg_reload_conf()")
    await wait_streaming(conn, slot, sync=True)
    rows = await conn.fetch(
        "SELECT coalesce(d.datname, '') AS db, coalesce(r.rolname, '') AS role, c AS setting"
        " FROM pg_db_role_setting s"
        " LEFT JOIN pg_database d ON d.oid = s.setdatabase"
        " LEFT JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) c"
        " WHERE c LIKE 'synchronous_commit=%'"
        "   AND c NOT IN ('synchronous_commit=on', 'synchronous_commit=remote_apply')"
    )
    return [
        f"{'database ' + row['db'] if row['db'] else 'role ' + row['role']} sets "
        f"{row['setting']}: its commits do not wait for the standby (ALTER "
        f"{'DATABASE ' + row['db'] if row['db'] else 'ROLE ' + row['role']} "
        "RESET synchronous_commit)"
        for row in rows
    ]


async def make_standby(
    url: DatabaseUrl,
    folder_path: Path,
    *,
    port: int,
    host: str | None = None,
    slot: str = "servio_standby",
    synchronous: bool = False,
) -> StandbyMade:
    """Make a streaming standby of the primary of `url` in `folder_path` and start it."""
    if not SLOT_NAME.fullmatch(slot):
        raise ReplicaError("a slot name is 1 to 63 of a-z, 0-9 and _")
    folder = DataFolder(folder_path)
    check_folder(folder)
    primary = await find_primary(url)
    endpoint = where_it_listens(folder, port, host, primary.endpoints[0])
    async with connected(primary, "the primary") as conn:
        await check_primary(conn, slot)
        await asyncio.to_thread(copy_primary, folder, primary, slot)
        try:
            configure(folder, endpoint)
            await asyncio.to_thread(folder.start)
            await wait_streaming(conn, slot, sync=False)
            warnings = await make_synchronous(conn, slot) if synchronous else []
        except BaseException:
            await _undo(conn, folder, slot)
            raise
    standby = url.one(endpoint)
    others = [e for e in url.endpoints if e != endpoint]
    return StandbyMade(
        folder=folder.path,
        standby_url=render(standby),
        database_url=render(url.with_endpoints(*others, endpoint)),
        synchronous=synchronous,
        warnings=warnings,
    )


async def _undo(conn: asyncpg.Connection, folder: DataFolder, slot: str) -> None:
    """Stop and remove a standby that did not come up, and its slot."""
    with contextlib.suppress(Exception):
        if await conn.fetchval("SELECT current_setting('synchronous_standby_names')") == slot:
            await conn.execute("ALTER SYSTEM RESET synchronous_standby_names")
            await conn.execute("SELECT pg_reload_conf()")
    await asyncio.to_thread(
        run_tool, "pg_ctl", "stop", "-m", "immediate", "-D", str(folder.path), quiet=True
    )
    await asyncio.to_thread(_empty, folder, remove=False)
    with contextlib.suppress(Exception):
        await conn.execute(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
            " WHERE slot_name = $1 AND NOT active",
            slot,
        )
