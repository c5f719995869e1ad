"""Operators, filters and `range` of the template sandbox with their results sized beforehand.

Each check estimates what an operation would build from its operands (`'x' * n` is
`len('x') * n` characters, `a ** b` about `bits(a) * b` bits, `center(w)` at least `w`
characters...) and refuses it before Python allocates anything.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jinja2.filters import FILTERS

from printforms.budget import (
    Budget,
    bounded,
    check_int,
    check_items,
    check_text,
    check_weight,
    meter,
    weight,
)

BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
SEQUENCES = (str, list, tuple)
# %[(key)][flags][width][.precision][length]type
FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def _limit_sequence(value: Any, length: int, budget: Budget) -> None:
    if isinstance(value, str):
        check_text(length, budget)
    else:
        check_items(length, budget)


def check_format(template: str, args: Any, budget: Budget) -> None:
    """Refuse `'%100000000s' % x` and `'%.100000000f' % x`: widths count as text."""
    size = len(template) + weight(args, budget.max_text)
    ints = [a for a in (args if isinstance(args, tuple) else (args,)) if isinstance(a, int)]
    for width, precision in FORMAT_SPEC.findall(template):
        for part in (width, precision):
            if part == "*":
                size += max((abs(a) for a in ints), default=0)
            elif part:
                size += int(part) if len(part) < 10 else budget.max_text + 1
    check_text(size, budget)


def check_binop(op: str, left: Any, right: Any, budget: Budget) -> None:
    """Refuse an operation whose result would be past the budget, before computing it."""
    ints = isinstance(left, int) and isinstance(right, int)
    if op == "**" and ints and right > 0 and abs(left) > 1:
        if (abs(left).bit_length() - 1) * right > budget.max_bits:
            check_int(1 << (budget.max_bits + 1), budget)
    elif op == "*":
        if ints:
            if left.bit_length() + right.bit_length() - 1 > budget.max_bits:
                check_int(1 << (budget.max_bits + 1), budget)
            return
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, SEQUENCES) and isinstance(times, int):
                _limit_sequence(seq, len(seq) * max(times, 0), budget)
    elif op in ("+", "-") and ints:
        if max(left.bit_length(), right.bit_length()) >= budget.max_bits:
            check_int(1 << (budget.max_bits + 1), budget)
    elif op == "+" and isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES):
        _limit_sequence(left, len(left) + len(right), budget)
    elif op == "%" and isinstance(left, str):
        check_format(left, right, budget)


def binop(op: str, left: Any, right: Any) -> Any:
    """An intercepted operator: checked, computed, its result checked."""
    current = meter()
    current.tick()
    check_binop(op, left, right, current.budget)
    return bounded(BINOPS[op](left, right), current.budget)


def budget_range(*args: int) -> range:
    """`range()` of at most max_items numbers."""
    numbers = range(*args)
    budget = meter().budget
    try:
        length = len(numbers)
    except OverflowError:  # longer than sys.maxsize
        length = budget.max_items + 1
    check_items(length, budget)
    return numbers


# ---- filters: what each would build, from its arguments


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _center(budget: Budget, value: Any, width: int = 80) -> None:
    check_text(width if isinstance(width, int) else 0, budget)


def _indent(budget: Budget, value: Any, width: Any = 4, first: bool = False,
            blank: bool = False) -> None:  # fmt: skip
    text = str(value)
    prefix = len(width) if isinstance(width, str) else int(width)
    check_text(len(text) + _lines(text) * max(prefix, 0), budget)


def _wordwrap(budget: Budget, value: Any, width: int = 79, break_long_words: bool = True,
              wrapstring: str | None = None, break_on_hyphens: bool = True) -> None:  # fmt: skip
    text = str(value)
    breaks = len(text) // max(int(width), 1) + _lines(text)
    check_text(len(text) + breaks * len(wrapstring or "\n"), budget)


def _replace(budget: Budget, value: Any, old: Any, new: Any, count: int | None = None) -> None:
    text, old, new = str(value), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    check_text(len(text) + found * max(len(new) - len(old), 0), budget)


def _format(budget: Budget, value: Any, *args: Any, **kwargs: Any) -> None:
    check_format(str(value), kwargs or args, budget)


def _join(budget: Budget, value: Any, d: str = "", attribute: Any = None) -> list[Any]:
    items = list(bounded(iter(value), budget))
    size = sum(weight(item, budget.max_text) for item in items)
    check_text(size + len(str(d)) * max(len(items) - 1, 0), budget)
    return items


def _batch(budget: Budget, value: Any, linecount: int, fill_with: Any = None) -> None:
    check_items(int(linecount), budget)


def _slice(budget: Budget, value: Any, slices: int, fill_with: Any = None) -> None:
    check_items(int(slices), budget)


def _list(budget: Budget, value: Any) -> list[Any]:
    if isinstance(value, str):
        check_items(len(value), budget)
    return list(bounded(iter(value), budget))


def _sum(budget: Budget, iterable: Any, attribute: Any = None, start: Any = 0) -> list[Any]:
    items = list(bounded(iter(iterable), budget))
    if not isinstance(start, int | float | Decimal):
        check_items(sum(len(x) for x in items if isinstance(x, SEQUENCES)), budget)
    return items


def _tojson(budget: Budget, value: Any, indent: int | None = None) -> None:
    check_text(weight(value, budget.max_text) * (1 + max(int(indent or 0), 0)), budget)


# name: check(budget, value, *args, **kwargs); one that returns a value replaces the input
CHECKS: dict[str, Callable[..., Any]] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "replace": _replace,
    "format": _format,
    "join": _join,
    "batch": _batch,
    "slice": _slice,
    "list": _list,
    "sum": _sum,
    "tojson": _tojson,
}
# filters that turn their input into text first: its text must fit
TEXT_FILTERS = frozenset(
    {"capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower",
     "pprint", "replace", "safe", "string", "striptags", "title", "tojson", "trim", "truncate",
     "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr", "int", "float"}
)  # fmt: skip


def guard(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that checks its input and arguments before running and its result after."""
    passes_first = hasattr(func, "jinja_pass_arg")
    check = CHECKS.get(name)
    text = name in TEXT_FILTERS

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        current = meter()
        current.tick()
        budget = current.budget
        head, rest = (args[:1], list(args[1:])) if passes_first else ((), list(args))
        if rest:
            if text:
                check_weight(rest[0], budget)
            elif hasattr(rest[0], "__len__"):
                _limit_sequence(rest[0], len(rest[0]), budget)
            if check is not None:
                replaced = check(budget, *rest, **kwargs)
                if replaced is not None:
                    rest[0] = replaced
        return bounded(func(*head, *rest, **kwargs), budget)

    return guarded


def guarded_filters() -> dict[str, Callable[..., Any]]:
    """Every built-in Jinja filter, guarded."""
    return {name: guard(name, func) for name, func in FILTERS.items()}
