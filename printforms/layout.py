"""WeasyPrint's side of `printforms.pdf`: laying out a document with the local-only fetcher."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from printforms.assets import PACKAGE_DIR, TEMPLATES_DIR, RefusedURL, base_css_text

# WeasyPrint warns at import when the system lacks libharfbuzz-subset (Debian package
# libharfbuzz-subset0) and falls back to fontTools for subsetting fonts; output is the same.
# Silence exactly that message so importing printforms stays warning-free.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
    )
    from weasyprint import CSS, HTML, Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse


class LocalOnlyFetcher(URLFetcher):
    """Fetches `data:` URLs and files inside printforms/ only; everything else is refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Refuse anything but data: and package files, then fetch as WeasyPrint would."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "file":
            path = Path(self.local_path(url)).resolve()
            if not path.is_relative_to(PACKAGE_DIR):
                raise RefusedURL(f"file outside printforms refused: {url}")
        elif scheme != "data":
            raise RefusedURL(f"only data: and package files may be loaded: {url}")
        return super().fetch(url, headers)

    @staticmethod
    def local_path(url: str) -> str:
        """The filesystem path of a file: URL."""
        from urllib.request import url2pathname

        return url2pathname(url.split("?", 1)[0].split("#", 1)[0].removeprefix("file:"))


def render_document(html: str) -> Document:
    """Lay out a complete HTML document into pages (boxes can be inspected, then written)."""
    fetcher = LocalOnlyFetcher()
    fonts = FontConfiguration()
    base = CSS(string=base_css_text(), font_config=fonts, url_fetcher=fetcher)
    source = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
    return source.render(stylesheets=[base], font_config=fonts)
