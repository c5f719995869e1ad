"""The field app's shell: the page, its service worker and its web app manifest.

The service worker's cache name carries a hash of every file of the shell, computed once at
start, so a deploy that changes any of them makes phones fetch the new shell and offer a reload.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from litestar import Response, get
from litestar.response import Template

from server.config import PROJECT_ROOT, get_settings
from server.guards import CurrentActor
from server.i18n import gettext
from server.web.templating import page_context

PWA = PROJECT_ROOT / "pwa"
SHELL_PAGE = "/field"
SHELL_FILES = (
    "field/app.js",
    "field/db.js",
    "field/sync.js",
    "field/views.js",
    "field/i18n.js",
    "field/media.js",
    "field/field.css",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-512.png",
    "icons/favicon.svg",
)
THEME = "#1f6feb"
BACKGROUND = "#f4f6f8"


@cache
def shell_version() -> str:
    """A hash of the shell's files, page template and SERVIO_RELEASE."""
    digest = hashlib.sha256()
    for name in SHELL_FILES:
        digest.update((PWA / name).read_bytes())
    digest.update((PROJECT_ROOT / "server/templates/field/app.html").read_bytes())
    digest.update((PWA / "sw.js").read_bytes())
    digest.update(get_settings().release.encode())
    return digest.hexdigest()[:16]


@cache
def _worker_source() -> str:
    assets = [SHELL_PAGE, "/manifest.webmanifest"] + [f"/static/{n}" for n in SHELL_FILES]
    source = (PWA / "sw.js").read_text(encoding="utf-8")
    return source.replace("__VERSION__", shell_version()).replace("__ASSETS__", json.dumps(assets))


@get("/field", include_in_schema=False)
async def field_app(actor: CurrentActor) -> Template:
    """The field master's app: today's visits and everything done on site, offline too."""
    return Template("field/app.html", context=page_context(actor, version=shell_version()))


@get("/sw.js", opt={"public": True}, include_in_schema=False)
async def service_worker() -> Response[str]:
    """The service worker, at the root so that it may control the whole app."""
    return Response(
        _worker_source(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


@get("/manifest.webmanifest", opt={"public": True}, include_in_schema=False)
async def manifest() -> Response[str]:
    """The web app manifest that makes the field app installable."""
    icons = [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "/static/icons/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": gettext("Servio — field visits"),
        "short_name": "Servio",
        "description": gettext("Today's visits, offline too"),
        "start_url": SHELL_PAGE,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "lang": "ru",
        "icons": icons,
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


handlers = [field_app, service_worker, manifest]
