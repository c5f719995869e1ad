"""What a print form is laid out with: the shipped fonts, base styles and templates folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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


@cache
def base_css_text() -> str:
    """@font-face rules for the shipped fonts followed by base.css."""
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: url("{(FONTS_DIR / file).as_uri()}"); }}'
        for family, weight, file in FONT_FACES
    )
    return faces + "\n" + (TEMPLATES_DIR / "base.css").read_text(encoding="utf-8")
