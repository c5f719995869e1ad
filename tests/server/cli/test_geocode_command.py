"""`servio geocode`: addresses that wait get coordinates now, from the configured geocoder."""

from __future__ import annotations

import pytest

from tests.live import fresh_database, query, servio
from tests.nominatim import nominatim_server

ADDRESSES = ("Тула, проспект Ленина, 2", "Тула, улица Нигдешная, 1", "Тула, улица Болдина, 98")


@pytest.fixture(scope="module")
def database() -> str:
    """A migrated database with a client and three addresses waiting for coordinates."""
    url = fresh_database("servio_test_geocode_cli")
    servio("migrate", database_url=url)
    (client,) = query(
        url,
        "INSERT INTO client (kind, name, created_at, updated_at) "
        "VALUES ('person', 'Петров', now(), now()) RETURNING id",
    )
    for index, address in enumerate(ADDRESSES):
        query(
            url,
            "INSERT INTO client_address (client, address, is_primary) VALUES ($1, $2, $3)",
            client["id"],
            address,
            index == 0,
        )
    return url


def states(url: str) -> list[tuple[str, str, float | None]]:
    """(address, geo_status, lat) of every address, by id."""
    rows = query(url, "SELECT address, geo_status, lat FROM client_address ORDER BY id")
    return [(r["address"], r["geo_status"], r["lat"]) for r in rows]


def test_geocode_without_and_with_a_geocoder(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SERVIO_GEOCODER", raising=False)
    idle = servio("geocode", database_url=database)
    assert "no geocoder configured" in idle.stdout and "3 addresses wait" in idle.stdout
    assert {s for _, s, _ in states(database)} == {"pending"}

    monkeypatch.setenv("SERVIO_GEOCODER", "google:key")
    wrong = servio("geocode", database_url=database, check=False)
    assert wrong.returncode == 1 and "unknown service" in wrong.stderr

    with nominatim_server() as fake:
        monkeypatch.setenv("SERVIO_GEOCODER", f"nominatim:{fake.url}")
        monkeypatch.setenv("SERVIO_GEOCODER_RATE", "5")
        done = servio("geocode", database_url=database)
        assert "found 2, not found 1, failed 0; 0 left" in done.stdout, done.stdout
        assert fake.queries() == list(ADDRESSES)
        assert min(fake.gaps()) >= 0.19, fake.gaps()  # five a second, from another process
        assert states(database) == [
            (ADDRESSES[0], "found", 54.1931),
            (ADDRESSES[1], "not_found", None),
            (ADDRESSES[2], "found", 54.1721),
        ]

        again = servio("geocode", database_url=database)
        assert "found 0, not found 0, failed 0; 0 left" in again.stdout
        assert len(fake.hits) == 3  # the not-found one is not asked again by itself

        fake.places[ADDRESSES[1]] = (54.2, 37.6)
        retried = servio("geocode", "--retry", database_url=database)
        assert "asking again for 1 addresses" in retried.stdout
        assert "found 1, not found 0" in retried.stdout, retried.stdout
        assert states(database)[1] == (ADDRESSES[1], "found", 54.2)
