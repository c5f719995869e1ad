"""Geocoding wrapper over any geopy geocoder."""

from types import SimpleNamespace
from typing import Any

import pytest
from geopy.geocoders import Nominatim

from routing import Location, RoutingInputError
from routing.geocode import AddressGeocoder, make_geocoder


class FakeGeocoder:
    """Answers like a geopy geocoder for one known address."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls.append((query, kwargs))
        if query == "Москва, Тверская, 1":
            return SimpleNamespace(latitude=55.757, longitude=37.614)
        return None


def test_address_becomes_a_location() -> None:
    fake = FakeGeocoder()
    found = AddressGeocoder(fake, timeout_s=3).locate("  Москва, Тверская, 1 ")
    assert found == Location(55.757, 37.614)
    assert fake.calls == [("Москва, Тверская, 1", {"exactly_one": True, "timeout": 3})]


def test_unknown_address_is_none() -> None:
    assert AddressGeocoder(FakeGeocoder()).locate("nowhere") is None


def test_empty_address_is_an_input_error() -> None:
    with pytest.raises(RoutingInputError):
        AddressGeocoder(FakeGeocoder()).locate("   ")


def test_geocoder_is_built_by_service_name() -> None:
    geocoder = make_geocoder("nominatim", user_agent="servio-tests")
    assert isinstance(geocoder, Nominatim)
