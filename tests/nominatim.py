"""A local HTTP server that speaks Nominatim's search API, for geocoding tests.

`GET /search?q=<address>&format=json` answers like Nominatim: a JSON list of places with
`lat`/`lon` as strings, `[]` for an address it does not know. Addresses in `failing` get the
status given there (503, 429 with Retry-After...), those in `slow` answer after a delay.
Every request is recorded with the time it arrived, so a test can prove a rate limit held.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.httpstub import serving

# Real places in Tula, where the demo's clients live.
TULA = {
    "Тула, проспект Ленина, 2": (54.1931, 37.6175),
    "Тула, улица Советская, 10": (54.1958, 37.6209),
    "Тула, Красноармейский проспект, 25": (54.1990, 37.5985),
    "Тула, улица Болдина, 98": (54.1721, 37.6082),
}


@dataclass
class Hit:
    """One request: when it came (time.monotonic), the query, the path and the User-Agent."""

    at: float
    query: str
    path: str
    user_agent: str


@dataclass
class FakeNominatim:
    """What the server knows and what it was asked."""

    places: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(TULA))
    failing: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def queries(self) -> list[str]:
        """The addresses asked for, in order."""
        with self.lock:
            return [h.query for h in self.hits]

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests."""
        with self.lock:
            times = sorted(h.at for h in self.hits)
        return [b - a for a, b in itertools.pairwise(times)]

    def answer(self, query: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a search."""
        if query in self.slow:
            time.sleep(self.slow[query])
        if query in self.failing:
            status, headers = self.failing[query]
            return status, headers, b"Service Unavailable"
        place = self.places.get(query)
        found = []
        if place is not None:
            lat, lon = place
            found = [
                {
                    "place_id": 1,
                    "lat": f"{lat:.7f}",
                    "lon": f"{lon:.7f}",
                    "display_name": query,
                    "class": "building",
                    "type": "yes",
                    "importance": 0.5,
                }
            ]
        return 200, {"Content-Type": "application/json"}, json.dumps(found).encode()


def _handler(fake: FakeNominatim, prefix: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            if parts.path != f"{prefix}/search" or params.get("format") != ["json"]:
                self.send_error(404)
                return
            query = params.get("q", [""])[0]
            with fake.lock:
                fake.hits.append(
                    Hit(time.monotonic(), query, parts.path, self.headers.get("User-Agent", ""))
                )
            status, headers, body = fake.answer(query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return  # quiet

    return Handler


@contextmanager
def nominatim_server(prefix: str = "") -> Iterator[FakeNominatim]:
    """Serve a FakeNominatim on 127.0.0.1 at a free port until the block ends; `url` is its
    base URL (with `prefix`, e.g. "/nominatim")."""
    fake = FakeNominatim()
    with serving(_handler(fake, prefix)) as url:
        fake.url = f"{url}{prefix}"
        yield fake
