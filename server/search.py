"""Search without extensions: words for a `search_text` column and a prefix tsquery over them.

The embedded PostgreSQL has no pg_trgm, so lists search a GIN index on
`to_tsvector('simple', search_text)`. Phones are stored with the variants people type
(all digits, without the country code, the last 7 and the last 4 digits), so any of them
finds the number by prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from piccolo.columns.combination import WhereRaw
from piccolo.table import Table

_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")


def like_escaped(word: str) -> str:
    """The word with LIKE's wildcards and escape character taken literally."""
    return word.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")


def phone_variants(number: str) -> list[str]:
    """Digit forms of a phone under which it should be found."""
    digits = re.sub(r"\D", "", number)
    if not digits:
        return []
    variants = [digits]
    if len(digits) == 11 and digits[0] in "78":
        variants.append(digits[1:])
    variants += [digits[-7:], digits[-4:]]
    return list(dict.fromkeys(variants))


def words(*values: object) -> list[str]:
    """Lower-cased words of the given values (strings, numbers, lists)."""
    found: list[str] = []
    for value in values:
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple | set):
            found += words(*value)
            continue
        found += [w.lower().replace("ё", "е") for w in _WORD.findall(str(value))]
    return found


def search_text(*values: object, phones: Iterable[str] = ()) -> str:
    """The text to store in a `search_text` column."""
    collected = words(*values)
    for phone in phones:
        collected += phone_variants(phone)
    return " ".join(dict.fromkeys(collected))


def prefix_query(text: str) -> str | None:
    """A tsquery matching records that have a word starting with every typed word, or None."""
    typed = words(text)
    if not typed:
        return None
    return " & ".join(f"{w}:*" for w in typed[:8])


def matches(table: type[Table], text: str) -> WhereRaw | None:
    """A WHERE condition on `table.search_text`: every typed word matches a word by prefix.

    It uses the GIN index `to_tsvector('simple', search_text)` of the table.
    """
    query = prefix_query(text)
    if query is None:
        return None
    name = table._meta.tablename
    return WhereRaw(
        f"to_tsvector('simple', {name}.search_text) @@ to_tsquery('simple', {{}})", query
    )


# The words of a text as `words` finds them, in SQL: lower-cased, ё as е, split on the rest.
_SQL_WORDS = (
    "regexp_replace(translate(lower(concat_ws(' ', {parts})), 'ё', 'е'), '[^0-9a-zа-я]+', ' ', 'g')"
)


def words_sql(parts: list[str]) -> str:
    """SQL giving the words of the concatenated SQL expressions, as `search_text` holds them."""
    return _SQL_WORDS.replace("{parts}", ", ".join(parts))


def matches_parts(parts: list[str], text: str) -> WhereRaw | None:
    """Like `matches`, but over the words of the given SQL expressions, computed per row.

    For callers who may not read every field `search_text` was built from: no index helps,
    so it serves lists already narrowed by the caller's scope or other conditions.
    """
    query = prefix_query(text)
    if query is None:
        return None
    return WhereRaw(
        f"to_tsvector('simple', {words_sql(parts)}) @@ to_tsquery('simple', {{}})", query
    )
