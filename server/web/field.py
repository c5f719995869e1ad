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
from server.formats import DATE_STYLE
from server.guards import CurrentActor
from server.i18n import LANGUAGES, catalogue_path, current_language, gettext, script_strings
from server.web.templating import page_context

PWA = PROJECT_ROOT / "pwa"
SHELL_PAGE = "/field"
ICONS = ("icon-192.png", "icon-512.png", "maskable-192.png", "maskable-512.png", "favicon.svg")
THEME = "#1f6feb"  # --primary of pwa/css/app.css
BACKGROUND = "#f4f6f8"  # --bg of pwa/css/app.css


def shell_files() -> list[str]:
    """The files of the app shell under pwa/: every module and style of pwa/field, the icons."""
    field = sorted(
        path.relative_to(PWA).as_posix()
        for path in (PWA / "field").rglob("*")
        if path.suffix in {".js", ".css"}
    )
    return [*field, *(f"icons/{name}" for name in ICONS)]


@cache
def shell_version() -> str:
    """A hash of the shell's files, page template and SERVIO_RELEASE."""
    digest = hashlib.sha256()
    for name in shell_files():
        digest.update(name.encode())
        digest.update((PWA / name).read_bytes())
    digest.update((PROJECT_ROOT / "server/templates/field/app.html").read_bytes())
    digest.update((PWA / "sw.js").read_bytes())
    for language in LANGUAGES:  # the app's words come inline in the page, from the catalogues
        po = catalogue_path(language, "field")
        digest.update(po.read_bytes() if po.exists() else b"")
    digest.update(get_settings().release.encode())
    return digest.hexdigest()[:16]


@cache
def _worker_source() -> str:
    """sw.js with the version and the shell: [url, sha256] (no hash for rendered ones)."""
    assets: list[tuple[str, str | None]] = [(SHELL_PAGE, None), ("/manifest.webmanifest", None)]
    assets += [
        (f"/static/{name}", hashlib.sha256((PWA / name).read_bytes()).hexdigest())
        for name in shell_files()
    ]
    source = (PWA / "sw.js").read_text(encoding="utf-8")
    return source.replace("__VERSION__", shell_version()).replace("__ASSETS__", json.dumps(assets))


@get("/field", include_in_schema=False)
async def field_app(actor: CurrentActor) -> Template:
    """The field master's app: today's visits and everything done on site, offline too."""
    strings = {
        language: script_strings("field", language) | {"dateStyle": DATE_STYLE[language]}
        for language in LANGUAGES
    }
    timezone = get_settings().timezone
    context = page_context(actor, version=shell_version(), strings=strings, timezone=timezone)
    return Template("field/app.html", context=context)


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
        {"src": f"/static/icons/{kind}-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
        | ({"purpose": "maskable"} if kind == "maskable" else {})
        for kind in ("icon", "maskable")
        for size in (192, 512)
    ]
    body = {
        "id": SHELL_PAGE,
        "name": gettext("Servio — field visits"),
        "short_name": "Servio",
        "description": gettext("Today's visits, offline too"),
        "start_url": SHELL_PAGE,
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "lang": current_language.get(),
        "icons": icons,
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


handlers = [field_app, service_worker, manifest]
