"""Every page an administrator can open, in Russian and in English, on the demo data: none
shows a raw message key ("group:new", "needs_work_line") and, in Russian, none shows an
English message id that has a translation (a string rendered without `_()`).

The pages are found as a person finds them: from every GET route without parameters, then by
following the links on each page (a few pages per kind of address, so a list of a hundred
orders costs two cards).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from litestar.routes import HTTPRoute

from server.app import create_app
from server.i18n import catalogue
from tests.live import ServerProcess, demo_database, query

PER_KIND = 2  # pages visited per kind of address (digits and query aside)
SKIP = re.compile(
    r"^/(api|static|logout|language/|login|sw\.js|manifest|health|rate/|my/|files/)|\.(pdf|xlsx|csv)$"
)
# Shown as they are on purpose: codes people type and read back (custom fields, statuses).
QUIET_TAGS = {"script", "style", "code", "kbd", "pre", "textarea", "noscript"}
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
KEY_LIKE = re.compile(r"(?<![\w/.:@-])[a-z]+(?:_[a-z]+)*:[a-z]+(?:_[a-z]+)*(?![\w/.:@-])")
SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")
PIECES = re.compile(r"[:·,—()]")  # a code may follow a label: «Роль: field_technician»


class _Page(HTMLParser):
    """The visible texts and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._quiet = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in QUIET_TAGS:
            self._quiet += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        self.texts += [values[a] or "" for a in ATTRIBUTES if values.get(a)]

    def handle_endtag(self, tag: str) -> None:
        if tag in QUIET_TAGS and self._quiet:
            self._quiet -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._quiet:
            self.texts.append(text)


def _kind(path: str) -> str:
    split = urlsplit(path)
    return re.sub(r"\d+", "N", split.path) + ("?" if split.query else "")


def _start_paths() -> list[str]:
    """Pages of the app's GET routes that take no path parameter."""
    paths = set()
    for route in create_app().routes:
        if not isinstance(route, HTTPRoute) or route.path_parameters:
            continue
        if any("GET" in h.http_methods for h in route.route_handlers):
            paths.add(route.path)
    return sorted(p for p in paths if not SKIP.search(p))


def crawl(client: httpx.Client) -> Iterator[tuple[str, list[str]]]:
    """(path, visible texts) of every HTML page reached from the routes and their links."""
    queue, seen, kinds = _start_paths(), set(), dict[str, int]()
    base = str(client.base_url).rstrip("/")
    host = urlsplit(base).netloc
    while queue:
        path = queue.pop(0)
        if path in seen or kinds.get(_kind(path), 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[_kind(path)] = kinds.get(_kind(path), 0) + 1
        response = client.get(path)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        assert response.status_code < 500, (path, response.status_code)
        page = _Page()
        page.feed(response.text)
        yield path, page.texts
        here = f"{base}{path}"
        for href in page.links:
            url = urlsplit(urljoin(here, href))
            local = url.path + (f"?{url.query}" if url.query else "")
            if url.netloc == host and not SKIP.search(url.path):
                queue.append(local)


def _untranslated_matcher() -> tuple[set[str], dict[str, list[re.Pattern[str]]]]:
    """English ids with a Russian text: the plain ones, and patterns of those with parameters
    bucketed by their first characters."""
    plain, patterns = set(), dict[str, list[re.Pattern[str]]]()
    russian = set(catalogue("ru").values())  # "Email" is the Russian text of "Emails"
    for message, text in catalogue("ru").items():
        if text == message or message in russian or not re.search(r"[A-Za-z]{3}", message):
            continue
        if "{" not in message:
            plain.add(message)
            continue
        literal = message.split("{", 1)[0]
        if len(literal) >= 6:
            pattern = re.escape(message)
            pattern = re.sub(r"\\\{\w+\\\}", ".+?", pattern)
            patterns.setdefault(literal[:6], []).append(re.compile(pattern))
    return plain, patterns


def problems(texts: list[str], russian: bool) -> list[str]:
    """Raw keys among the texts; in Russian, English ids shown untranslated too."""
    found = [m for t in texts for m in KEY_LIKE.findall(t)]
    found += [p for t in texts for p in map(str.strip, PIECES.split(t)) if SNAKE.match(p)]
    if russian:
        plain, patterns = _MATCHER
        for text in texts:
            bare = text.rstrip(":").strip()
            if bare in plain or any(p.fullmatch(bare) for p in patterns.get(bare[:6], [])):
                found.append(text)
    return found


_MATCHER = _untranslated_matcher()


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    process = ServerProcess(demo_database("page_strings"))
    process.start()
    yield process
    process.stop()


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_page_shows_a_raw_key_or_an_untranslated_string(
    server: ServerProcess, language: str
) -> None:
    query(server.database_url, "UPDATE employee SET language = $1 WHERE login = 'admin'", language)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        login = client.post(
            "/api/v1/auth/login", json={"login": "admin", "password": "servio-demo"}
        )
        assert login.status_code == 200, login.text
        pages = dict(crawl(client))
    found = {
        path: sorted(set(bad))
        for path, texts in pages.items()
        if (bad := problems(texts, language == "ru"))
    }
    assert not found, f"{language}: " + "\n".join(f"{p}: {b}" for p, b in sorted(found.items()))
    assert len(pages) > 60, sorted(pages)  # the crawl reached the pages, not only a login form


def test_the_check_sees_raw_keys_and_untranslated_ids() -> None:
    assert problems(["Заказы", "14:05", "https://x.ru/a:b"], russian=True) == []
    assert problems(["Статус: group:new"], russian=False) == ["group:new"]
    assert problems(["needs_work_line"], russian=False) == ["needs_work_line"]
    assert problems(["Роль: field_technician"], russian=True) == ["field_technician"]
    assert problems(["Audit log"], russian=True) == ["Audit log"]
    assert problems(["Audit log"], russian=False) == []
