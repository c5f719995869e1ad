"""Every message the UI can show has a Russian translation."""

from __future__ import annotations

import re
from pathlib import Path

from server.i18n import catalogue, gettext

ROOT = Path(__file__).resolve().parents[2] / "server"
ERROR_CALL = re.compile(
    r"\b(?:InvalidInput|NotFound|NotAuthenticated|Forbidden|Conflict|TooManyRequests|Unavailable|DomainError"
    r"|gettext|N_|_)\(\s*\"((?:[^\"\\]|\\.)+)\"",
)
TEMPLATE_CALL = re.compile(r"_\(\s*[\"']((?:[^\"'\\]|\\.)+)[\"']")
LABEL = re.compile(r"(?:Section|Action)\.\w+: \"([^\"]+)\"|NavItem\(\"[^\"]*\", \"([^\"]+)\"")
BUILTIN_ROLE = re.compile(r"^\s+\"\w+\": \(\s*\"([^\"]+)\"", re.MULTILINE)
_HUMAN = re.compile(r"\(\"[^\"]+\", \"([^\"]+)\"\),")


def message_ids() -> set[str]:
    """Message ids used in Python code and templates of the server."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(ERROR_CALL.findall(text))
        for groups in LABEL.findall(text):
            found |= {g for g in groups if g}
        if path.name == "permissions.py":
            found |= set(BUILTIN_ROLE.findall(text))
        if path.name == "errors.py":
            found |= set(_HUMAN.findall(text))
    for path in ROOT.rglob("*.html"):
        found |= set(TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")))
    return {m for m in found if "{{" not in m and not m.endswith(":")}


def test_every_message_has_a_russian_translation() -> None:
    missing = sorted(message_ids() - set(catalogue("ru")))
    assert not missing, "add to server/locale/ru.json:\n" + "\n".join(missing)


def test_translation_fills_parameters_in_both_languages() -> None:
    message = "The password must be at least {n} characters long"
    assert gettext(message, language="en", n=8) == "The password must be at least 8 characters long"
    assert "8" in gettext(message, language="ru", n=8)
    assert gettext(message, language="ru", n=8) != gettext(message, language="en", n=8)
