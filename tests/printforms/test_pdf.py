"""Every document renders to PDF from fixture data: text, codes, fonts and page size check out."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from pypdf import PdfReader

from printforms import DOCUMENT_KINDS, Client, Device, OrderDocumentData, render, render_html
from printforms.assets import FONTS_DIR, RefusedURL
from printforms.codes import qr_matrix
from printforms.layout import LocalOnlyFetcher, render_document
from tests.printforms.conftest import TODAY
from tests.printforms.reading import (
    decode_code128,
    find_svg_box,
    pdf_text,
    rasterize,
    read_qr_modules,
    scanline_modules,
)

MM = 72 / 25.4


@pytest.fixture(scope="module")
def pdfs(order: OrderDocumentData, company_order: OrderDocumentData) -> dict[str, bytes]:
    """Every kind rendered once: the invoice for the company, the rest for the sample repair."""
    return {
        kind: render(kind, company_order if kind == "invoice" else order, "pdf", today=TODAY)
        for kind in DOCUMENT_KINDS
    }


def test_receipt_text(pdfs: dict[str, bytes]) -> None:
    text = pdf_text(pdfs["receipt"])
    for expected in [
        "Квитанция о приёме в ремонт № A-000123 от 05.03.2025 14:07",
        "Код для проверки статуса: K7P4Q2",
        "ООО «Ремонт-Профи», ИНН 7701234567, ОГРН 1157746123456",
        "Иванов Иван Иванович",
        "+7 916 555-12-34",
        "Ноутбук ASUS VivoBook X515EA",
        "M1N0CV12345",
        "Не включается, после включения пищит и гаснет экран",
        "Блок питания, сумка",
        "4 500,00 руб.",
        "12.03.2025",
        "Предоплата 1 000,00 руб.",
        "Условия приёма в ремонт",
        "https://remont-profi.ru/status?number=A-000123&code=K7P4Q2",
        "Изделие сдал",
        "Изделие принял",
    ]:
        assert expected in text


def test_handover_act_text(pdfs: dict[str, bytes]) -> None:
    text = pdf_text(pdfs["handover-act"])
    for expected in [
        "Акт выдачи изделия из ремонта",
        "к заказу № A-000123 от 05.03.2025 · дата выдачи 11.03.2025 17:45",
        "M1N0CV12345",
        "Неисправен модуль оперативной памяти",
        "Замена модуля оперативной памяти 1 усл. 1 200,00 90 дней",
        "Итого: 5 400,50",
        "Оплачено: 1 000,00",
        "К оплате при выдаче: 4 400,50",
        "Четыре тысячи четыреста рублей 50 копеек",
        "Условия гарантии",
    ]:
        assert expected in text


def test_work_act_text(pdfs: dict[str, bytes]) -> None:
    text = pdf_text(pdfs["work-act"])
    for expected in [
        "Акт выполненных работ № A-000123 от 10.03.2025",
        "Исполнитель: ООО «Ремонт-Профи», ИНН 7701234567, КПП 770101001",
        "Заказчик: Иванов Иван Иванович",
        "1 Диагностика 1 усл. 500,00 0,00 500,00 нет",
        "2 490,50 90,00 2 400,50 180 дней",
        "1 500,00 0,00 1 500,00 30 дней",
        "Итого: 5 600,50",
        "Скидка на заказ: 200,00",
        "Всего: 5 400,50",
        "Без налога (НДС): —",
        "К оплате: 4 400,50",
        "на сумму 5 400,50 руб. Пять тысяч четыреста рублей 50 копеек",
        "Гарантийные обязательства",
    ]:
        assert expected in text


def test_invoice_text(pdfs: dict[str, bytes]) -> None:
    text = pdf_text(pdfs["invoice"])
    for expected in [
        "ПАО Сбербанк, г. Москва",
        "БИК 044525225",
        "30101810400000000225",
        "40702810938000012345",
        "ИНН 7701234567 КПП 770101001",
        "Счёт на оплату № С-77 от 10 марта 2025 г.",
        "Покупатель (Заказчик): ООО «Ромашка», ИНН 7728123450, КПП 772801001",
        "Заказ № B-004521 от 05.03.2025",
        "3 Бумага офисная А4, пачка 500 л. 3 шт. 425,00 1 275,00",
        "Итого: 13 674,99",
        "В том числе НДС 20%: 2 279,17",
        "Всего к оплате: 13 674,99",
        "Всего наименований 3, на сумму 13 674,99 руб.",
        "Тринадцать тысяч шестьсот семьдесят четыре рубля 99 копеек",
        "Оплатить не позднее 15.03.2025",
        "Соколов А. В.",
    ]:
        assert expected in text
    assert "Оплачено" not in text  # nothing paid yet: no such row


def test_label_text_and_one_page_of_58_by_40_mm(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["label"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(58 * MM, abs=0.01)
    assert float(box.height) == pytest.approx(40 * MM, abs=0.01)
    text = pdf_text(pdfs["label"])
    for expected in ["№ A-000123", "05.03.2025", "Иванов И.", "Ноутбук ASUS VivoBook X515EA"]:
        assert expected in text


@pytest.mark.parametrize("kind", ["receipt", "handover-act", "work-act", "invoice"])
def test_a4_documents_fit_one_a4_page(pdfs: dict[str, bytes], kind: str) -> None:
    reader = PdfReader(io.BytesIO(pdfs[kind]))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(210 * MM, abs=0.01)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(297 * MM, abs=0.01)


def test_shipped_fonts_are_embedded(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["work-act"]))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    names = set()
    for ref in fonts.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]))
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
    assert any(name.endswith("Servio-Sans") for name in names)
    assert any(name.endswith("Servio-Sans-Bold") for name in names)


def test_pdf_metadata_names_the_document(pdfs: dict[str, bytes]) -> None:
    meta = PdfReader(io.BytesIO(pdfs["receipt"])).metadata
    assert meta is not None
    assert meta.title == "Квитанция о приёме в ремонт № A-000123"
    assert meta.author == "Сервисный центр «Ремонт-Профи»"


def test_receipt_qr_code_prints_the_status_url(order: OrderDocumentData) -> None:
    """Sample the printed QR module by module from a 300 dpi raster of the receipt page and
    compare with the QR matrix of the expected URL (there is no QR decoder installed)."""
    document = render_document(render_html("receipt", order, today=TODAY))
    expected = qr_matrix("https://remont-profi.ru/status?number=A-000123&code=K7P4Q2")
    image = rasterize(document.write_pdf(), dpi=300)
    box = find_svg_box(document, "qr")
    printed = read_qr_modules(image, box, dpi=300, size=len(expected), border=2)
    assert printed == expected
    other = qr_matrix("https://remont-profi.ru/status?number=A-000124&code=K7P4Q2")
    assert printed != other


def test_label_barcode_decodes_to_the_order_number(order: OrderDocumentData) -> None:
    """Decode the Code128 bars from a 600 dpi raster of the label, as a scanner would."""
    cyrillic = msgspec.structs.replace(order, number="А-000987")  # Cyrillic А
    image = rasterize(render("label", cyrillic, "pdf", today=TODAY), dpi=600)
    assert decode_code128(scanline_modules(image)) == "A-000987"


def test_amount_due_never_negative_and_words_follow(order: OrderDocumentData) -> None:
    overpaid = msgspec.structs.replace(order, paid=Decimal("6000.00"))
    text = pdf_text(render("work-act", overpaid, today=TODAY))
    assert "К оплате: 0,00" in text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file:///etc/hostname",
    ],
)
def test_fetcher_refuses_network_and_foreign_files(url: str) -> None:
    with pytest.raises(RefusedURL):
        LocalOnlyFetcher().fetch(url)


def test_fetcher_serves_data_urls_and_shipped_fonts() -> None:
    fetcher = LocalOnlyFetcher()
    data = fetcher.fetch("data:text/plain,ok")
    assert data.read() == b"ok"
    data.close()
    font = fetcher.fetch((FONTS_DIR / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    font.close()


def test_template_images_from_network_are_not_loaded(order: OrderDocumentData) -> None:
    """A user template pointing at a remote image or a system file still renders, without them."""
    source = (
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
        '<link rel="attachment" href="file:///etc/hostname"><p>{{ order.number }}</p>'
    )
    pdf = render("receipt", order, template_html=source, today=TODAY)
    assert "A-000123" in pdf_text(pdf)
    assert b"EmbeddedFile" not in pdf


def test_long_order_flows_onto_more_pages_with_repeated_headers(order: OrderDocumentData) -> None:
    line = order.lines[1]
    long = msgspec.structs.replace(order, lines=[line] * 60)
    pdf = render("work-act", long, today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert "Наименование работ, товаров" in reader.pages[1].extract_text()
    text = pdf_text(pdf)
    assert "Итого: 72 000,00" in text  # 60 × 1 200,00
    assert "Семьдесят одна тысяча восемьсот рублей 00 копеек" in text


def test_label_stays_one_page_with_long_names(order: OrderDocumentData) -> None:
    wordy = msgspec.structs.replace(
        order,
        client=Client(name="Константинопольская-Череззаборногузадерищенская Анна Петровна"),
        device=Device(kind="Стиральная машина", brand="Electrolux", model="PerfectCare 800 EW8F"),
    )
    reader = PdfReader(io.BytesIO(render("label", wordy, today=TODAY)))
    assert len(reader.pages) == 1
