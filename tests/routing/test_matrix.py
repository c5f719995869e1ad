"""Travel matrix providers: geodesic with road factor and speed, OSRM table over HTTP."""

import json

import httpx
import pytest

from routing import GeodesicMatrix, Location, MatrixError, OsrmMatrix, TravelTable

MOSCOW = Location(55.7558, 37.6173)
PETERSBURG = Location(59.9343, 30.3351)


def test_geodesic_distance_times_road_factor_at_average_speed() -> None:
    table = GeodesicMatrix(road_factor=1.0, speed_kmh=60).table([MOSCOW], [MOSCOW, PETERSBURG])
    assert table.distances[0][0] == 0 and table.durations[0][0] == 0
    assert table.distances[0][1] == pytest.approx(634_000, abs=3_000)
    assert table.durations[0][1] == pytest.approx(table.distances[0][1] / (60 / 3.6), abs=1)
    slower = GeodesicMatrix(road_factor=1.5, speed_kmh=30).table([MOSCOW], [PETERSBURG])
    assert slower.distances[0][0] == pytest.approx(1.5 * table.distances[0][1], abs=2)
    assert slower.durations[0][0] == pytest.approx(3 * table.durations[0][1], abs=3)


def test_geodesic_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        GeodesicMatrix(speed_kmh=0)


def _osrm(handler) -> OsrmMatrix:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return OsrmMatrix("http://osrm.local/", client=client)


def test_osrm_table_request_and_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"code": "Ok", "durations": [[0.0, 600.4]], "distances": [[0.0, 7012.6]]}
        return httpx.Response(200, content=json.dumps(body))

    table = _osrm(handler).table([MOSCOW], [MOSCOW, PETERSBURG])
    assert table.durations == [[0, 600]] and table.distances == [[0, 7013]]
    [request] = seen
    assert request.url.path == "/table/v1/driving/37.617300,55.755800;30.335100,59.934300"
    assert request.url.params["sources"] == "0"
    assert request.url.params["destinations"] == "0;1"
    assert request.url.params["annotations"] == "duration,distance"


def test_a_big_osrm_table_is_asked_in_blocks_the_server_takes() -> None:
    points = [Location(55.0 + i / 100, 37.0 + i / 100) for i in range(23)]
    asked: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        coords = request.url.path.rsplit("/", 1)[1].split(";")
        asked.append(len(coords))
        lon_lat = [tuple(map(float, c.split(","))) for c in coords]
        sources = [lon_lat[int(i)] for i in request.url.params["sources"].split(";")]
        targets = [lon_lat[int(i)] for i in request.url.params["destinations"].split(";")]
        # a duration that tells which pair it is: 1000 * origin's index + destination's
        code = {(round(p.lon, 6), round(p.lat, 6)): i for i, p in enumerate(points)}
        durations = [[1000 * code[s] + code[t] for t in targets] for s in sources]
        return httpx.Response(
            200, json={"code": "Ok", "durations": durations, "distances": durations}
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    table = OsrmMatrix("http://osrm.local", client=client, max_locations=10).table(points, points)
    assert table.durations == [[1000 * i + j for j in range(23)] for i in range(23)]
    assert max(asked) <= 10 and len(asked) == 25


def test_osrm_error_code_becomes_matrix_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": "InvalidQuery", "message": "bad coordinates"})

    with pytest.raises(MatrixError, match="InvalidQuery"):
        _osrm(handler).table([MOSCOW], [PETERSBURG])


def test_osrm_unreachable_pair_becomes_matrix_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"code": "Ok", "durations": [[None]], "distances": [[None]]}
        )

    with pytest.raises(MatrixError, match="unreachable"):
        _osrm(handler).table([MOSCOW], [PETERSBURG])


def test_osrm_http_failure_becomes_matrix_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, text="overloaded")

    with pytest.raises(MatrixError, match="OSRM table request failed"):
        _osrm(handler).table([MOSCOW], [PETERSBURG])


def test_vectorised_geodesic_matches_geopy_within_a_few_metres() -> None:
    import random

    rng = random.Random(3)
    city = [Location(rng.uniform(55.5, 56.0), rng.uniform(37.3, 37.9)) for _ in range(25)]
    far = [MOSCOW, PETERSBURG, Location(43.1, 131.9), Location(-33.9, 151.2)]
    matrix = GeodesicMatrix(road_factor=1.4, speed_kmh=25)
    for points in (city, far):
        fast, exact = matrix.table(points, points), matrix.geopy_table(points, points)
        for row_fast, row_exact in zip(fast.distances, exact.distances, strict=True):
            for got, want in zip(row_fast, row_exact, strict=True):
                assert abs(got - want) <= max(2, want * 5e-5), (got, want)
        for row_fast, row_exact in zip(fast.durations, exact.durations, strict=True):
            for got, want in zip(row_fast, row_exact, strict=True):
                assert abs(got - want) <= max(1, want * 5e-5)
    assert matrix.table([], city) == TravelTable(durations=[], distances=[])
