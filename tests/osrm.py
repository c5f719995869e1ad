"""A local HTTP server that speaks OSRM's table service, for travel-matrix tests.

`GET /table/v1/driving/{lon,lat;...}?sources=..&destinations=..&annotations=duration,distance`
answers `{"code": "Ok", "durations": [[...]], "distances": [[...]]}` with every trip between
two different points taking `seconds` and `meters` (0 to itself); more coordinates than
`max_locations` answer 400 TooBig as OSRM does. Every request's coordinate count is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.httpstub import serving


@dataclass
class FakeOsrm:
    """Flat travel between any two places, and what was asked."""

    seconds: int = 600
    meters: int = 5000
    max_locations: int = 100
    asked: list[int] = field(default_factory=list)
    url: str = ""

    def answer(
        self, coords: list[str], sources: list[int], targets: list[int]
    ) -> dict[str, object]:
        def trip(a: int, b: int, value: int) -> int:
            return 0 if coords[a] == coords[b] else value

        return {
            "code": "Ok",
            "durations": [[trip(s, t, self.seconds) for t in targets] for s in sources],
            "distances": [[trip(s, t, self.meters) for t in targets] for s in sources],
        }


def _handler(fake: FakeOsrm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            prefix = "/table/v1/driving/"
            if not parts.path.startswith(prefix):
                self.send_error(404)
                return
            coords = parts.path[len(prefix) :].split(";")
            fake.asked.append(len(coords))
            params = parse_qs(parts.query)
            if len(coords) > fake.max_locations:
                body: dict[str, object] = {
                    "code": "TooBig",
                    "message": "Too many table coordinates",
                }
                self._send(400, body)
                return
            every = list(range(len(coords)))
            sources = (
                [int(i) for i in params["sources"][0].split(";")] if "sources" in params else every
            )
            targets = (
                [int(i) for i in params["destinations"][0].split(";")]
                if "destinations" in params
                else every
            )
            self._send(200, fake.answer(coords, sources, targets))

        def _send(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def osrm_server(fake: FakeOsrm | None = None) -> Iterator[FakeOsrm]:
    """Serve a FakeOsrm on a free local port for the duration of the block."""
    fake = fake or FakeOsrm()
    with serving(_handler(fake)) as url:
        fake.url = url
        yield fake
