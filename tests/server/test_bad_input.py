"""Bad input to every API endpoint that exists gives a readable 4xx, never a 500."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.server.builders import PASSWORD, login_as, make_employee

FIELDS = (
    "login", "password", "full_name", "email", "phone", "position", "language", "name",
    "description", "code", "role_ids", "manufacturers", "ip_allowlist", "permissions",
    "permission_overrides", "current_password", "new_password", "keep_current", "is_active",
)  # fmt: skip
WRONG_VALUES: tuple[Any, ...] = (
    12345,
    None,
    True,
    [],
    {"nested": {"deep": [1, 2, 3]}},
    "x" * 5000,
    "nul\x00char",
    -1,
    2**63,
    [2**31, -5, 0],
    {"orders": "view"},
    {"orders": [1, None]},
    {"spaceships": {"fly": True}},
)
RAW_BODIES = (b"", b"not json", b"[]", b"null", b'{"login": ', b"{}", b"\xff\xfe")
PATH_VALUES = ("0", "-1", "2147483648", "999999", "abc", "1e3", "%00")
QUERY_CASES = (
    {"limit": "0"},
    {"limit": "100000"},
    {"cursor": "-5"},
    {"cursor": "abc"},
    {"q": "x" * 1000},
    {"q": "\x00"},
    {"include_inactive": "maybe"},
    {"entity": "e" * 100},
    {"actor_id": "99999999999"},
)


def api_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path template) of every JSON API endpoint."""
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith("/api/"):
            found += [
                (m, route.path) for m in sorted(route.methods) if m not in {"HEAD", "OPTIONS"}
            ]
    return found


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


async def send(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    response = await client.request(method, url, **kwargs)
    assert response.status_code < 500, (
        f"{method} {url} {kwargs} -> {response.status_code} {response.text}"
    )
    if response.status_code >= 400:
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, f"{method} {url}: no readable message"
    return response


async def test_every_api_endpoint_is_listed_in_openapi(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    documented = {
        (m.upper(), p) for p, ops in schema["paths"].items() for m in ops if m != "parameters"
    }
    for method, path in api_routes(app):
        openapi_path = re.sub(r"\{(\w+):\w+\}", r"{\1}", path)
        assert (method, openapi_path) in documented


async def test_anonymous_bad_input_never_fails_the_server(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    for method, path in api_routes(app):
        for value in PATH_VALUES[:3]:
            response = await send(client, method, fill(path, value), content=b"{}")
            assert 400 <= response.status_code < 500


@dataclass(frozen=True)
class Endpoint:
    """One API endpoint and what of a request its handler can read."""

    method: str
    path: str
    parsers: tuple[Callable[[str], Any] | None, ...]
    """The parsers of its path parameters: Litestar runs them while routing."""
    body_fields: frozenset[str] | None
    """The fields of its body Struct (empty: it reads no body); None: it may read any field."""
    query_params: frozenset[str] | None
    """The query parameters it declares; None: it takes the request and may read any."""

    def routes(self, value: str) -> bool:
        """Whether a URL with every path parameter set to `value` reaches the handler: Litestar
        answers 404 while routing, before it reads a body or a query string, when a parameter's
        type cannot parse the value ("abc" for an int)."""
        try:
            for parse in self.parsers:
                if parse is not None:
                    parse(unquote(value))
        except ValueError:
            return False
        return True

    def fuzzed_fields(self) -> tuple[str, ...]:
        """The FIELDS to send every WRONG_VALUE in: those the body can hold, and one it cannot.

        A body Struct refuses (or skips) a field it does not have whatever its value, so one
        unknown field stands for all of them; a handler that reads a dict or the raw request
        gets every field."""
        if self.body_fields is None:
            return FIELDS
        unknown = next(f for f in FIELDS if f not in self.body_fields)
        return (*(f for f in FIELDS if f in self.body_fields), unknown)

    def requests(self) -> int:
        """About how many requests the sweep sends it, to share the sweep out evenly."""
        each = (
            len(self.query_cases())
            if self.method == "GET"
            else len(RAW_BODIES) + len(self.fuzzed_fields()) * len(WRONG_VALUES)
        )
        return (len(PATH_VALUES) + 1 if self.parsers else 1) * (1 + each)

    def query_cases(self) -> tuple[dict[str, str], ...]:
        """The QUERY_CASES whose parameter the handler reads, and one whose it does not
        (Litestar passes a handler only the parameters it declares)."""
        if self.query_params is None:
            return QUERY_CASES
        read = tuple(q for q in QUERY_CASES if set(q) <= self.query_params)
        ignored = next((q for q in QUERY_CASES if not set(q) <= self.query_params), None)
        return (*read, *([ignored] if ignored else []))


def _body_fields(handler: Any) -> frozenset[str] | None:
    signature = handler.parsed_fn_signature.parameters
    data = signature.get("data")
    if data is None:
        return None if "request" in signature else frozenset()
    kind = data.annotation
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        return frozenset(f.encode_name for f in msgspec.structs.fields(kind))
    return None


def endpoints(app: Litestar) -> list[Endpoint]:
    """Every JSON API endpoint, with what its handler reads."""
    found = []
    for route in app.routes:
        if not (isinstance(route, HTTPRoute) and route.path.startswith("/api/")):
            continue
        parsers = tuple(p.parser for p in route.path_parameters.values())
        for method, (handler, kwargs) in sorted(route.route_handler_map.items()):
            if method in {"HEAD", "OPTIONS"}:
                continue
            takes_request = "request" in handler.parsed_fn_signature.parameters
            query = frozenset(p.field_alias for p in kwargs.expected_query_params)
            found.append(
                Endpoint(
                    method=method,
                    path=route.path,
                    parsers=parsers,
                    body_fields=_body_fields(handler),
                    query_params=None if takes_request else query,
                )
            )
    return found


SHARDS = 4  # the sweep runs as this many tests, so that the test workers share it


def _share(found: list[Endpoint]) -> list[list[Endpoint]]:
    """The endpoints in SHARDS groups of about as many requests each (largest first, each to
    the group with the fewest so far)."""
    groups: list[list[Endpoint]] = [[] for _ in range(SHARDS)]
    loads = [0] * SHARDS
    for endpoint in sorted(found, key=lambda e: (-e.requests(), e.path, e.method)):
        lightest = loads.index(min(loads))
        groups[lightest].append(endpoint)
        loads[lightest] += endpoint.requests()
    return groups


async def test_the_sweep_covers_every_api_endpoint(app: Litestar) -> None:
    assert sorted((e.method, e.path) for e in endpoints(app)) == sorted(api_routes(app))


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
async def test_bad_input_as_admin_never_fails_the_server(
    app: Litestar, client: httpx.AsyncClient, shard: int
) -> None:
    """Every endpoint gets every path value, and every raw body, wrong value and query case
    that its handler can read (the rest would all meet the same refusal: see Endpoint)."""
    await make_employee("boss", roles=["admin"])
    other = await make_employee("other", roles=["technician"])
    await login_as(client, "boss")
    found = _share(endpoints(app))[shard]
    checked = 0
    for endpoint in found:
        method = endpoint.method
        values = (*PATH_VALUES, str(other.id)) if endpoint.parsers else ("",)
        for value in values:
            url = fill(endpoint.path, value)
            response = await send(client, method, url)
            checked += 1
            if not endpoint.routes(value):
                bad = {"params": QUERY_CASES[0]} if method == "GET" else {"json": {"name": None}}
                assert response.status_code == 404, (method, url, response.text)
                assert (await send(client, method, url, **bad)).status_code == 404, (method, url)
                checked += 1
                continue
            if method == "GET":
                for query in endpoint.query_cases():
                    await send(client, method, url, params=query)
                    checked += 1
                continue
            for body in RAW_BODIES:
                await send(
                    client, method, url, content=body, headers={"content-type": "application/json"}
                )
                checked += 1
            for field, wrong in itertools.product(endpoint.fuzzed_fields(), WRONG_VALUES):
                response = await send(client, method, url, json={field: wrong})
                checked += 1
                if response.status_code == 401:  # a fuzzed call ended our session: log in again
                    await login_as(client, "boss")
    assert checked > 1000 // SHARDS


async def test_known_bad_values_are_refused_with_the_field_named(
    admin_client: httpx.AsyncClient,
) -> None:
    cases = [
        ({"login": 5, "full_name": "A", "password": PASSWORD}, "login"),
        ({"full_name": "A", "password": PASSWORD}, "login"),
        ({"login": "a" * 65, "full_name": "A", "password": PASSWORD}, "login"),
        ({"login": "ok", "full_name": "A", "password": PASSWORD, "role_ids": [999999]}, "role_ids"),
        ({"login": "ok", "full_name": "A", "password": PASSWORD, "email": "nope"}, "email"),
        ({"login": "ok", "full_name": "A", "password": PASSWORD, "phone": "12"}, "phone"),
        (
            {"login": "ok", "full_name": "A", "password": PASSWORD, "ip_allowlist": ["300.1.1.1"]},
            "ip_allowlist",
        ),
        ({"login": "ok", "full_name": "A", "password": PASSWORD, "language": "xx"}, "language"),
        ({"login": "ok", "full_name": "A", "password": PASSWORD, "colour": "red"}, "colour"),
        ({"login": "ok", "full_name": "  ", "password": PASSWORD}, "full_name"),
        ({"login": "ok", "full_name": "A\x00B", "password": PASSWORD}, None),
    ]
    for body, field in cases:
        response = await admin_client.post("/api/v1/employees", json=body)
        assert 400 <= response.status_code < 500, (body, response.text)
        if field:
            assert field in {e["field"] for e in response.json()["errors"]}, (body, response.text)
    missing = await admin_client.get("/api/v1/employees/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Сотрудник с номером 999999 не найден"
