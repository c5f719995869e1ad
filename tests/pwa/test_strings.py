"""The field app's words: every phrase the modules ask for exists in Russian and English."""

from __future__ import annotations

import re
from pathlib import Path

FIELD = Path(__file__).resolve().parents[2] / "pwa" / "field"
# Keys built at run time: t(`go_${status}`), t(`field_${name}`), t(`kind_${kind}`), t(state).
DYNAMIC = {
    "planned", "en_route", "on_site", "done", "failed", "cancelled",
    "go_en_route", "go_on_site", "go_done", "go_failed", "go_planned",
    "field_declared_fault", "field_appearance", "field_accessories",
    "kind_service", "kind_part", "kind_good",
    "pending", "conflict", "rejected", "held", "cash", "card", "transfer",
    "reasonNobodyHome", "reasonNoAccess", "reasonCancelled", "reasonNeedPart",
}  # fmt: skip


def _dictionary(source: str, name: str) -> set[str]:
    body = source.split(f"const {name} = {{", 1)[1].split("\n};", 1)[0]
    return set(re.findall(r"(?:^|[\s,])(\w+): \"", body))


def test_every_phrase_has_both_languages() -> None:
    source = (FIELD / "i18n.js").read_text(encoding="utf-8")
    russian, english = _dictionary(source, "RU"), _dictionary(source, "EN")
    assert russian == english
    used = set()
    for module in FIELD.rglob("*.js"):
        used |= set(re.findall(r"\bt\(\s*\"(\w+)\"", module.read_text(encoding="utf-8")))
    assert used - russian == set()
    assert DYNAMIC - russian == set()
    assert russian - used - DYNAMIC == set(), "phrases nobody asks for"
