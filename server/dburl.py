"""Database URLs with several hosts, as libpq, asyncpg and psycopg read them.

`postgresql://u:pw@h1:5432,h2:5433/servio?target_session_attrs=read-write` names hosts in the
address; socket folders cannot stand there, so `postgresql://u@/servio?host=/a,/b&port=5432,5433`
names them in the query (the embedded PostgreSQL listens on a socket only). Both forms are read;
a URL is written in the address form unless one of its hosts is a socket folder.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import msgspec

DEFAULT_PORT = 5432
READ_WRITE = {"target_session_attrs": "read-write"}


class Endpoint(msgspec.Struct, frozen=True):
    """One server: a host name, an address or a socket folder, and a port."""

    host: str
    port: int = DEFAULT_PORT

    @property
    def is_socket(self) -> bool:
        """Whether the host is a unix-socket folder."""
        return self.host.startswith("/")

    def text(self) -> str:
        """How a person reads it: host:port, or the socket file."""
        if self.is_socket:
            return f"{self.host}/.s.PGSQL.{self.port}"
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


class DatabaseUrl(msgspec.Struct, frozen=True):
    """The parts of a postgresql:// URL; `params` are the query's other settings, in order;
    no endpoint: the URL names no host (the client's default socket)."""

    endpoints: tuple[Endpoint, ...]
    database: str = ""
    user: str = ""
    password: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def one(self, endpoint: Endpoint) -> DatabaseUrl:
        """The same URL naming only `endpoint`, without target_session_attrs."""
        params = tuple((k, v) for k, v in self.params if k not in READ_WRITE)
        return msgspec.structs.replace(self, endpoints=(endpoint,), params=params)

    def with_endpoints(self, *endpoints: Endpoint, read_write: bool = True) -> DatabaseUrl:
        """The same URL naming these servers (the primary first), asking for the one that takes
        writes when there are several."""
        params = tuple((k, v) for k, v in self.params if k not in READ_WRITE)
        if read_write and len(endpoints) > 1:
            params += tuple(READ_WRITE.items())
        return msgspec.structs.replace(self, endpoints=tuple(endpoints), params=params)

    def shown(self) -> str:
        """The URL without its password, for messages."""
        if not self.password:
            return render(self)
        text = render(msgspec.structs.replace(self, password="hidden"))
        return text.replace(":hidden@", ":***@", 1)


class UrlError(ValueError):
    """The text is not a postgresql:// URL this module can read."""


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise UrlError(f"not a port: {text!r}")
    return int(text)


def _address_hosts(hostspec: str) -> list[tuple[str, str]]:
    """`h1:5432,[::1]:5433,h2` as (host, port text) pairs."""
    hosts = []
    for spec in hostspec.split(","):
        if spec.startswith("["):
            host, _, rest = spec[1:].partition("]")
            port = rest.removeprefix(":")
        else:
            host, _, port = spec.partition(":")
        hosts.append((unquote(host), port))
    return hosts


def parse(url: str) -> DatabaseUrl:
    """Read a postgresql:// (or postgres://) URL with one host or several."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgresql", "postgres"}:
        raise UrlError("a database URL starts with postgresql://")
    auth, _, hostspec = parts.netloc.rpartition("@")
    user, _, password = auth.partition(":")
    hosts = _address_hosts(hostspec) if hostspec else []
    params = []
    query_hosts: list[str] = []
    query_ports: list[str] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "host":
            query_hosts = value.split(",")
        elif key == "port":
            query_ports = value.split(",")
        else:
            params.append((key, value))
    if query_hosts:
        hosts = [(host, "") for host in query_hosts]
    if query_ports:
        if len(query_ports) not in {1, len(hosts)}:
            raise UrlError("the URL lists a different number of ports and hosts")
        ports = query_ports * len(hosts) if len(query_ports) == 1 else query_ports
        hosts = [(host, ports[i]) for i, (host, _) in enumerate(hosts)]
    endpoints = tuple(
        Endpoint(host or "localhost", _port(port) if port else DEFAULT_PORT) for host, port in hosts
    )
    return DatabaseUrl(
        endpoints=endpoints,
        database=unquote(parts.path.removeprefix("/")),
        user=unquote(user),
        password=unquote(password),
        params=tuple(params),
    )


def render(url: DatabaseUrl) -> str:
    """The postgresql:// text of `url` (hosts in the query when one is a socket folder)."""
    auth = quote(url.user, safe="")
    if url.password:
        auth += ":" + quote(url.password, safe="")
    if auth:
        auth += "@"
    params = list(url.params)
    if any(endpoint.is_socket for endpoint in url.endpoints) or len(url.endpoints) == 0:
        netloc = auth
        hosts = [
            ("host", ",".join(e.host for e in url.endpoints)),
            ("port", ",".join(str(e.port) for e in url.endpoints)),
        ]
        params = [*hosts, *params] if url.endpoints else params
    else:
        netloc = auth + ",".join(f"{_host_text(e.host)}:{e.port}" for e in url.endpoints)
    query = urlencode(params, safe="/,") if params else ""
    return f"postgresql://{netloc}/{quote(url.database, safe='')}" + (f"?{query}" if query else "")


def _host_text(host: str) -> str:
    return f"[{host}]" if ":" in host else quote(host, safe="")
