"""Geocoding of addresses: the configured geopy geocoder, a process-wide rate limit, `locate`.

`SERVIO_GEOCODER` names the service: `nominatim:<base URL>` (the public Nominatim or any server
speaking its API) or `yandex:<api key>`; unset, nothing is geocoded and coordinates are typed.
`SERVIO_GEOCODER_RATE` caps requests per second in this process (Nominatim's usage policy
allows one); the geocoding job runs one at a time, so the cap holds for the whole install.
No tables here: where results are kept is the caller's business.
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter
from geopy.exc import GeocoderRateLimited, GeopyError

from routing.errors import RoutingInputError
from routing.geocode import AddressGeocoder, make_geocoder
from server.config import get_settings

SERVICES = ("nominatim", "yandex")
DEFAULT_RATE = {"nominatim": 1.0, "yandex": 10.0}  # requests per second
DEFAULT_USER_AGENT = "servio/0.1 (self-hosted repair service center)"
TIMEOUT_S = 10.0

Status = Literal["found", "not_found", "failed"]


class GeocoderConfigError(ValueError):
    """SERVIO_GEOCODER names no service this module knows, or lacks its URL or key."""


@dataclass(frozen=True)
class GeocoderConfig:
    """The geocoding service as configured: which, where or with what key, how fast."""

    service: str  # "nominatim" | "yandex"
    target: str  # base URL for Nominatim, API key for Yandex
    rate: float  # requests per second
    user_agent: str
    timeout_s: float = TIMEOUT_S


@dataclass(frozen=True)
class GeoResult:
    """What geocoding one address gave: coordinates, nothing found, or why it failed."""

    status: Status
    lat: float | None = None
    lon: float | None = None
    reason: str = ""

    @property
    def found(self) -> bool:
        """True when coordinates came back."""
        return self.status == "found"


def parse_config(value: str, rate: float = 0.0, user_agent: str = "") -> GeocoderConfig | None:
    """`nominatim:<URL>` or `yandex:<key>` as a config; None for an empty value."""
    value = value.strip()
    if not value:
        return None
    service, _, target = value.partition(":")
    service, target = service.strip().lower(), target.strip()
    if service not in SERVICES:
        raise GeocoderConfigError(
            f"SERVIO_GEOCODER: unknown service {service!r}; use nominatim:<URL> or yandex:<key>"
        )
    if not target:
        what = "base URL" if service == "nominatim" else "API key"
        raise GeocoderConfigError(f"SERVIO_GEOCODER: give the {what} after '{service}:'")
    if service == "nominatim":
        parts = urlsplit(target)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise GeocoderConfigError(
                "SERVIO_GEOCODER: the Nominatim URL must start with http:// or https://"
            )
    if rate < 0:
        raise GeocoderConfigError("SERVIO_GEOCODER_RATE must not be negative")
    return GeocoderConfig(
        service=service,
        target=target,
        rate=rate or DEFAULT_RATE[service],
        user_agent=user_agent.strip() or DEFAULT_USER_AGENT,
    )


def current_config() -> GeocoderConfig | None:
    """The geocoder of this process's settings, or None when none is configured."""
    settings = get_settings()
    return parse_config(settings.geocoder, settings.geocoder_rate, settings.geocoder_user_agent)


def configured() -> bool:
    """Whether a geocoder is configured (otherwise coordinates are typed or set on the map)."""
    return current_config() is not None


def build_geocoder(config: GeocoderConfig) -> AddressGeocoder:
    """The geopy geocoder of a config, wrapped for `routing.geocode`."""
    # No retries inside the HTTP adapter: every request must pass the rate limiter.
    adapter = functools.partial(RequestsAdapter, max_retries=0)
    if config.service == "nominatim":
        parts = urlsplit(config.target)
        geocoder = make_geocoder(
            "nominatim",
            domain=(parts.netloc + parts.path).rstrip("/"),
            scheme=parts.scheme,
            user_agent=config.user_agent,
            adapter_factory=adapter,
        )
    else:
        geocoder = make_geocoder(
            "yandex", api_key=config.target, user_agent=config.user_agent, adapter_factory=adapter
        )
    return AddressGeocoder(geocoder, timeout_s=config.timeout_s)


@functools.cache
def _geocoder_for(config: GeocoderConfig) -> AddressGeocoder:
    return build_geocoder(config)


class RateLimiter:
    """At most `rate` requests per second across every event loop and thread of the process,
    as the service sees them.

    One request at a time, each started an interval after the answer to the one before at the
    earliest: the service then sees them at least that far apart however long each took to
    reach it (spacing the starts alone let two arrive closer than the limit when the first was
    slower on its way). A service that answered "too many requests" pushes every later start
    back. Callers ask again until it is their turn.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 0.0
        self._busy = False  # a request is out and has no answer yet

    def take(self, rate: float) -> float:
        """0 when the caller may send now (it then holds the turn until `answered`); otherwise
        the seconds to wait before asking again."""
        if rate <= 0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            if self._busy:
                return min(1.0 / rate, 0.05)
            if now < self._next:
                return self._next - now
            self._busy = True
            return 0.0

    def answered(self, rate: float) -> None:
        """The request has its answer: the next starts an interval from now at the earliest."""
        if rate <= 0:
            return
        with self._lock:
            self._busy = False
            self._next = max(self._next, time.monotonic() + 1.0 / rate)

    def pause(self, seconds: float) -> None:
        """Start nothing for `seconds` from now (the service asked us to slow down)."""
        with self._lock:
            self._next = max(self._next, time.monotonic() + seconds)

    async def wait(self, rate: float) -> None:
        """Sleep until this caller's turn."""
        while (delay := self.take(rate)) > 0:  # noqa: ASYNC110  # shared by loops and threads
            await asyncio.sleep(delay)


LIMITER = RateLimiter()


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return f"{type(error).__name__}: {text}"[:500]


async def locate(text: str, config: GeocoderConfig | None = None) -> GeoResult:
    """Geocode one address with the configured service (or `config`), within the rate limit.

    Never raises for the service's own troubles: errors and timeouts come back as `failed`
    with a reason. Without a geocoder it is `failed` too ("no geocoder configured").
    """
    config = config if config is not None else current_config()
    if config is None:
        return GeoResult("failed", reason="no geocoder configured")
    if not text.strip():
        return GeoResult("not_found", reason="the address is empty")
    geocoder = _geocoder_for(config)
    await LIMITER.wait(config.rate)
    try:
        found = await asyncio.to_thread(geocoder.locate, text)
    except GeocoderRateLimited as error:
        LIMITER.pause(float(error.retry_after or 60))
        return GeoResult("failed", reason=_reason(error))
    except (GeopyError, RoutingInputError, ValueError, OSError) as error:
        return GeoResult("failed", reason=_reason(error))
    finally:
        LIMITER.answered(config.rate)
    if found is None:
        return GeoResult("not_found")
    if not (abs(found.lat) <= 90 and abs(found.lon) <= 180):
        return GeoResult("failed", reason=f"the service answered {found.lat}, {found.lon}")
    return GeoResult("found", lat=found.lat, lon=found.lon)
