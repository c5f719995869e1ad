"""server/geo.py: the configured geocoder against a local server speaking Nominatim's API."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterator

import pytest
from geopy.geocoders import Nominatim, Yandex

from server import geo
from server.config import get_settings
from tests.nominatim import FakeNominatim, nominatim_server


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    """A local Nominatim."""
    with nominatim_server() as fake:
        yield fake


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with a limiter of its own (no slot left over from another test)."""
    monkeypatch.setattr(geo, "LIMITER", geo.RateLimiter())


def config_of(fake: FakeNominatim, rate: float = 50.0) -> geo.GeocoderConfig:
    """A config pointing at the fake server."""
    config = geo.parse_config(f"nominatim:{fake.url}", rate=rate, user_agent="servio-tests")
    assert config is not None
    return config


def test_nominatim_and_yandex_are_read_from_the_setting() -> None:
    assert geo.parse_config("") is None
    nominatim = geo.parse_config("nominatim:https://geo.example.ru/nominatim/")
    assert nominatim is not None
    assert (nominatim.service, nominatim.rate) == ("nominatim", 1.0)  # the usage policy's cap
    assert nominatim.user_agent == geo.DEFAULT_USER_AGENT
    built = geo.build_geocoder(nominatim).geocoder
    assert isinstance(built, Nominatim)
    assert (built.scheme, built.domain) == ("https", "geo.example.ru/nominatim")
    yandex = geo.parse_config("yandex: secret-key ", rate=3, user_agent="center/1")
    assert yandex is not None and (yandex.target, yandex.rate) == ("secret-key", 3.0)
    built_yandex = geo.build_geocoder(yandex).geocoder
    assert isinstance(built_yandex, Yandex) and built_yandex.api_key == "secret-key"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("google:key", "unknown service"),
        ("nominatim:", "base URL"),
        ("yandex:", "API key"),
        ("nominatim:geo.example.ru", "http://"),
    ],
)
def test_a_wrong_setting_is_refused_with_what_to_write(value: str, says: str) -> None:
    with pytest.raises(geo.GeocoderConfigError, match=says):
        geo.parse_config(value)


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SERVIO_GEOCODER", raising=False)
    get_settings.cache_clear()
    try:
        assert not geo.configured() and geo.current_config() is None
        monkeypatch.setenv("SERVIO_GEOCODER", "nominatim:http://127.0.0.1:9/")
        monkeypatch.setenv("SERVIO_GEOCODER_RATE", "0.5")
        monkeypatch.setenv("SERVIO_GEOCODER_USER_AGENT", "Сервис-центр Тула")
        get_settings.cache_clear()
        config = geo.current_config()
        assert geo.configured() and config is not None
        assert (config.rate, config.user_agent) == (0.5, "Сервис-центр Тула")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


async def test_found_not_found_and_a_server_error(nominatim: FakeNominatim) -> None:
    nominatim.failing["Тула, улица Ложная, 1"] = (503, {})
    config = config_of(nominatim)
    found = await geo.locate("Тула, проспект Ленина, 2", config)
    assert found == geo.GeoResult("found", lat=54.1931, lon=37.6175)
    missing = await geo.locate("Тула, улица Несуществующая, 404", config)
    assert missing.status == "not_found" and missing.lat is None
    failed = await geo.locate("Тула, улица Ложная, 1", config)
    assert failed.status == "failed" and "503" in failed.reason, failed
    assert nominatim.queries() == [
        "Тула, проспект Ленина, 2",
        "Тула, улица Несуществующая, 404",
        "Тула, улица Ложная, 1",
    ]
    assert {h.user_agent for h in nominatim.hits} == {"servio-tests"}


async def test_a_timeout_fails_with_a_reason(nominatim: FakeNominatim) -> None:
    nominatim.slow["Тула, проспект Ленина, 2"] = 1.5
    config = dataclasses.replace(config_of(nominatim), timeout_s=0.3)
    result = await geo.locate("Тула, проспект Ленина, 2", config)
    assert result.status == "failed" and "Timed" in result.reason, result


async def test_no_geocoder_or_no_text_asks_nobody(
    nominatim: FakeNominatim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SERVIO_GEOCODER", raising=False)
    get_settings.cache_clear()
    assert (await geo.locate("Тула, проспект Ленина, 2")).reason == "no geocoder configured"
    assert (await geo.locate("   ", config_of(nominatim))).status == "not_found"
    assert nominatim.hits == []


async def test_the_rate_limit_holds_for_concurrent_callers(nominatim: FakeNominatim) -> None:
    config = config_of(nominatim, rate=4.0)  # one request every 0.25 s
    addresses = list(nominatim.places)
    started = time.monotonic()
    results = await asyncio.gather(*(geo.locate(a, config) for a in addresses))
    assert [r.status for r in results] == ["found"] * 4
    assert len(nominatim.hits) == 4
    assert min(nominatim.gaps()) >= 0.24, nominatim.gaps()
    assert time.monotonic() - started >= 0.74


async def test_too_many_requests_pauses_every_later_request(nominatim: FakeNominatim) -> None:
    nominatim.failing["Тула, улица Частая, 1"] = (429, {"Retry-After": "1"})
    config = config_of(nominatim, rate=50.0)
    limited = await geo.locate("Тула, улица Частая, 1", config)
    assert limited.status == "failed" and "RateLimited" in limited.reason, limited
    assert (await geo.locate("Тула, проспект Ленина, 2", config)).found
    assert nominatim.gaps()[0] >= 0.95, nominatim.gaps()


async def test_a_base_url_with_a_path_is_kept() -> None:
    with nominatim_server(prefix="/nominatim") as fake:
        result = await geo.locate("Тула, улица Болдина, 98", config_of(fake))
    assert result.found and [h.path for h in fake.hits] == ["/nominatim/search"]
