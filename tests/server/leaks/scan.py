"""Find markers in a text fast: pull out every word, amount, day and digit run once, then look
each up, instead of trying hundreds of patterns at every position."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tests.server.leaks import markers as mk
from tests.server.leaks.markers import Marker

_WORDS = re.compile(r"zq[a-z]+\d{5}x")
_AMOUNTS = re.compile("(?<![\\d.,])(\\d{1,3}(?:[ \u00a0\u202f]\\d{3})+|\\d+)[.,](\\d{2})(?!\\d)")
_BLOBS = re.compile("\\d(?:[\\d\\s\u00a0\u202f()\\-.]*\\d)?")
_MONTHS = "|".join(mk.MONTHS_RU)
_DAYS = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})\.(\d{2})\.(\d{4})"), (3, 2, 1)),
    (re.compile(r"(?<![\d.])(\d{2})\.(\d{2})\.(\d{2})(?![\d.])"), (3, 2, 1)),
    (re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
)
_SPELLED = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})", re.IGNORECASE)


def key_of(marker: Marker) -> str:
    """The normal form a marker is looked up by."""
    if marker.kind in (mk.MONEY, mk.PERCENT):
        return f"{Decimal(marker.value):.2f}"
    if marker.kind == mk.WORD:
        return marker.value.lower()
    return marker.value


def _day(year: str, month: str, day: str) -> str | None:
    y = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return dt.date(y, int(month), int(day)).isoformat()
    except ValueError:
        return None


class Scanner:
    """The markers of one viewer, indexed by normal form."""

    def __init__(self, markers: list[Marker]) -> None:
        self.markers = markers
        self.index: dict[tuple[str, str], list[int]] = {}
        self.codes: list[tuple[str, int]] = []
        self.digits: list[tuple[str, int]] = []
        self.phrases: list[tuple[str, int]] = []
        for i, marker in enumerate(markers):
            if marker.kind == mk.CODE:
                self.codes.append((marker.value, i))
            elif marker.kind == mk.DIGITS:
                self.digits.append((marker.value, i))
            else:
                kind = mk.MONEY if marker.kind == mk.PERCENT else marker.kind
                self.index.setdefault((kind, key_of(marker)), []).append(i)
            if marker.kind == mk.MONEY:
                self.phrases.append((mk.amount_in_words(abs(Decimal(marker.value))).lower(), i))

    def find(self, text: str) -> list[Marker]:
        """The markers present in the text."""
        hits: set[int] = set()
        lowered = text.lower()
        for word in set(_WORDS.findall(lowered)):
            hits.update(self.index.get((mk.WORD, word), ()))
        for units, cents in set(_AMOUNTS.findall(text)):
            amount = re.sub("[ \u00a0\u202f]", "", units) + "." + cents
            hits.update(self.index.get((mk.MONEY, f"{Decimal(amount):.2f}"), ()))
        days = set()
        for pattern, order in _DAYS:
            for groups in pattern.findall(text):
                days.add(_day(*(groups[k - 1] for k in order)))
        for day, month, year in _SPELLED.findall(lowered):
            days.add(_day(year, str(mk.MONTHS_RU.index(month.lower()) + 1), day))
        for day in days:
            if day:
                hits.update(self.index.get((mk.DAY, day), ()))
        if self.digits:
            blobs = {re.sub(r"\D", "", b) for b in _BLOBS.findall(text)}
            blobs.discard("")
            for value, i in self.digits:
                if any(value in blob for blob in blobs):
                    hits.add(i)
        for code, i in self.codes:
            if _has_code(text, code):
                hits.add(i)
        normal = re.sub(r"\s+", " ", lowered)
        for phrase, i in self.phrases:
            if phrase in normal:
                hits.add(i)
        return [self.markers[i] for i in sorted(hits)]


def _has_code(text: str, code: str) -> bool:
    start = text.find(code)
    while start != -1:
        before = text[start - 1 : start]
        after = text[start + len(code) : start + len(code) + 1]
        if not (before.isalnum() or after.isalnum()):
            return True
        start = text.find(code, start + 1)
    return False
