"""The app's connections try the hosts of DATABASE_URL one after the other, each within its own
timeout (server.db.connect), as libpq does: a first host that hangs (its machine froze) must
not keep the server from the next one, the promoted standby of a failover."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import msgspec
import pytest

from server.db import connect
from server.dburl import DatabaseUrl, Endpoint, parse, render
from tests.database import prepare_test_database


@pytest.fixture
def hanging() -> Iterator[Endpoint]:
    """An address that takes TCP connections and never answers them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield Endpoint("127.0.0.1", listener.getsockname()[1])


def _test_server(*first: Endpoint, **params: str) -> DatabaseUrl:
    """The test database's URL with `first` named before its own host."""
    url = parse(prepare_test_database())
    both = url.with_endpoints(*first, *url.endpoints)
    return msgspec.structs.replace(both, params=(*both.params, *params.items()))


async def test_a_host_that_hangs_is_given_up_for_the_next(hanging: Endpoint) -> None:
    began = time.monotonic()
    conn = await connect(render(_test_server(hanging, connect_timeout="1")))
    try:
        assert await conn.fetchval("SELECT NOT pg_is_in_recovery()")
    finally:
        await conn.close()
    assert time.monotonic() - began < 5


async def test_connect_timeout_is_not_sent_to_the_server() -> None:
    conn = await connect(render(_test_server(connect_timeout="5")))
    try:
        assert await conn.fetchval("SELECT 1") == 1
    finally:
        await conn.close()


async def test_when_no_host_answers_the_last_error_says_why(hanging: Endpoint) -> None:
    refused = Endpoint("127.0.0.1", 1)
    url = _test_server(hanging, connect_timeout="1").with_endpoints(hanging, refused)
    began = time.monotonic()
    with pytest.raises(OSError, match="Connect call failed"):
        await connect(render(url))
    assert time.monotonic() - began < 5
