"""The field app in real headless Chromium against a real server that goes away and comes back."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Route

from tests.browser import chromium
from tests.live import LiveServer, fresh_database, serve, servio

PASSWORD = "servio-demo"
MOSCOW = {"latitude": 55.751, "longitude": 37.618}


def _sql(url: str, query: str, *args: Any) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(url)
        try:
            return [dict(r) for r in await conn.fetch(query, *args)]
        finally:
            await conn.close()

    # Playwright's sync API keeps an event loop running in this thread: query from another one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="module")
def database() -> str:
    url = fresh_database("servio_test_field_app")
    servio("demo", database_url=url)
    return url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def _phone(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport={"width": 360, "height": 740},
        geolocation=MOSCOW,
        permissions=["geolocation"],
        locale="ru-RU",
        # A phone far east of the center: "today" must still be the center's day.
        timezone_id="Pacific/Kiritimati",
    )


def _open_field_app(page: Page, server: LiveServer, login: str) -> None:
    page.goto(f"{server.url}/login?next=/field")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/field")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)
    page.wait_for_selector("[data-testid=visit]", timeout=20000)


def _wait_synced(page: Page, timeout: float = 60000) -> None:
    page.wait_for_function(
        "() => { const b = document.getElementById('sync');"
        " return b.dataset.waiting === '0' && b.dataset.problems === '0'"
        " && b.dataset.lastSync !== ''; }",
        timeout=timeout,
    )


def _jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (30, 120, 200)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _first_visit(page: Page) -> int:
    href = page.locator("[data-testid=visit]").first.get_attribute("href") or ""
    return int(href.rsplit("/", 1)[1])


def test_the_app_installs_and_asks_nothing_of_other_origins(
    database: str, browser: Browser
) -> None:
    with serve(database) as server:
        manifest = httpx.get(f"{server.url}/manifest.webmanifest")
        assert manifest.headers["content-type"].startswith("application/manifest+json")
        body = manifest.json()
        assert body["start_url"] == "/field" and body["display"] == "standalone"
        assert body["name"] and body["short_name"] and body["theme_color"]
        sizes = {}
        for icon in body["icons"]:
            image = Image.open(io.BytesIO(httpx.get(server.url + icon["src"]).content))
            sizes[(icon["sizes"], icon.get("purpose", "any"))] = image.size
        assert sizes == {
            ("192x192", "any"): (192, 192),
            ("512x512", "any"): (512, 512),
            ("512x512", "maskable"): (512, 512),
        }
        worker = httpx.get(f"{server.url}/sw.js")
        assert worker.status_code == 200 and "__VERSION__" not in worker.text

        context = _phone(browser)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        _open_field_app(page, server, "field1")
        _wait_synced(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        page.locator("[data-testid=visit]").first.click()
        page.wait_for_selector("[data-move]")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        foreign = [u for u in requests if not u.startswith(server.url)]
        assert foreign == []
        context.close()


def test_a_day_offline_is_sent_exactly_once_when_the_server_is_back(
    database: str, browser: Browser, tmp_path: Path
) -> None:
    context = _phone(browser)
    page = context.new_page()
    with serve(database) as server:
        port = server.url.rsplit(":", 1)[1]
        _open_field_app(page, server, "field1")
        _wait_synced(page)
        visit_id = _first_visit(page)
    # the server is gone: the phone reloads the app and works on
    page.reload()
    page.wait_for_selector("[data-testid=visit]")
    page.click(f"a[href='#/visit/{visit_id}']")
    page.click("[data-move=en_route]")
    page.wait_for_selector("[data-move=on_site]")
    page.fill("input[name=price_search]", "насос")
    page.locator("[data-price]").first.click()
    page.wait_for_selector("[data-testid=lines] li.pending")
    page.set_input_files("input[name=photo]", str(_jpeg(tmp_path / "pump.jpg")))
    page.fill("input[name=caption]", "Старый насос")
    page.click("[data-action=save-photo]")
    page.wait_for_function("() => document.getElementById('sync').dataset.waiting === '3'")
    box = page.locator("[data-testid=signature]").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
    page.mouse.up()
    page.click("[data-action=save-signature]")
    page.wait_for_function("() => document.getElementById('sync').dataset.waiting === '4'")

    page.reload()  # still offline: everything is still waiting on the phone
    page.wait_for_function("() => document.getElementById('sync').dataset.waiting === '4'")
    assert page.locator("[data-testid=pending]").count() == 4

    order = _sql(database, 'SELECT "order" AS id FROM visit WHERE id = $1', visit_id)[0]["id"]
    lines_before = _sql(database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order)
    with serve(database, port=int(port)):
        _wait_synced(page, timeout=90000)
        visit = _sql(database, "SELECT * FROM visit WHERE id = $1", visit_id)[0]
        assert visit["status"] == "en_route" and visit["status_latitude"] is not None
        moves = _sql(
            database,
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'visit' AND entity_id = $1"
            " AND action = 'visit_status'",
            str(visit_id),
        )
        assert moves[0]["n"] == 1
        lines_after = _sql(
            database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order
        )
        assert lines_after[0]["n"] == lines_before[0]["n"] + 1
        files = _sql(
            database,
            'SELECT content_type, size FROM stored_file WHERE "order" = $1 ORDER BY created_at',
            order,
        )
        assert [f["content_type"] for f in files] == ["image/jpeg", "image/png"]
        assert page.evaluate("() => document.getElementById('sync').dataset.waiting") == "0"
    context.close()


def test_a_lost_answer_is_asked_again_and_applies_nothing_twice(
    database: str, browser: Browser
) -> None:
    context = _phone(browser)
    page = context.new_page()
    lost: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if not lost:
            route.fetch()  # the server applies the batch...
            lost.append(1)
            route.abort("connectionreset")  # ...and the answer never reaches the phone
        else:
            route.continue_()

    with serve(database) as server:
        _open_field_app(page, server, "field2")
        _wait_synced(page)
        page.route("**/api/v1/sync/push", lose_first_answer)
        page.locator("[data-testid=visit]").first.click()
        page.fill("textarea[name=comment]", "Клиент просил перезвонить")
        page.click("[data-action=save-comment]")
        for _ in range(300):  # until the first answer has been lost
            if lost:
                break
            page.wait_for_timeout(100)
        _wait_synced(page, timeout=90000)
        assert lost == [1]
        comments = _sql(
            database,
            "SELECT count(*) AS n FROM timeline_event WHERE text = 'Клиент просил перезвонить'",
        )
        assert comments[0]["n"] == 1
    context.close()


def test_a_conflict_is_shown_to_the_master_and_to_the_dispatcher(
    database: str, browser: Browser
) -> None:
    context = _phone(browser)
    page = context.new_page()
    with serve(database) as server:
        _open_field_app(page, server, "field1")
        _wait_synced(page)
        visit_id = _first_visit(page)
        order_id = _sql(database, 'SELECT "order" AS id FROM visit WHERE id = $1', visit_id)[0][
            "id"
        ]
        context.set_offline(True)
        with httpx.Client(base_url=server.url) as dispatcher:
            login = dispatcher.post(
                "/api/v1/auth/login", json={"login": "dispatcher", "password": PASSWORD}
            )
            assert login.status_code == 200
            dispatcher.headers["X-CSRFToken"] = dispatcher.cookies["csrftoken"]
            changed = dispatcher.patch(
                f"/api/v1/orders/{order_id}", json={"declared_fault": "Со слов клиента: шум"}
            )
            assert changed.status_code == 200, changed.text
            page.click(f"a[href='#/visit/{visit_id}']")
            page.fill("textarea[name=declared_fault]", "Засор сливного фильтра")
            page.click("[data-action=save-fault]")
            context.set_offline(False)
            page.wait_for_function(
                "() => document.getElementById('sync').dataset.problems === '1'", timeout=60000
            )
            page.click("#sync")
            page.wait_for_selector("[data-testid=problem]")
            assert "Со слов клиента: шум" in page.inner_text("[data-testid=problems]")
            card = dispatcher.get(f"/orders/{order_id}")
            assert "Засор сливного фильтра" in card.text and "event-sync_conflict" in card.text
    context.close()


def test_an_ended_session_asks_to_log_in_again_and_keeps_the_change(
    database: str, browser: Browser
) -> None:
    context = _phone(browser)
    page = context.new_page()
    with serve(database) as server:
        _open_field_app(page, server, "field2")
        _wait_synced(page)
        jar = {c["name"]: c["value"] for c in context.cookies()}
        with httpx.Client(base_url=server.url, cookies=jar) as same_session:
            ended = same_session.post(
                "/api/v1/auth/logout", headers={"X-CSRFToken": jar["csrftoken"]}
            )  # the session is ended on the server, as by "log out everywhere"
            assert ended.status_code in (200, 204), ended.text
        page.locator("[data-testid=visit]").first.click()
        page.fill("textarea[name=comment]", "После повторного входа")
        page.click("[data-action=save-comment]")
        page.wait_for_selector("[data-testid=login-again]:not([hidden])", timeout=30000)
        assert page.evaluate("() => document.getElementById('sync').dataset.waiting") == "1"
        page.click("[data-testid=login-again]")
        page.fill("input[name=login]", "field2")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/field")
        _wait_synced(page)
        saved = _sql(
            database,
            "SELECT count(*) AS n FROM timeline_event WHERE text = 'После повторного входа'",
        )
        assert saved[0]["n"] == 1
    context.close()


def test_a_new_release_offers_a_reload_and_takes_over_the_page(
    database: str, browser: Browser
) -> None:
    context = _phone(browser)
    page = context.new_page()
    with serve(database, env={"SERVIO_RELEASE": "1"}) as server:
        port = int(server.url.rsplit(":", 1)[1])
        _open_field_app(page, server, "field1")
        first = page.get_attribute("body", "data-version")
    with serve(database, port=port, env={"SERVIO_RELEASE": "2"}):
        page.reload()  # the browser checks /sw.js on navigation and finds a new one
        page.wait_for_selector("#update:not([hidden])", timeout=30000)
        assert page.get_attribute("body", "data-version") != first  # the page came from the network
        page.click("#update-reload")
        page.wait_for_selector("#update[hidden]", state="attached", timeout=30000)
        page.wait_for_selector("[data-testid=visit]")
        controller = page.evaluate(
            "() => navigator.serviceWorker.controller && navigator.serviceWorker.controller.state"
        )
        assert controller == "activated"
        waiting = page.evaluate(
            "async () => !!(await navigator.serviceWorker.getRegistration()).waiting"
        )
        assert waiting is False
    context.close()
