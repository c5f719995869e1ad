"""Database URLs with one host or several, in the address or in the query (server/dburl.py)."""

from __future__ import annotations

import pytest

from server.db import libpq_url
from server.dburl import DatabaseUrl, Endpoint, UrlError, parse, render


def test_hosts_in_the_address_with_their_ports() -> None:
    url = parse("postgresql://servio:p%40ss@db1:5432,db2,[::1]:5434/servio?sslmode=require")
    assert url.endpoints == (Endpoint("db1", 5432), Endpoint("db2"), Endpoint("::1", 5434))
    assert (url.user, url.password, url.database) == ("servio", "p@ss", "servio")
    assert url.params == (("sslmode", "require"),)
    assert render(url) == (
        "postgresql://servio:p%40ss@db1:5432,db2:5432,[::1]:5434/servio?sslmode=require"
    )


def test_socket_folders_in_the_query() -> None:
    text = "postgresql://postgres:@/servio?host=/var/a,/var/b&port=5432,5433"
    url = parse(text)
    assert url.endpoints == (Endpoint("/var/a", 5432), Endpoint("/var/b", 5433))
    assert url.endpoints[1].text() == "/var/b/.s.PGSQL.5433"
    assert parse(render(url)) == url
    assert parse("postgresql://u@/db?host=/a,/b&port=6000").endpoints[1] == Endpoint("/b", 6000)


def test_one_host_of_several_and_several_of_one() -> None:
    url = parse("postgresql://u:pw@h1:1,h2:2/db?target_session_attrs=read-write&x=1")
    assert render(url.one(Endpoint("h2", 2))) == "postgresql://u:pw@h2:2/db?x=1"
    both = url.one(Endpoint("h1", 1)).with_endpoints(Endpoint("h1", 1), Endpoint("/s", 7))
    assert render(both) == (
        "postgresql://u:pw@/db?host=h1,/s&port=1,7&x=1&target_session_attrs=read-write"
    )
    assert url.shown() == "postgresql://u:***@h1:1,h2:2/db?target_session_attrs=read-write&x=1"


def test_a_url_without_a_host_keeps_the_default_socket() -> None:
    url = parse("postgresql:///servio")
    assert url.endpoints == () and url.database == "servio"
    assert render(url) == "postgresql:///servio"


@pytest.mark.parametrize(
    "text",
    ["mysql://u@h/db", "postgresql://u@h:port/db", "postgresql://u@/db?host=/a,/b&port=1,2,3"],
)
def test_what_is_not_a_database_url(text: str) -> None:
    with pytest.raises(UrlError):
        parse(text)


def test_libpq_gives_up_on_a_host_that_hangs() -> None:
    assert libpq_url("postgresql://u@h1,h2/db") == "postgresql://u@h1,h2/db?connect_timeout=10"
    assert libpq_url("postgresql://u@h/db?sslmode=require").endswith("&connect_timeout=10")
    assert libpq_url("postgresql://u@h/db?connect_timeout=3") == (
        "postgresql://u@h/db?connect_timeout=3"
    )
    assert isinstance(parse("postgres://h/db"), DatabaseUrl)
