"""Read documents back for assertions: PDF text, rasters, QR modules and Code128 bars."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from barcode.charsets import code128 as charset
from PIL import Image
from pypdf import PdfReader

DARK = 128


def is_dark(image: Image.Image, x: int, y: int) -> bool:
    """Whether a grayscale pixel is printed (darker than mid grey)."""
    value = image.getpixel((x, y))
    assert isinstance(value, int | float)
    return value < DARK


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF with whitespace (including non-breaking spaces) collapsed to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return squash(" ".join(page.extract_text() for page in reader.pages))


def squash(text: str) -> str:
    """Collapse every run of whitespace (NBSP too) to one plain space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def rasterize(pdf: bytes, dpi: int) -> Image.Image:
    """The first page of a PDF as a grayscale image, via poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is not installed; `make sysdeps` installs it")
    with tempfile.TemporaryDirectory() as folder:
        pdf_path = Path(folder) / "doc.pdf"
        pdf_path.write_bytes(pdf)
        root = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(pdf_path), str(root)],
            check=True,
        )
        with Image.open(root.with_suffix(".png")) as image:
            return image.convert("L")


def walk_boxes(box: Any) -> Iterator[Any]:
    """Every layout box under a WeasyPrint box."""
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk_boxes(child)


def find_svg_box(document: Any, css_class: str) -> Any:
    """The laid-out box of the first inline <svg> with a class on page one."""
    for box in walk_boxes(document.pages[0]._page_box):
        element = box.element
        if element is None or not str(element.tag).endswith("svg"):
            continue
        if css_class in (element.get("class") or "").split():
            return box
    raise AssertionError(f"no <svg class={css_class!r}> on page one")


def read_qr_modules(
    image: Image.Image, box: Any, dpi: int, size: int, border: int
) -> list[list[bool]]:
    """Sample the printed QR symbol module by module (box in CSS px, 96 per inch)."""
    scale = dpi / 96
    side = min(box.width, box.height)
    left = box.content_box_x() + (box.width - side) / 2
    top = box.content_box_y() + (box.height - side) / 2
    module = side / (size + 2 * border)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            px = (left + (x + border + 0.5) * module) * scale
            py = (top + (y + border + 0.5) * module) * scale
            row.append(is_dark(image, round(px), round(py)))
        rows.append(row)
    return rows


def svg_qr_modules(svg: str) -> list[list[bool]]:
    """The QR modules drawn by our SVG path of horizontal runs (`M x,y h w v1 h-w z`)."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg)[1])  # type: ignore[index]
    grid = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)", svg):
        for dx in range(int(width)):
            grid[int(y)][int(x) + dx] = True
    return grid


def scanline_modules(image: Image.Image) -> str:
    """The bar pattern ('1' bar, '0' space) across the row of an image with the most bars."""
    width, height = image.size
    best: list[bool] = []
    best_changes = 0
    # bars are vertical: a barcode row equals the row 6 mm below it; a line of text does not
    gap = round(image.info.get("dpi", (600, 600))[1] / 25.4 * 6)
    for y in range(0, height - gap, 4):
        row = [is_dark(image, x, y) for x in range(width)]
        below = [is_dark(image, x, y + gap) for x in range(width)]
        changes = sum(1 for a, b in itertools.pairwise(row) if a != b)
        if row == below and changes > best_changes:
            best, best_changes = row, changes
    assert best_changes > 20, "no barcode found"
    first, last = best.index(True), len(best) - best[::-1].index(True)
    runs: list[tuple[bool, int]] = []
    for dark in best[first:last]:
        if runs and runs[-1][0] == dark:
            runs[-1] = (dark, runs[-1][1] + 1)
        else:
            runs.append((dark, 1))
    # the narrowest run is one module; a Code128 symbol is 11 modules per code + 2
    estimate = (last - first) / min(length for _, length in runs)
    module = (last - first) / (11 * round((estimate - 2) / 11) + 2)
    return "".join(("1" if dark else "0") * round(length / module) for dark, length in runs)


def decode_code128(modules: str) -> str:
    """Decode a Code128 bar pattern (start, data, checksum, stop) into its text."""
    assert modules.endswith(charset.STOP + "11"), "no Code128 stop pattern"
    body = modules[: -len(charset.STOP) - 2]
    assert len(body) % 11 == 0, f"{len(body)} modules is not a whole number of symbols"
    codes = [charset.CODES.index(body[i : i + 11]) for i in range(0, len(body), 11)]
    start, *data, check = codes
    assert check == (start + sum(i * c for i, c in enumerate(data, start=1))) % 103, "checksum"
    table = {103: "A", 104: "B", 105: "C"}[start]
    text = []
    for code in data:
        if code in (99, 100, 101) and not (table == "C" and code == 99):
            table = {99: "C", 100: "B", 101: "A"}[code]
        elif table == "C":
            text.append(f"{code:02d}")
        else:
            chars = charset._charset_a if table == "A" else charset._charset_b
            text.append(chars[code])
    return "".join(text)
