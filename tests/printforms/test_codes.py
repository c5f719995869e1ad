"""QR and Code128 SVGs carry exactly the payload they are given."""

from __future__ import annotations

import re

import pytest

from printforms.codes import barcode_svg, barcode_value, code128_modules, qr_matrix, qr_svg
from tests.printforms.reading import decode_code128, svg_qr_modules

URL = "https://remont-profi.ru/status?number=A-000123&code=K7P4Q2"


def test_qr_svg_draws_the_matrix_of_its_payload() -> None:
    svg = str(qr_svg(URL, border=2))
    expected = qr_matrix(URL)
    drawn = svg_qr_modules(svg)
    size = len(expected)
    assert len(drawn) == size + 4
    assert [row[2 : 2 + size] for row in drawn[2 : 2 + size]] == expected
    assert not any(drawn[0]) and not any(drawn[-1])  # quiet zone stays white
    assert f"<title>{URL.replace('&', '&amp;')}</title>" in svg


def test_qr_matrix_differs_for_another_order() -> None:
    assert qr_matrix(URL) != qr_matrix(URL.replace("A-000123", "A-000124"))


def bars_of(svg: str) -> str:
    """The modules drawn by our barcode SVG (`M x,0 h w ...` per bar), quiet zone stripped."""
    total = int(re.search(r'viewBox="0 0 (\d+) 10"', svg)[1])  # type: ignore[index]
    modules = ["0"] * total
    for x, width in re.findall(r"M(\d+),0h(\d+)", svg):
        for dx in range(int(width)):
            modules[int(x) + dx] = "1"
    return "".join(modules).strip("0")


@pytest.mark.parametrize("number", ["A-000123", "2025-0042", "SC/17", "12345678"])
def test_barcode_svg_decodes_back_to_the_number(number: str) -> None:
    assert decode_code128(bars_of(str(barcode_svg(number)))) == number


def test_cyrillic_lookalikes_become_latin_in_the_barcode() -> None:
    assert barcode_value("АВ-000123") == "AB-000123"
    assert decode_code128(code128_modules(barcode_value("Р-77"))) == "P-77"


def test_barcode_refuses_letters_code128_cannot_carry() -> None:
    with pytest.raises(ValueError, match="Code128"):
        barcode_value("Ж-1")
