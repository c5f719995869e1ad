"""Draw the field app's icons (pwa/icons/{icon,maskable}-{192,512}.png) with Pillow.

Run `.venv/bin/python -m tests.pwa.make_icons` after changing the drawing and commit the PNGs.
"any" icons: a rounded blue square with a white map pin; "maskable": the same pin on a
full-bleed square, inside the central 80 % circle that every launcher mask keeps.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[2] / "pwa" / "icons"
BLUE = (31, 111, 235, 255)  # --primary of pwa/css/app.css
WHITE = (255, 255, 255, 255)
SCALE = 4  # drawn 4x larger, then reduced: smooth edges without an anti-aliasing API


def _pin(draw: ImageDraw.ImageDraw, size: int, height: float) -> None:
    """A map pin `height` of the canvas tall, centred, with a hole in its head."""
    h = size * height
    r = h * 0.36  # the head's radius
    cx, top = size / 2, (size - h) / 2
    cy = top + r
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    # the point: a triangle from the tangent points of the head down to the tip
    tip = top + h
    cos = r / (tip - cy)
    sin = (1 - cos * cos) ** 0.5
    tangent_y = cy + r * cos
    draw.polygon(
        [(cx - r * sin, tangent_y), (cx + r * sin, tangent_y), (cx, tip)],
        fill=WHITE,
    )
    hole = r * 0.42
    draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=BLUE)


def draw(size: int, maskable: bool) -> Image.Image:
    """One icon of `size` px."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if not maskable:
        canvas.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=BLUE)
    _pin(canvas, big, 0.5 if maskable else 0.62)
    small = image.resize((size, size), Image.Resampling.LANCZOS)
    # a palette of a few colours is plenty for two colours and their edges: a third the bytes
    return small.quantize(32, method=Image.Quantize.FASTOCTREE)


def main() -> None:
    """Write the four PNGs."""
    for kind in ("icon", "maskable"):
        for size in (192, 512):
            path = ICONS / f"{kind}-{size}.png"
            draw(size, kind == "maskable").save(path, optimize=True)
            print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
