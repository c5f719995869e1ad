"""Front-end packages from npm (node_modules, installed by `make`) served by the app itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.database import ROOT
from tests.live import LiveServer, live_server

LEAFLET = "/static/vendor/leaflet"
LEAFLET_DIST = ROOT / "node_modules" / "leaflet" / "dist"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server("vendor", demo=False) as running:
        yield running


def test_leaflet_script_and_styles_are_served_by_the_app(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        script = http.get(f"{LEAFLET}/leaflet.js")
        styles = http.get(f"{LEAFLET}/leaflet.css")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "Leaflet 1.9." in script.text[:200]
    assert script.content == (LEAFLET_DIST / "leaflet.js").read_bytes()
    assert styles.status_code == 200
    assert styles.headers["content-type"].startswith("text/css")
    assert ".leaflet-container" in styles.text
    # Static files are public: no session needed, the app's security headers still apply.
    assert "set-cookie" not in script.headers
    assert script.headers["x-content-type-options"] == "nosniff"


def test_every_image_the_leaflet_styles_name_is_served(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        styles = http.get(f"{LEAFLET}/leaflet.css").text
        names = set(re.findall(r"url\((images/[\w.-]+\.png)\)", styles))
        names |= {"images/marker-icon-2x.png", "images/marker-shadow.png"}  # named by leaflet.js
        assert {"images/layers.png", "images/marker-icon.png"} <= names
        for name in sorted(names):
            image = http.get(f"{LEAFLET}/{name}")
            assert image.status_code == 200, name
            assert image.headers["content-type"] == "image/png", name
            assert image.content.startswith(b"\x89PNG\r\n\x1a\n"), name


def test_a_file_outside_the_package_is_not_served(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as http:
        assert http.get(f"{LEAFLET}/missing.js").status_code == 404
        assert http.get(f"{LEAFLET}/..%2Fpackage.json").status_code == 404
