"""HTML to PDF with WeasyPrint: shipped fonts, no network, nothing read outside the package."""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import Any

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

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONT_FACES = (
    ("Servio Sans", "normal", "DejaVuSans.ttf"),
    ("Servio Sans", "bold", "DejaVuSans-Bold.ttf"),
    ("Servio Mono", "normal", "DejaVuSansMono.ttf"),
)


class RefusedURL(ValueError):
    """A template asked for a resource outside the package (network or foreign file)."""


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


@cache
def base_css_text() -> str:
    """@font-face rules for the shipped fonts followed by base.css."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: url("{(FONTS_DIR / file).as_uri()}"); }}'
        for family, weight, file in FONT_FACES
    )
    return faces + "\n" + (TEMPLATES_DIR / "base.css").read_text(encoding="utf-8")


def render_document(html: str) -> Document:
    """Lay out a complete HTML document into pages (boxes can be inspected, then written)."""
    fetcher = LocalOnlyFetcher()
    fonts = FontConfiguration()
    base = CSS(string=base_css_text(), font_config=fonts, url_fetcher=fetcher)
    source = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
    return source.render(stylesheets=[base], font_config=fonts)


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes (fonts embedded, subset)."""
    pdf = render_document(html).write_pdf()
    assert pdf is not None
    return pdf
