"""An order number as customers type it: with or without the dashes and leading zeros of the
numbering format ("26000933", "26 933" and "26-000933" are all 26-000933)."""

from __future__ import annotations

import re
import string
from functools import cache

from server.orders import api as orders

FIELDS = {"yy": r"(?P<yy>\d{2})", "yyyy": r"(?P<yyyy>\d{4})", "n": r"(?P<n>\d{1,12})"}


@cache
def _pattern(fmt: str) -> tuple[re.Pattern[str], str] | None:
    """A regular expression of what may be typed for the format, with separators optional,
    and the format itself; None for a format it does not understand."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(fmt):
        for char in literal:
            parts.append(re.escape(char) if char.isalnum() else f"(?:{re.escape(char)})?")
        if field is None:
            continue
        if field not in FIELDS or FIELDS[field] in parts:
            return None
        parts.append(FIELDS[field])
    if FIELDS["n"] not in parts:
        return None
    return re.compile("".join(parts), re.IGNORECASE), fmt


def canonical_number(typed: str) -> str:
    """The order number in the numbering format, or what was typed (cleaned) when it does not
    read as one."""
    cleaned = "".join(ch for ch in typed if ch.isprintable() and not ch.isspace())
    cleaned = cleaned.upper().lstrip("№#")
    known = _pattern(orders.number_format())
    if known is None:
        return cleaned
    pattern, fmt = known
    found = pattern.fullmatch(cleaned.replace("—", "-").replace("–", "-"))
    if found is None:
        return cleaned
    values = found.groupdict()
    out = []
    for literal, field, spec, _conversion in string.Formatter().parse(fmt):
        out.append(literal.upper())
        if field == "n":
            shown = format(int(values["n"]), spec or "")
            if len(values["n"]) > len(shown):  # more leading zeros than the format has
                return cleaned
            out.append(shown)
        elif field is not None:
            out.append(values[field])
    return "".join(out)
