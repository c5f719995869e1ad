"""The field master's page on the employee card: the form, its errors, geocoding, the calendar."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from server.config import get_settings
from server.staff.tables import CalendarException, MasterProfile
from tests.server.builders import login_as, make_employee

FORM: dict[str, Any] = {
    "shift_start": "08:00",
    "shift_end": "17:00",
    "lunch_start": "12:00",
    "lunch_end": "13:00",
    "lunch_minutes": "30",
    "max_visits": "",
    "start_address": "Нижний Новгород, ул. Коминтерна, 39",
    "start_lat": "56,3551",
    "start_lon": "43.8627",
    "end_same_as_start": "1",
    **{f"works_{d}": "1" for d in range(5)},
    "start_5": "10:00",
    "end_5": "14:00",
    "works_5": "1",
}


def _token(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def _master_page(client: httpx.AsyncClient, master_id: int) -> str:
    response = await client.get(f"/staff/employees/{master_id}/master")
    assert response.status_code == 200, response.text
    return response.text


async def test_a_manager_fills_the_form_and_sees_the_fortnight(
    admin_client: httpx.AsyncClient,
) -> None:
    master = await make_employee("fm", roles=["field_technician"], full_name="Дмитрий Соколов")
    card = await admin_client.get(f"/staff/employees/{master.id}")
    assert f"/staff/employees/{master.id}/master" in card.text
    page = await _master_page(admin_client, master.id)
    assert 'data-testid="default-profile"' in page
    assert page.count('data-testid="master-day"') == 14
    url = f"/staff/employees/{master.id}/master"
    bad = await admin_client.post(
        url, data={**FORM, "lunch_end": "18:30", "_csrf_token": _token(page)}
    )
    assert bad.status_code == 400
    assert "Окно обеда должно быть внутри смены" in bad.text
    assert 'value="18:30"' in bad.text  # the input is kept
    saved = await admin_client.post(url, data={**FORM, "_csrf_token": _token(page)})
    assert saved.status_code in (302, 303), saved.text
    row = await MasterProfile.select().where(MasterProfile.employee == master.id).first()
    assert row is not None and row["start_lat"] == 56.3551 and row["lunch_minutes"] == 30
    page = await _master_page(admin_client, master.id)
    added = await admin_client.post(
        f"{url}/exceptions",
        data={"x_kind": "changed_hours", "x_first_day": "2027-03-01", "_csrf_token": _token(page)},
    )
    assert added.status_code == 400 and "Укажите часы работы" in added.text
    added = await admin_client.post(
        f"{url}/exceptions",
        data={"x_kind": "sick", "x_first_day": "2027-03-01", "x_last_day": "2027-03-02",
              "x_comment": "ОРВИ", "_csrf_token": _token(page)},
    )  # fmt: skip
    assert added.status_code in (302, 303), added.text
    stored = await CalendarException.select().where(CalendarException.employee == master.id)
    assert [(r["kind"], r["comment"]) for r in stored] == [("sick", "ОРВИ")]
    removed = await admin_client.post(
        f"{url}/exceptions/{stored[0]['id']}/delete", data={"_csrf_token": _token(page)}
    )
    assert removed.status_code in (302, 303)
    assert await CalendarException.count().where(CalendarException.employee == master.id) == 0


async def test_a_master_sees_own_page_read_only(client: httpx.AsyncClient) -> None:
    master = await make_employee("fm", roles=["field_technician"])
    other = await make_employee("fm2", roles=["field_technician"])
    await login_as(client, "fm")
    page = await _master_page(client, master.id)
    assert 'data-testid="exception-form"' not in page and "disabled" in page
    assert (await client.get(f"/staff/employees/{other.id}/master")).status_code == 403


class _Nominatim(BaseHTTPRequestHandler):
    """Knows one street; anything else is not found."""

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        found = [{"lat": "56.3236", "lon": "43.9439", "display_name": query}]
        body = json.dumps(found if "Литвинова" in query else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def geocoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local Nominatim-speaking server configured as the geocoder."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SERVIO_GEOCODER", f"nominatim:http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("SERVIO_GEOCODER_RATE", "1000")
    get_settings.cache_clear()
    yield
    server.shutdown()
    server.server_close()
    monkeypatch.delenv("SERVIO_GEOCODER")
    get_settings.cache_clear()


async def test_typed_places_are_geocoded_and_the_unfound_shown_as_such(
    admin_client: httpx.AsyncClient, geocoder: None
) -> None:
    master = await make_employee("fm", roles=["field_technician"])
    body = {
        "shift_start": "09:00:00",
        "shift_end": "18:00:00",
        "start_address": "Нижний Новгород, ул. Литвинова, 15",
        "end_same_as_start": False,
        "end_address": "Нижний Новгород, нет такой улицы, 1",
    }
    saved = await admin_client.put(f"/api/v1/staff/{master.id}/master-profile", json=body)
    assert saved.status_code == 200, saved.text
    out = saved.json()
    assert (out["start_lat"], out["start_lon"], out["start_located"]) == (56.3236, 43.9439, True)
    assert out["end_lat"] is None and out["end_located"] is False
    page = await _master_page(admin_client, master.id)
    assert 'data-testid="end-unlocated"' in page and 'data-testid="start-unlocated"' not in page
