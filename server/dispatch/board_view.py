"""The board page's server-side part: the day as a readable list (what a browser without
scripts shows), the settings the board's scripts start from, and the page's security policy
when a map tile server is configured."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import msgspec

from server import clock
from server.actor import Actor
from server.config import get_settings
from server.dispatch import board as boards
from server.dispatch.board_strings import board_strings
from server.dispatch.choices import STATUS_COLORS, STATUS_LABELS
from server.middleware import CONTENT_SECURITY_POLICY


def _clock(value: str | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(clock.zone()).strftime("%H:%M")


def _row(item: boards.BoardVisit) -> dict[str, Any]:
    visit = item.visit
    return {
        "id": visit.id,
        "order_id": visit.order_id,
        "number": item.order_number or str(visit.order_id),
        "client_name": item.client_name,
        "address": visit.address,
        "starts": _clock(visit.planned_start),
        "window": f"{visit.window_start or ''}–{visit.window_end or ''}"
        if visit.window_start or visit.window_end
        else "",
        "duration": visit.duration_min,
        "status": visit.status,
        "eta": _clock(item.eta),
        "at_risk": item.at_risk,
        "pinned": visit.pinned_master or visit.pinned_time,
    }


def readable(board: boards.Board) -> dict[str, Any]:
    """The day's lanes and queue as plain rows for the template."""
    lanes = [
        {
            "id": m.id,
            "full_name": m.full_name,
            "color": m.color,
            "works": m.works,
            "absence": m.absence,
            "shift": f"{m.shift_start}–{m.shift_end}" if m.shift_start and m.shift_end else "",
            "visits": [_row(v) for v in sorted(m.visits, key=lambda v: v.visit.sequence)],
        }
        for m in board.masters
    ]
    return {
        "lanes": lanes,
        "unassigned": [_row(v) for v in board.unassigned],
        "queue": board.queue,
        "warnings": board.warnings,
    }


def settings(actor: Actor, board: boards.Board) -> dict[str, Any]:
    """What the board's scripts start from: the day, the zone, the map, the words."""
    return {
        "day": board.day.isoformat(),
        "today": clock.today().isoformat(),
        "zone": get_settings().timezone,
        "tiles": get_settings().map_tiles,
        "me": actor.full_name,
        "board": msgspec.to_builtins(board),
        "statusColors": STATUS_COLORS,
        "statuses": list(STATUS_LABELS),
    }


def strings() -> dict[str, object]:
    """The board scripts' words in the request's language."""
    return board_strings()


def security_headers() -> dict[str, str]:
    """The page's policy: the app's own, with the tile server's origin allowed for images."""
    parts = urlsplit(get_settings().map_tiles)
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host.removeprefix("{s}.")
    if parts.scheme not in ("http", "https") or not host or "{" in host:
        return {}
    policy = CONTENT_SECURITY_POLICY.replace(
        "img-src 'self' data: blob:", f"img-src 'self' data: blob: {parts.scheme}://{host}"
    )
    return {"Content-Security-Policy": policy}
