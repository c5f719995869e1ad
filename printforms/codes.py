"""QR codes and Code128 barcodes as compact inline SVG (vector, sharp on any printer)."""

from __future__ import annotations

from html import escape

import qrcode
from barcode.codex import Code128
from markupsafe import Markup

# Cyrillic letters that look like Latin ones: order numbers such as «А-000123» become
# scannable Code128 «A-000123». The server looks scanned numbers up with the same mapping.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХаеорсух", "ABEKMHOPCTYXaeopcyx")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR module matrix for a payload (True is dark), without the quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(payload)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_svg(payload: str, size_mm: float = 30, border: int = 2) -> Markup:
    """A QR code for the payload as an inline SVG element; the payload is also its title."""
    matrix = qr_matrix(payload)
    n = len(matrix) + 2 * border
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + border},{y + border}h{x - start}v1h-{x - start}z")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" width="{size_mm}mm" '
        f'height="{size_mm}mm" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f"<title>{escape(payload)}</title>"
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def barcode_value(number: str) -> str:
    """The text a label's Code128 barcode carries for an order number (Latin lookalikes)."""
    value = number.translate(_LOOKALIKES)
    if not value.isascii():
        raise ValueError(f"order number cannot be encoded in Code128: {number!r}")
    return value


def code128_modules(value: str) -> str:
    """The Code128 bar pattern for a value: one '1' (bar) or '0' (space) per module."""
    return "".join(Code128(value).build())


def barcode_svg(
    number: str, width_mm: float = 50, height_mm: float = 12, quiet: int = 10
) -> Markup:
    """A Code128 barcode of an order number as an inline SVG element, without human text."""
    modules = code128_modules(barcode_value(number))
    total = len(modules) + 2 * quiet
    bars = []
    x = 0
    while x < len(modules):
        if modules[x] == "0":
            x += 1
            continue
        start = x
        while x < len(modules) and modules[x] == "1":
            x += 1
        bars.append(f"M{start + quiet},0h{x - start}v10h-{x - start}z")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="{width_mm}mm" '
        f'height="{height_mm}mm" viewBox="0 0 {total} 10" preserveAspectRatio="none" '
        f'shape-rendering="crispEdges"><title>{escape(barcode_value(number))}</title>'
        f'<rect width="{total}" height="10" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(bars)}"/></svg>'
    )
