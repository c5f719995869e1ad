"""The board page: the shell for planners with the settings its scripts start from, and the
map tile server allowed by the page's own policy only when one is configured."""

from __future__ import annotations

import json

import httpx
import pytest

from server.config import get_settings
from server.dispatch import board_view
from server.middleware import CONTENT_SECURITY_POLICY
from tests.server.builders import login_as, make_employee
from tests.server.dispatch.planbuilders import around, field_order_at, master


async def test_a_planner_gets_the_board_shell_with_the_day_and_the_queue(
    client: httpx.AsyncClient,
) -> None:
    await master("m1", *around(1), full_name="Мастер Один")
    await make_employee("disp", roles=["dispatcher"])
    await login_as(client, "disp")
    order = await field_order_at(client, "ул. Рождественская, 1", *around(2))
    page = await client.get("/dispatch")
    assert page.status_code == 200
    assert 'id="board-app"' in page.text and "/static/js/board.js" in page.text
    assert "Мастер Один" in page.text and order["number"] in page.text  # readable without JS
    settings = json.loads(page.text.split('id="board-settings">', 1)[1].split("</script>", 1)[0])
    assert settings["zone"] == "Europe/Moscow" and settings["tiles"] == ""
    assert [q["order_id"] for q in settings["board"]["queue"]] == [order["id"]]
    words = json.loads(page.text.split('id="board-strings">', 1)[1].split("</script>", 1)[0])
    assert words["messages"]["Plan the day"] == "Спланировать день"
    assert "img-src 'self' data: blob:;" in page.headers["content-security-policy"]


def test_a_tile_server_is_allowed_for_images_only_when_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    get_settings.cache_clear()
    assert board_view.security_headers() == {}
    monkeypatch.setenv("SERVIO_MAP_TILES", "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    get_settings.cache_clear()
    try:
        policy = board_view.security_headers()["Content-Security-Policy"]
        assert "img-src 'self' data: blob: https://*.tiles.example.org;" in policy
        assert policy.replace(" https://*.tiles.example.org", "") == CONTENT_SECURITY_POLICY
        monkeypatch.setenv("SERVIO_MAP_TILES", "javascript:alert(1)")
        get_settings.cache_clear()
        assert board_view.security_headers() == {}
    finally:
        monkeypatch.delenv("SERVIO_MAP_TILES")
        get_settings.cache_clear()
