"""The gettext catalogues: every message id the code asks for (extracted as `make messages`
extracts it, by babel.cfg) has a Russian text, none is fuzzy, the placeholders match; the
server reads a .po while its .mo is missing or older; parameters and plural forms."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from server import i18n
from server.i18n import DOMAINS, catalogue_path, gettext, ngettext, plural_forms, script_strings
from server.orders.labels import label

ROOT = Path(__file__).resolve().parents[2]
# Where each domain's message ids come from: a directory, and which of its files (the Makefile's
# `messages` target says the same).
SOURCES = {
    "messages": (ROOT / "server", None),
    "field": (ROOT / "pwa" / "field", None),
    "board": (ROOT / "pwa" / "js", ("board.js", "board-*.js")),
}


def extracted(domain: str) -> set[str]:
    """Message ids (plurals by their singular) the sources of `domain` ask for, extracted with
    babel.cfg's methods, keywords and options."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    directory, only = SOURCES[domain]
    if only:
        options = options_map["**.js"]
        method_map = [(pattern, "javascript") for pattern in only]
        options_map = dict.fromkeys(only, options)
    messages = extract_from_dir(directory, method_map, options_map)
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in messages} - {""}


def russian(domain: str) -> Catalog:
    with catalogue_path("ru", domain).open("rb") as file:
        return read_po(file, locale="ru", domain=domain)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_the_code_asks_for_has_a_russian_text(domain: str) -> None:
    catalog = russian(domain)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = sorted(extracted(domain) - translated)
    assert not missing, f"run `make messages`, then translate in {domain}.po:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_entry_is_fuzzy_and_placeholders_match(domain: str) -> None:
    catalog = russian(domain)
    assert [m.id for m in catalog if m.id and m.fuzzy] == [], "review the fuzzy entries"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    for message in catalog:
        if message.id and isinstance(message.id, str) and "{" in message.id:
            assert _names(message.string) == _names(message.id), message.id


def _names(text: object) -> set[str]:
    texts = text if isinstance(text, tuple | list) else (str(text or ""),)
    return {n for t in texts for n in re.findall(r"\{(\w+)\}", t)}


def test_translation_fills_parameters_in_both_languages() -> None:
    message = "The password must be at least {n} characters long"
    assert gettext(message, language="en", n=8) == "The password must be at least 8 characters long"
    assert gettext(message, language="ru", n=8) == "Пароль должен быть не короче 8 символов"


def test_former_key_like_ids_are_english_text() -> None:
    assert gettext("New orders", language="ru") == "Новые"
    assert label("new", "group") == gettext("New orders")
    assert label("create", "event") == gettext("created")
    assert label("client", "field") == gettext("Client")
    assert label("text", "kind") == gettext("text")
    assert label("order", "entity") == gettext("orders")
    assert label("some_custom_code", "field") == "some_custom_code"


@pytest.fixture
def locale_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A locale directory of its own, with the compiled catalogues forgotten before and after."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield tmp_path
    i18n.translations.cache_clear()


def _write(locale_dir: Path, text: str, suffix: str, mtime: float) -> None:
    catalog = Catalog(locale="ru", domain="messages")
    catalog.add("Hello", text)
    path = locale_dir / "ru" / "LC_MESSAGES" / f"messages{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        (write_po if suffix == ".po" else write_mo)(file, catalog)
    os.utime(path, (mtime, mtime))


def test_a_po_without_its_mo_is_read(locale_dir: Path) -> None:
    _write(locale_dir, "Привет", ".po", 1_000)
    assert gettext("Hello", language="ru") == "Привет"


def test_the_mo_is_read_unless_the_po_is_newer(locale_dir: Path) -> None:
    _write(locale_dir, "Привет из .po", ".po", 1_000)
    _write(locale_dir, "Привет из .mo", ".mo", 2_000)
    assert gettext("Hello", language="ru") == "Привет из .mo"
    i18n.translations.cache_clear()
    os.utime(locale_dir / "ru" / "LC_MESSAGES" / "messages.po", (3_000, 3_000))
    assert gettext("Hello", language="ru") == "Привет из .po"


@pytest.mark.parametrize(
    ("n", "russian"),
    [
        (1, "от 1 выполненного заказа"),
        (2, "от 2 выполненных заказов"),
        (5, "от 5 выполненных заказов"),
        (11, "от 11 выполненных заказов"),
        (21, "от 21 выполненного заказа"),
    ],
)
def test_plural_forms_follow_the_language_rule(n: int, russian: str) -> None:
    singular, plural = "from {n} completed order", "from {n} completed orders"
    assert ngettext(singular, plural, n, language="ru") == russian
    english = f"from {n} completed order" + ("" if n == 1 else "s")
    assert ngettext(singular, plural, n, language="en") == english


def test_scripts_get_the_plural_form_of_each_cldr_category() -> None:
    assert plural_forms("ru") == {"one": 0, "few": 1, "many": 2}
    assert plural_forms("en") == {"one": 0, "other": 1}
    field = script_strings("field", "ru")["messages"]
    assert field["{n} visit moved"] == [  # type: ignore[index]
        "{n} выезд перенесён",
        "{n} выезда перенесено",
        "{n} выездов перенесено",
    ]
