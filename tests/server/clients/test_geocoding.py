"""Client addresses get coordinates: the background job against a local Nominatim, typed
coordinates kept, a changed text asked again, and the list of addresses still without them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from server import geo
from server.clients import geocoding
from server.clients.tables import ClientAddress
from server.config import get_settings
from server.jobs.queue import run_worker
from tests.nominatim import FakeNominatim, nominatim_server
from tests.server.builders import login_as, make_employee
from tests.server.clients.helpers import errors_of, make_client

LENINA = "Тула, проспект Ленина, 2"
SOVETSKAYA = "Тула, улица Советская, 10"
NOWHERE = "Тула, улица Несуществующая, 404"
UNLOCATED = "/api/v1/clients/addresses/unlocated"


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    """A local Nominatim that knows a few addresses in Tula."""
    with nominatim_server() as fake:
        yield fake


@pytest.fixture
def no_geocoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server runs without a geocoder and without its own worker."""
    monkeypatch.delenv("SERVIO_GEOCODER", raising=False)
    monkeypatch.setenv("SERVIO_WORKER", "0")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def geocoder(nominatim: FakeNominatim, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNominatim]:
    """SERVIO_GEOCODER points at the local Nominatim (20 requests a second); the app starts
    without its worker, so the test runs the queued jobs itself."""
    monkeypatch.setenv("SERVIO_GEOCODER", f"nominatim:{nominatim.url}")
    monkeypatch.setenv("SERVIO_GEOCODER_RATE", "20")
    monkeypatch.setenv("SERVIO_WORKER", "0")
    monkeypatch.setattr(geo, "LIMITER", geo.RateLimiter())
    get_settings.cache_clear()
    yield nominatim
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
async def http(geocoder: FakeNominatim, admin_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """An administrator's client of an app with the geocoder configured."""
    return admin_client


@pytest.fixture
async def bare(no_geocoder: None, admin_client: httpx.AsyncClient) -> AsyncIterator[Any]:
    """An administrator's client of an app without a geocoder."""
    yield admin_client


async def address_rows(client_id: int) -> list[dict[str, Any]]:
    """The stored addresses of a client, primary first."""
    return list(
        await ClientAddress.select()
        .where(ClientAddress.client == client_id)
        .order_by(ClientAddress.is_primary, ascending=False)
        .order_by(ClientAddress.id)
    )


async def queued() -> list[str]:
    """Names of the geocoding jobs waiting in the queue."""
    rows = await ClientAddress.raw(
        "SELECT task_name FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id"
    )
    return [r["task_name"] for r in rows]


async def test_a_new_address_is_geocoded_by_the_queued_job(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    card = await make_client(
        http, "Петров Пётр", addresses=[{"address": LENINA}, {"address": NOWHERE}]
    )
    assert [a["geo_status"] for a in card["addresses"]] == ["pending", "pending"]
    assert await queued() == ["servio:geocode_addresses"]
    await make_client(http, "Сидоров", addresses=[{"address": SOVETSKAYA}])
    assert await queued() == ["servio:geocode_addresses"]  # one waits, whoever asks
    await run_worker(wait=False)
    lenina, nowhere = await address_rows(card["id"])
    assert (lenina["geo_status"], lenina["lat"], lenina["lon"]) == ("found", 54.1931, 37.6175)
    assert lenina["geocoded_at"] is not None
    assert (nowhere["geo_status"], nowhere["lat"]) == ("not_found", None)
    assert sorted(geocoder.queries()) == sorted([LENINA, NOWHERE, SOVETSKAYA])
    shown = (await http.get(f"/api/v1/clients/{card['id']}")).json()["addresses"]
    assert [(a["geo_status"], a["lat"]) for a in shown] == [("found", 54.1931), ("not_found", None)]
    listed = (await http.get(UNLOCATED)).json()
    assert [(i["address"], i["geo_status"], i["waiting"]) for i in listed["items"]] == [
        (NOWHERE, "not_found", False)
    ]
    assert listed["items"][0]["client_name"] == "Петров Пётр" and listed["geocoder"] is True


async def test_a_service_error_fails_with_its_reason_and_stops_the_run(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    geocoder.failing[LENINA] = (503, {})
    card = await make_client(
        http, "Петров", addresses=[{"address": LENINA}, {"address": SOVETSKAYA}]
    )
    report = await geocoding.geocode_due()
    assert (report.failed, report.found, report.left) == (1, 0, 1), report
    assert "503" in report.stopped
    failed, waiting = await address_rows(card["id"])
    assert failed["geo_status"] == "failed" and "503" in failed["geo_note"]
    assert waiting["geo_status"] == "pending"  # not asked while the service is down
    assert geocoder.queries() == [LENINA]
    listed = (await http.get(UNLOCATED)).json()["items"]
    assert [(i["geo_status"], i["waiting"]) for i in listed] == [
        ("failed", True),
        ("pending", True),
    ]
    assert "503" in listed[0]["geo_note"]
    again = await geocoding.geocode_due()  # the failed one waits an hour, the other goes on
    assert (again.found, again.failed, again.left) == (1, 0, 0), again
    assert geocoder.queries() == [LENINA, SOVETSKAYA]


async def test_typed_coordinates_are_manual_and_never_asked_for(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    card = await make_client(
        http, "Петров", addresses=[{"address": LENINA, "lat": 54.2, "lon": 37.7}]
    )
    assert card["addresses"][0]["geo_status"] == "manual"
    assert await queued() == []
    report = await geocoding.geocode_due()
    assert report.found + report.not_found + report.failed == 0
    (row,) = await address_rows(card["id"])
    assert (row["geo_status"], row["lat"], row["lon"]) == ("manual", 54.2, 37.7)
    assert geocoder.hits == []


async def test_an_answer_for_an_address_typed_meanwhile_is_dropped(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    card = await make_client(http, "Петров", addresses=[{"address": LENINA}])
    (asked,) = await address_rows(card["id"])
    address_url = f"/api/v1/clients/{card['id']}/addresses/{asked['id']}"
    typed = await http.patch(address_url, json={"lat": 54.3, "lon": 37.8})
    assert typed.status_code == 200 and typed.json()["geo_status"] == "manual", typed.text
    answer = await geo.locate(LENINA)
    await geocoding._write(asked, answer)  # the answer of a run that began before the typing
    (row,) = await address_rows(card["id"])
    assert (row["geo_status"], row["lat"], row["lon"]) == ("manual", 54.3, 37.8)


async def test_a_changed_text_asks_again_and_an_unchanged_one_keeps_its_answer(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    card = await make_client(http, "Петров", addresses=[{"address": LENINA}, {"address": NOWHERE}])
    await geocoding.geocode_due()
    shown = (await http.get(f"/api/v1/clients/{card['id']}")).json()["addresses"]
    ids = [a["id"] for a in shown]
    url = f"/api/v1/clients/{card['id']}"

    # The edit form sends everything back as it was: ids, answers and coordinates stay.
    same = [{k: a[k] for k in ("id", "address", "lat", "lon", "comment")} for a in shown]
    kept = (await http.patch(url, json={"phones": ["+79001234567"], "addresses": same})).json()
    assert [(a["id"], a["geo_status"]) for a in kept["addresses"]] == list(
        zip(ids, ["found", "not_found"], strict=True)
    )
    assert geocoder.queries() == [LENINA, NOWHERE]

    # A new text under the geocoder's coordinates: those were the old text's.
    moved = [{**same[0], "address": SOVETSKAYA}, same[1]]
    changed = (await http.patch(url, json={"addresses": moved})).json()["addresses"]
    assert (changed[0]["id"], changed[0]["geo_status"], changed[0]["lat"]) == (
        ids[0],
        "pending",
        None,
    )
    await geocoding.geocode_due()
    (first, _) = await address_rows(card["id"])
    assert (first["geo_status"], first["lat"]) == ("found", 54.1958)

    # Coordinates typed for an address stay when its text is corrected with them.
    typed = [{**same[0], "address": SOVETSKAYA, "lat": 54.25, "lon": 37.65}, same[1]]
    (await http.patch(url, json={"addresses": typed})).raise_for_status()
    fixed = [{**typed[0], "address": "Тула, ул. Советская, д. 10"}, same[1]]
    still = (await http.patch(url, json={"addresses": fixed})).json()["addresses"][0]
    assert (still["geo_status"], still["lat"], still["lon"]) == ("manual", 54.25, 37.65)

    # A single address's text changed without coordinates waits for the geocoder again.
    one = await http.patch(f"{url}/addresses/{ids[0]}", json={"address": LENINA})
    assert one.status_code == 200, one.text
    assert (one.json()["geo_status"], one.json()["lat"]) == ("pending", None)
    assert await queued() == ["servio:geocode_addresses"]


async def test_the_list_is_scoped_and_paged(no_geocoder: None, client: httpx.AsyncClient) -> None:
    from tests.server.orders.builders import intake

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await login_as(client, "boss")
    mine = await make_client(client, "Клиент техника", addresses=[{"address": LENINA}])
    other = await make_client(client, "Чужой клиент", addresses=[{"address": SOVETSKAYA}])
    third = await make_client(client, "Ещё один", addresses=[{"address": NOWHERE}])
    await make_client(
        client, "С координатами", addresses=[{"address": "Тула", "lat": 54, "lon": 37}]
    )
    await intake(client, mine["id"], technician_id=tech.id)

    first = (await client.get(UNLOCATED, params={"limit": 2})).json()
    assert [i["client_id"] for i in first["items"]] == [mine["id"], other["id"]]
    assert first["geocoder"] is False and not any(i["waiting"] for i in first["items"])
    rest = (await client.get(UNLOCATED, params={"limit": 2, "cursor": first["next"]})).json()
    assert [i["client_id"] for i in rest["items"]] == [third["id"]] and rest["next"] is None
    damaged = await client.get(UNLOCATED, params={"cursor": first["next"][:-2] + "xx"})
    assert damaged.status_code == 422 and await errors_of(damaged) == {"cursor"}

    await login_as(client, "tech")
    seen = (await client.get(UNLOCATED)).json()["items"]
    assert [i["client_id"] for i in seen] == [mine["id"]]

    await make_employee("nobody", roles=[])
    await login_as(client, "nobody")
    assert (await client.get(UNLOCATED)).status_code == 403


async def test_an_address_is_fixed_by_patch_within_scope(
    no_geocoder: None, client: httpx.AsyncClient
) -> None:
    from server.staff.tables import Role
    from tests.server.orders.builders import intake

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await Role.update(
        {Role.permissions: {"orders": ["view", "edit"], "clients": ["view", "edit"]}}
    ).where(Role.code == "technician")
    await login_as(client, "boss")
    mine = await make_client(client, "Свой", addresses=[{"address": LENINA}])
    foreign = await make_client(client, "Чужой", addresses=[{"address": SOVETSKAYA}])
    await intake(client, mine["id"], technician_id=tech.id)
    mine_id, foreign_id = mine["addresses"][0]["id"], foreign["addresses"][0]["id"]

    await login_as(client, "tech")
    url = f"/api/v1/clients/{mine['id']}/addresses/{mine_id}"
    fixed = await client.patch(url, json={"lat": 54.1931, "lon": 37.6175, "comment": "подъезд 2"})
    assert fixed.status_code == 200, fixed.text
    body = fixed.json()
    assert (body["geo_status"], body["lat"], body["comment"]) == ("manual", 54.1931, "подъезд 2")
    assert body["geo_status_label"] == "Введено вручную"
    assert [i["id"] for i in (await client.get(UNLOCATED)).json()["items"]] == []

    hidden = f"/api/v1/clients/{foreign['id']}/addresses/{foreign_id}"
    assert (await client.patch(hidden, json={"lat": 1, "lon": 2})).status_code == 404
    crossed = f"/api/v1/clients/{mine['id']}/addresses/{foreign_id}"
    assert (await client.patch(crossed, json={"lat": 1, "lon": 2})).status_code == 404
    (row,) = await address_rows(foreign["id"])
    assert (row["lat"], row["geo_status"]) == (None, "pending")

    cleared = await client.patch(url, json={"lat": None, "lon": None})
    assert (cleared.json()["geo_status"], cleared.json()["lat"]) == ("pending", None)
    history = (await ClientAddress.raw("SELECT count(*) AS n FROM audit_log"))[0]["n"]
    assert history >= 2


async def test_retry_asks_the_geocoder_again(
    http: httpx.AsyncClient, geocoder: FakeNominatim
) -> None:
    card = await make_client(http, "Петров", addresses=[{"address": NOWHERE}])
    await geocoding.geocode_due()
    (row,) = await address_rows(card["id"])
    assert row["geo_status"] == "not_found"
    geocoder.places[NOWHERE] = (54.18, 37.61)  # the map learned the new street
    await run_worker(wait=False)  # nothing queued yet: the not-found answer stays
    assert (await address_rows(card["id"]))[0]["geo_status"] == "not_found"
    url = f"/api/v1/clients/{card['id']}/addresses/{row['id']}"
    retried = await http.patch(url, json={"retry": True})
    assert retried.status_code == 200 and retried.json()["geo_status"] == "pending"
    await run_worker(wait=False)
    (after,) = await address_rows(card["id"])
    assert (after["geo_status"], after["lat"]) == ("found", 54.18)
    assert geocoder.queries() == [NOWHERE, NOWHERE]


async def test_without_a_geocoder_addresses_wait_for_a_person(bare: httpx.AsyncClient) -> None:
    card = await make_client(bare, "Петров", addresses=[{"address": LENINA}])
    assert await queued() == []
    report = await geocoding.geocode_due()
    assert report.skipped == "no geocoder configured" and report.left == 1
    listed = (await bare.get(UNLOCATED)).json()
    assert listed["geocoder"] is False
    assert [(i["id"], i["waiting"]) for i in listed["items"]] == [
        (card["addresses"][0]["id"], False)
    ]
    assert (await address_rows(card["id"]))[0]["geo_status"] == "pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lat": 91, "lon": 37}, "lat"),
        ({"lat": 54, "lon": -181}, "lon"),
        ({"lat": 54}, "lon"),
        ({"lon": 37}, "lat"),
        ({"lat": 54, "lon": None}, "lon"),
        ({"retry": True, "lat": 54, "lon": 37}, "retry"),
        ({"address": "  "}, "address"),
        ({"address": "x\u0000"}, "address"),
        ({"lat": "north", "lon": 37}, "lat"),
        ({"colour": "red"}, "colour"),
    ],
)
async def test_bad_input_names_its_field(
    bare: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    card = await make_client(bare, "Петров", addresses=[{"address": LENINA}])
    url = f"/api/v1/clients/{card['id']}/addresses/{card['addresses'][0]['id']}"
    answer = await bare.patch(url, json=body)
    assert answer.status_code in (400, 422), answer.text
    assert await errors_of(answer) == {field}


@pytest.mark.parametrize(
    ("addresses", "field"),
    [
        ([{"address": LENINA, "lat": 54.2}], "addresses[0].lon"),
        ([{"address": LENINA, "lon": 37.6}], "addresses[0].lat"),
        ([{"address": LENINA}, {"address": NOWHERE, "lat": -91, "lon": 0}], "addresses[1].lat"),
        ([{"address": LENINA, "id": 2_000_000}], "addresses[0].id"),
    ],
)
async def test_bad_addresses_of_a_client_name_their_field(
    bare: httpx.AsyncClient, addresses: list[dict[str, Any]], field: str
) -> None:
    card = await make_client(bare, "Петров", addresses=[{"address": SOVETSKAYA}])
    answer = await bare.patch(f"/api/v1/clients/{card['id']}", json={"addresses": addresses})
    assert answer.status_code == 422, answer.text
    assert await errors_of(answer) == {field}
    created = await bare.post("/api/v1/clients", json={"name": "Иванов", "addresses": addresses})
    if field.endswith(".id"):
        return
    assert created.status_code == 422 and await errors_of(created) == {field}


async def test_another_domain_reads_points_within_scope(client: httpx.AsyncClient) -> None:
    from server.clients.locations import address_points
    from server.staff.services import load_actor
    from tests.server.orders.builders import intake

    await make_employee("boss", roles=["admin"])
    tech = await make_employee("tech", roles=["technician"])
    await login_as(client, "boss")
    mine = await make_client(
        client,
        "Свой",
        addresses=[{"address": LENINA, "lat": 54.1931, "lon": 37.6175}, {"address": NOWHERE}],
    )
    foreign = await make_client(client, "Чужой", addresses=[{"address": SOVETSKAYA}])
    await intake(client, mine["id"], technician_id=tech.id)
    actor = await load_actor(tech.id)
    assert actor is not None
    points = await address_points(actor, [mine["id"], foreign["id"], mine["id"]])
    assert [(p.text, p.lat, p.geo_status, p.is_primary) for p in points[mine["id"]]] == [
        (LENINA, 54.1931, "manual", True),
        (NOWHERE, None, "pending", False),
    ]
    assert points[foreign["id"]] == []
    boss = await load_actor((await make_employee("chief", roles=["manager"])).id)
    assert boss is not None
    every = await address_points(boss, [foreign["id"]])
    assert [p.text for p in every[foreign["id"]]] == [SOVETSKAYA]


async def test_old_coordinates_become_manual_in_the_data_migration(bare: httpx.AsyncClient) -> None:
    import importlib

    from piccolo.querystring import QueryString

    from server.piccolo_conf import DB

    migration = importlib.import_module(
        "server.clients.migrations.clients_2026_12_01t23_00_01_000000"
    )
    card = await make_client(bare, "Петров", addresses=[{"address": LENINA}, {"address": NOWHERE}])
    typed, lone = await address_rows(card["id"])
    await ClientAddress.update({ClientAddress.lat: 54.0, ClientAddress.lon: 37.0}).where(
        ClientAddress.id == typed["id"]
    )
    await ClientAddress.update({ClientAddress.lat: 54.0}).where(ClientAddress.id == lone["id"])
    for statement in migration.STATEMENTS[:-1]:  # the index exists already
        await DB.run_querystring(QueryString(statement))
    typed, lone = await address_rows(card["id"])
    assert (typed["geo_status"], typed["lat"]) == ("manual", 54.0)
    assert (lone["geo_status"], lone["lat"], lone["lon"]) == ("pending", None, None)
