"""The field app with the server gone, a lost answer, a conflict, an ended session, a new release.

One live server for the module; tests stop and start it on the same port and database.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx
from PIL import Image
from playwright.sync_api import Browser, Route, expect

from tests.live import ServerProcess, query
from tests.pwa.field import (
    PASSWORD,
    draw_signature,
    first_visit,
    jpeg,
    local_rows,
    open_action,
    open_field_app,
    phone,
    wait_synced,
    wait_waiting,
)


def _order_of(database: str, visit_id: int) -> int:
    return int(query(database, 'SELECT "order" AS id FROM visit WHERE id = $1', visit_id)[0]["id"])


def _count(database: str, sql: str, *args: object) -> int:
    return int(query(database, sql, *args)[0]["n"])


def test_a_day_offline_is_sent_exactly_once_when_the_server_is_back(
    server: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    visit_id = first_visit(page)
    order = _order_of(database, visit_id)
    lines = _count(database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order)

    with server.stopped():
        page.reload()  # the server is gone: the app comes from the phone
        page.wait_for_selector("[data-testid=visit]")
        page.click(f"a[href='#/visit/{visit_id}']")
        page.click("[data-move=en_route]")
        page.wait_for_selector("[data-move=on_site]")
        open_action(page, "line")
        page.fill("input[name=price_search]", "насос")
        page.locator("[data-price]").first.click()
        page.wait_for_selector("[data-testid=lines] li.pending")
        open_action(page, "photo")
        page.set_input_files("input[name=photo]", str(jpeg(tmp_path / "pump.jpg")))
        page.wait_for_selector("[data-testid=preview] img")
        page.fill("input[name=caption]", "Старый насос")
        page.click("[data-action=save-photo]")
        wait_waiting(page, 3)
        open_action(page, "sign")
        draw_signature(page)
        page.fill("input[name=signer]", "Седых В. В.")
        page.click("[data-action=save-signature]")
        wait_waiting(page, 4)
        page.wait_for_selector("[data-testid=actions]")

        page.reload()  # still offline: everything is still waiting on the phone
        wait_waiting(page, 4)
        page.wait_for_selector("[data-testid=pending]")
        assert page.locator("[data-testid=pending]").count() == 4
        assert page.locator("[data-testid=lines] li.pending").count() == 1
        assert local_rows(page, "outbox") == 2 and local_rows(page, "files") == 2
        assert page.get_attribute("#sync", "data-online") == "no"

    wait_synced(page, timeout=90000)  # the server is back: the app sends by itself
    visit = query(database, "SELECT * FROM visit WHERE id = $1", visit_id)[0]
    assert visit["status"] == "en_route" and visit["status_latitude"] is not None
    moves = _count(
        database,
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'visit' AND entity_id = $1"
        " AND action = 'visit_status'",
        str(visit_id),
    )
    assert moves == 1
    assert _count(database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order) == (
        lines + 1
    )
    files = query(
        database,
        'SELECT id, content_type FROM stored_file WHERE "order" = $1 ORDER BY created_at',
        order,
    )
    assert [f["content_type"] for f in files] == ["image/jpeg", "image/png"]
    events = query(
        database,
        'SELECT text, data::text AS data FROM timeline_event WHERE "order" = $1'
        " AND kind = 'attachment' ORDER BY id",
        order,
    )
    assert "Старый насос" in events[0]["text"] + events[0]["data"]
    assert '"signer": "Седых В. В."' in events[1]["data"]
    jar = {c["name"]: c["value"] for c in context.cookies()}
    photo = httpx.get(f"{server.url}/api/v1/files/{files[0]['id']}", cookies=jar)
    assert max(Image.open(io.BytesIO(photo.content)).size) == 1600  # downscaled on the phone
    assert local_rows(page, "outbox") == 0 and local_rows(page, "files") == 0
    page.wait_for_selector("[data-testid=pending]", state="detached")
    context.close()


def test_a_check_in_taken_offline_is_recorded_once_with_the_phones_time(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field2")
    wait_synced(page)
    master = query(database, "SELECT id FROM employee WHERE login = 'field2'")[0]["id"]
    before = _count(database, "SELECT count(*) AS n FROM timeclock_entry WHERE employee_id = $1",
                    master)  # fmt: skip
    state = page.locator("[data-testid=clock-state]")
    with server.stopped():
        page.reload()
        page.wait_for_selector("[data-testid=time-clock]")
        checked = "На работе" in state.inner_text()
        page.click("[data-testid=clock-check]")
        expect(state).to_contain_text("Не на работе" if checked else "На работе с")
        wait_waiting(page, 1)
        page.reload()  # still offline: the phone remembers it
        expect(state).to_contain_text("Не на работе" if checked else "На работе с")
    wait_synced(page, timeout=90000)
    rows = query(
        database,
        "SELECT kind, source, latitude, created_at - at AS lag FROM timeclock_entry"
        " WHERE employee_id = $1 ORDER BY id",
        master,
    )
    assert len(rows) == before + 1  # sent once
    assert (rows[-1]["kind"], rows[-1]["source"]) == ("out" if checked else "in", "field")
    assert rows[-1]["latitude"] is not None
    assert rows[-1]["lag"].total_seconds() > 0  # the time the phone took it, not the sync's
    page.evaluate("async () => (await import('/static/field/sync.js')).flush()")  # nothing waits
    page.reload()
    try:
        expect(state).to_contain_text("Не на работе" if checked else "На работе с")  # the server's
    except AssertionError as missed:
        stored = page.evaluate(
            "async () => (await import('/static/field/db.js')).meta('me').then((me) => me?.clock)"
        )
        entries = query(
            database,
            "SELECT id, kind, at, created_at FROM timeclock_entry WHERE employee_id = $1"
            " ORDER BY at DESC LIMIT 3",
            master,
        )
        raise AssertionError(f"the phone holds {stored}; latest entries {entries}") from missed
    context.close()


def test_a_lost_answer_is_asked_again_and_applies_nothing_twice(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    lost: list[str] = []

    def lose_first_answer(route: Route) -> None:
        if not lost:
            route.fetch()  # the server applies the batch...
            lost.append(route.request.post_data or "")
            route.abort("connectionreset")  # ...and the answer never reaches the phone
        else:
            route.continue_()

    open_field_app(page, server.url, "field2")
    wait_synced(page)
    order = _order_of(database, first_visit(page))
    lines = _count(database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order)
    paid = query(
        database,
        'SELECT count(*) AS n, sum(amount) AS s FROM order_payment WHERE "order" = $1',
        order,
    )[0]
    page.locator("[data-testid=visit]").first.click()
    context.set_offline(True)  # three changes queued, then sent in one batch
    open_action(page, "comment")
    page.fill("textarea[name=comment]", "Клиент просил перезвонить")
    page.click("[data-action=save-comment]")
    open_action(page, "line")
    page.locator("[data-price]").first.click()
    open_action(page, "pay")
    page.fill("input[name=amount]", "500")
    page.click("[data-action=save-payment]")
    wait_waiting(page, 3)
    page.route("**/api/v1/sync/push", lose_first_answer)
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_synced(page, timeout=90000)
    assert len(lost) == 1 and lost[0].count('"kind"') == 3
    comments = _count(
        database,
        "SELECT count(*) AS n FROM timeline_event WHERE text = 'Клиент просил перезвонить'",
    )
    assert comments == 1
    assert _count(database, 'SELECT count(*) AS n FROM order_line WHERE "order" = $1', order) == (
        lines + 1
    )
    after = query(
        database,
        'SELECT count(*) AS n, sum(amount) AS s FROM order_payment WHERE "order" = $1',
        order,
    )[0]
    assert after["n"] == paid["n"] + 1
    assert after["s"] == (paid["s"] or Decimal(0)) + Decimal("500.00")
    assert local_rows(page, "outbox") == 0
    context.close()


@contextmanager
def _dispatcher(server: ServerProcess) -> Iterator[httpx.Client]:
    """The dispatcher at the office, through the API."""
    with httpx.Client(base_url=server.url) as client:
        login = client.post(
            "/api/v1/auth/login", json={"login": "dispatcher", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        yield client


def test_a_conflict_is_shown_to_the_master_and_to_the_dispatcher(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    visits = page.locator("[data-testid=visit]")
    visit_id = int((visits.nth(1).get_attribute("href") or "").rsplit("/", 1)[1])
    order_id = _order_of(database, visit_id)
    context.set_offline(True)
    with _dispatcher(server) as dispatcher:
        changed = dispatcher.patch(
            f"/api/v1/orders/{order_id}", json={"declared_fault": "Со слов клиента: шум"}
        )
        assert changed.status_code == 200, changed.text
        page.click(f"a[href='#/visit/{visit_id}']")
        open_action(page, "fault")
        page.fill("textarea[name=declared_fault]", "Засор сливного фильтра")
        page.click("[data-action=save-fault]")
        page.wait_for_selector("[data-testid=fault]:has-text('Засор сливного фильтра')")
        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.wait_for_function(
            "() => document.getElementById('sync').dataset.problems === '1'", timeout=60000
        )
        page.click("#sync")
        page.wait_for_selector("[data-testid=problem][data-state=conflict]")
        assert "Со слов клиента: шум" in page.inner_text("[data-testid=server-value]")
        assert "Засор сливного фильтра" in page.inner_text("[data-testid=mine-value]")
        card = dispatcher.get(f"/orders/{order_id}")
        assert "Засор сливного фильтра" in card.text and "event-sync_conflict" in card.text

        # the master insists, knowingly: the change goes again, based on the server's value
        page.click("[data-action=insist]")
        wait_synced(page)
        fault = query(database, "SELECT declared_fault FROM service_order WHERE id = $1", order_id)
        assert fault[0]["declared_fault"] == "Засор сливного фильтра"
    context.close()


def test_a_refused_change_is_given_up_knowingly(server: ServerProcess, browser: Browser) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field2")
    wait_synced(page)
    visit_id = int(
        (page.locator("[data-testid=visit]").last.get_attribute("href") or "").rsplit("/", 1)[1]
    )
    page.click(f"a[href='#/visit/{visit_id}']")
    context.set_offline(True)
    with _dispatcher(server) as dispatcher:  # the visit is called off while the master is away
        cancelled = dispatcher.post(
            f"/api/v1/visits/{visit_id}/status", json={"status": "cancelled"}
        )
        assert cancelled.status_code == 200, cancelled.text
    page.click("[data-move=en_route]")
    wait_waiting(page, 1)
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.getElementById('sync').dataset.problems === '1'")
    page.click("#sync")
    page.wait_for_selector("[data-testid=problem][data-state=rejected]")
    page.click("[data-action=discard]")  # the first tap only asks
    assert page.locator("[data-testid=problem]").count() == 1
    # a sync between the two taps redraws the page; the first tap is not forgotten (it was:
    # the second tap only asked again, and the change stayed)
    page.evaluate("() => import('/static/field/sync.js').then((sync) => sync.flush())")
    expect(page.locator("[data-action=discard]")).to_have_text("Точно отказаться? Нажмите ещё раз")
    page.click("[data-action=discard]")
    wait_synced(page)
    page.wait_for_selector("[data-testid=problem]", state="detached")
    context.close()


def test_an_ended_session_asks_to_log_in_again_and_keeps_the_change(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field2")
    wait_synced(page)
    jar = {c["name"]: c["value"] for c in context.cookies()}
    with httpx.Client(base_url=server.url, cookies=jar) as same_session:
        ended = same_session.post("/api/v1/auth/logout", headers={"X-CSRFToken": jar["csrftoken"]})
        assert ended.status_code in (200, 204), ended.text  # as by "log out everywhere"
    page.locator("[data-testid=visit]").first.click()
    open_action(page, "comment")
    page.fill("textarea[name=comment]", "После повторного входа")
    page.click("[data-action=save-comment]")
    page.wait_for_selector("[data-testid=login-again]:not([hidden])", timeout=30000)
    assert page.evaluate("() => document.getElementById('sync').dataset.waiting") == "1"
    page.click("[data-testid=login-again]")
    page.fill("input[name=login]", "field2")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/field")
    wait_synced(page)
    saved = _count(
        database, "SELECT count(*) AS n FROM timeline_event WHERE text = 'После повторного входа'"
    )
    assert saved == 1
    context.close()


def test_another_employee_on_the_same_phone_does_not_send_the_first_ones_changes(
    server: ServerProcess, browser: Browser
) -> None:
    database = server.database_url
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    page.locator("[data-testid=visit]").first.click()
    context.set_offline(True)
    open_action(page, "comment")
    page.fill("textarea[name=comment]", "Оставлено первым мастером")
    page.click("[data-action=save-comment]")
    wait_waiting(page, 1)
    context.clear_cookies()  # field1 is gone; field2 takes the phone
    context.set_offline(False)
    open_field_app(page, server.url, "field2")
    page.wait_for_function("() => document.getElementById('sync').dataset.problems === '1'")
    page.click("#sync")
    page.wait_for_selector("[data-testid=problem][data-state=held]")
    text = "SELECT count(*) AS n FROM timeline_event WHERE text = 'Оставлено первым мастером'"
    assert _count(database, text) == 0
    context.clear_cookies()  # field1 again: the comment goes, as field1's
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    author = query(
        database,
        "SELECT e.login FROM timeline_event t JOIN employee e ON e.id = t.author"
        " WHERE t.text = 'Оставлено первым мастером'",
    )
    assert [a["login"] for a in author] == ["field1"]
    context.close()


def test_a_new_release_offers_a_reload_and_takes_over_the_page(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    server.stop()
    server.start(env={"SERVIO_RELEASE": "1"})
    open_field_app(page, server.url, "field1")
    first = page.get_attribute("body", "data-version")
    server.stop()
    server.start(env={"SERVIO_RELEASE": "2"})
    page.reload()  # the shell comes from the cache; the browser finds a new /sw.js meanwhile
    page.wait_for_selector("#update:not([hidden])", timeout=30000)
    assert page.get_attribute("body", "data-version") == first
    page.click("#update-reload")
    page.wait_for_function(f"() => document.body.dataset.version !== '{first}'", timeout=30000)
    page.wait_for_selector("[data-testid=visit]")
    assert page.locator("#update").is_hidden()
    waiting = page.evaluate(
        "async () => !!(await navigator.serviceWorker.getRegistration()).waiting"
    )
    assert waiting is False
    context.close()
