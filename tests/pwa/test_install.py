"""The field app installs, works at 360 px and asks nothing of other origins."""

from __future__ import annotations

import io

import httpx
from PIL import Image
from playwright.sync_api import Browser

from tests.live import ServerProcess, query
from tests.pwa.field import (
    first_visit,
    local_rows,
    open_action,
    open_field_app,
    phone,
    wait_synced,
)


def test_the_manifest_describes_an_installable_app(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    body = response.json()
    assert body["name"] == "Servio — выезды" and body["short_name"]
    assert body["start_url"] == "/field" and body["scope"] == "/"
    assert body["display"] == "standalone"
    assert body["theme_color"] == "#1f6feb" and body["background_color"] == "#f4f6f8"
    sizes = {}
    for icon in body["icons"]:
        png = httpx.get(server.url + icon["src"])
        assert png.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(png.content))
        assert f"{image.size[0]}x{image.size[1]}" == icon["sizes"]
        sizes[(icon["sizes"], icon.get("purpose", "any"))] = image.format
    assert sizes == {
        ("192x192", "any"): "PNG",
        ("512x512", "any"): "PNG",
        ("192x192", "maskable"): "PNG",
        ("512x512", "maskable"): "PNG",
    }
    page = httpx.get(f"{server.url}/login")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text


def test_the_worker_is_served_at_the_root_with_the_shell_version(server: ServerProcess) -> None:
    worker = httpx.get(f"{server.url}/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert "__VERSION__" not in worker.text and "__ASSETS__" not in worker.text
    assert '"/static/field/views/card.js"' in worker.text and '"/field"' in worker.text
    # the app itself needs a session: a stranger is sent to log in
    shell = httpx.get(f"{server.url}/field")
    assert shell.status_code in (302, 303) and shell.headers["location"] == "/login?next=/field"


def test_the_app_is_controlled_by_the_worker_and_caches_no_api(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
          }
          return urls;
        }"""
    )
    paths = {url.removeprefix(server.url) for url in cached}
    assert {"/field", "/manifest.webmanifest", "/static/field/app.js"} <= paths
    assert not [p for p in paths if p.startswith("/api/")]

    # one thumb at 360 px: no sideways scrolling on any screen; every request to our origin
    for screen in ("today", "card", "line", "photo", "sign", "pay", "comment", "fault", "sync"):
        if screen == "card":
            page.locator("[data-testid=visit]").first.click()
            page.wait_for_selector("[data-testid=actions]")
        elif screen == "sync":
            page.click("#sync")
            page.wait_for_selector("[data-action=sync-now]")
        elif screen != "today":
            open_action(page, screen)
            page.wait_for_selector(".bottom-bar")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, screen
        if screen not in ("today", "card", "sync"):
            page.go_back()  # from the action screen back to the card
            page.wait_for_selector("[data-testid=actions]")
    foreign = [u for u in requests if not u.startswith(server.url)]
    assert foreign == []
    context.close()


def test_visits_show_in_the_centers_order_with_times_colours_and_distance(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field2")
    wait_synced(page)
    page.wait_for_selector("[data-testid=distance]")
    windows = page.locator("[data-testid=visit] .window").all_inner_texts()
    assert windows == sorted(windows) and all("–" in w for w in windows)
    page.locator("[data-testid=visit]").first.click()
    page.wait_for_selector("[data-testid=call]")
    assert (page.get_attribute("[data-testid=call]", "href") or "").startswith("tel:+7")
    links = [
        page.get_attribute(f"[data-map='{name}']", "href") or ""
        for name in ("Навигатор", "Яндекс Карты", "Google Maps")
    ]
    assert (
        links[0].startswith("geo:")
        and "yandex.ru/maps" in links[1]
        and "google.com/maps" in links[2]
    )
    context.close()


def test_a_visit_handed_to_another_master_leaves_the_phone(
    server: ServerProcess, browser: Browser
) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field2")
    wait_synced(page)
    visit, stored = first_visit(page), local_rows(page, "visits")
    shown = page.locator("[data-testid=visit]").count()
    (owner,) = query(server.database_url, "SELECT master FROM visit WHERE id = $1", visit)
    hand = "UPDATE visit SET master = $2 WHERE id = $1"
    (other,) = query(server.database_url, "SELECT id FROM employee WHERE login = 'field1'")
    query(server.database_url, hand, visit, other["id"])
    try:
        page.reload()
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=visit]').length === {shown - 1}",
            timeout=30000,
        )
        assert page.locator(f"[data-testid=visit][href$='/{visit}']").count() == 0
        assert local_rows(page, "visits") == stored - 1
    finally:
        query(server.database_url, hand, visit, owner["master"])
    context.close()


def test_background_sync_wakes_the_page_to_send(server: ServerProcess, browser: Browser) -> None:
    context = phone(browser)
    page = context.new_page()
    open_field_app(page, server.url, "field1")
    wait_synced(page)
    answered = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          if (!registration.sync) return "no Background Sync";
          const asked = new Promise((resolve) => navigator.serviceWorker.addEventListener(
            "message", (event) => resolve(event.data && event.data.type)));
          await registration.sync.register("servio-outbox");
          return await asked;
        }"""
    )
    assert answered == "FLUSH"
    context.close()


def test_an_english_speaking_master_gets_the_app_in_english(
    server: ServerProcess, browser: Browser
) -> None:
    query(server.database_url, "UPDATE employee SET language = 'en' WHERE login = 'field2'")
    try:
        context = phone(browser, locale="en-GB")
        page = context.new_page()
        open_field_app(page, server.url, "field2")
        wait_synced(page)
        page.wait_for_selector("h1:has-text('Today')")
        page.locator("[data-testid=visit]").first.click()
        assert page.inner_text("[data-testid=actions]") == "Actions"
        assert page.get_attribute("html", "lang") == "en"
        context.close()
    finally:
        query(server.database_url, "UPDATE employee SET language = 'ru' WHERE login = 'field2'")
