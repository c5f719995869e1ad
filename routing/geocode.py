"""Geocoding of addresses with a geopy geocoder; caching is left to the caller."""

from __future__ import annotations

from typing import Any, Protocol

from geopy.geocoders import get_geocoder_for_service

from routing.errors import RoutingInputError
from routing.model import Location


class _GeopyGeocoder(Protocol):
    def geocode(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


def make_geocoder(service: str, **settings: Any) -> _GeopyGeocoder:
    """Build a geopy geocoder by service name, e.g. `make_geocoder("nominatim", user_agent=...)`."""
    return get_geocoder_for_service(service)(**settings)


class AddressGeocoder:
    """Turn an address into a Location with any geopy geocoder."""

    def __init__(self, geocoder: _GeopyGeocoder, timeout_s: float = 10.0) -> None:
        self.geocoder = geocoder
        self.timeout_s = timeout_s

    def locate(self, address: str) -> Location | None:
        """Return the best match for an address, or None; geopy errors propagate."""
        text = address.strip()
        if not text:
            raise RoutingInputError("an empty address cannot be geocoded")
        found = self.geocoder.geocode(text, exactly_one=True, timeout=self.timeout_s)
        if found is None:
            return None
        return Location(lat=float(found.latitude), lon=float(found.longitude))
