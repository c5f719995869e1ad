"""The budget one print template renders within: number size, text length, list length, loop
passes, macro depth, output size and wall time.

A worker thread cannot be stopped from outside, and one C-level operation (`10 ** 10 ** 7`,
`'x' * 10 ** 9`) holds the interpreter lock for as long as it runs. So the sandbox checks the
size of what an operation would produce *before* running it, and every hook (operator, call,
filter, loop pass, output) also checks the clock: each step is small, so the wall-time limit
holds to within one step.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

import msgspec


class TemplateRenderError(Exception):
    """A template failed while rendering (it should have been refused on save)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(f"строка {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


class Budget(msgspec.Struct, frozen=True):
    """Limits of one render; the defaults leave a 300-line work act far inside every one."""

    max_digits: int = 300
    """Digits of any integer computed: amounts have 10; 300 keeps big-number math instant."""
    max_text: int = 1_000_000
    """Characters of any one string the template builds."""
    max_items: int = 100_000
    """Items of any one list or range."""
    max_loops: int = 100_000
    """Loop passes and macro calls of the whole render, together."""
    max_depth: int = 50
    """Macro calls inside macro calls."""
    max_output: int = 1_000_000
    """Characters of filled-in HTML (a 300-line act is about 70 000; WeasyPrint lays out
    roughly 25 000 a second, so this also bounds the PDF conversion)."""
    max_seconds: float = 5.0
    """Wall time of one render (a built-in template takes a few milliseconds)."""

    @property
    def max_bits(self) -> int:
        """`max_digits` as a bit length."""
        return math.ceil(self.max_digits * math.log2(10))


REASONS = {
    "number": "число длиннее {limit} цифр",
    "text": "текст длиннее {limit} символов",
    "items": "список длиннее {limit} элементов",
    "loops": "больше {limit} проходов циклов и вызовов макросов",
    "depth": "макросы вложены глубже {limit} уровней",
    "output": "результат длиннее {limit} символов",
    "time": "заполнение шаблона дольше {limit} с",
}


class TemplateBudgetExceeded(TemplateRenderError):
    """A render went past a limit of its Budget; `limit` names which, `maximum` its value."""

    def __init__(self, limit: str, maximum: float, line: int | None = None) -> None:
        self.limit = limit
        self.maximum = maximum
        super().__init__(f"превышен предел: {REASONS[limit].format(limit=maximum)}", line)


DEFAULT_BUDGET = Budget()


class Meter:
    """What one render has spent so far."""

    def __init__(self, budget: Budget, timed: bool = True) -> None:
        self.budget = budget
        self.deadline = time.monotonic() + budget.max_seconds if timed else math.inf
        self.loops = 0
        self.depth = 0

    def tick(self) -> None:
        """Stop the render once its wall time is up."""
        if time.monotonic() > self.deadline:
            raise TemplateBudgetExceeded("time", self.budget.max_seconds)

    def step(self) -> None:
        """Count one loop pass or macro call."""
        self.loops += 1
        if self.loops > self.budget.max_loops:
            raise TemplateBudgetExceeded("loops", self.budget.max_loops)
        self.tick()


_current: ContextVar[Meter | None] = ContextVar("printforms_meter", default=None)


def meter() -> Meter:
    """The meter of the render running in this context.

    Outside a render (constant folding while a template compiles) a fresh untimed meter:
    sizes are still checked, and nothing is counted across calls.
    """
    return _current.get() or Meter(DEFAULT_BUDGET, timed=False)


def start(budget: Budget) -> Any:
    """Begin metering a render; pass the returned token to `stop`."""
    return _current.set(Meter(budget))


def stop(token: Any) -> None:
    """End metering a render."""
    _current.reset(token)


class Metered:
    """An iterable whose every item is a counted loop pass (its length stays readable)."""

    def __init__(self, iterable: Iterable[Any]) -> None:
        self.iterable = iterable

    def __len__(self) -> int:
        return len(self.iterable)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        current = meter()
        for item in self.iterable:
            current.step()
            yield item


# ---- sizes


def check_int(value: int, budget: Budget) -> None:
    """Refuse an integer longer than the budget allows."""
    if value.bit_length() > budget.max_bits:
        raise TemplateBudgetExceeded("number", budget.max_digits)


def check_text(length: int, budget: Budget) -> None:
    """Refuse a string of this length."""
    if length > budget.max_text:
        raise TemplateBudgetExceeded("text", budget.max_text)


def check_items(length: int, budget: Budget) -> None:
    """Refuse a list or range of this length."""
    if length > budget.max_items:
        raise TemplateBudgetExceeded("items", budget.max_items)


def weight(value: Any, limit: int, depth: int = 0) -> int:
    """Roughly the length of `str(value)`, counted only up to just past `limit`."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    if isinstance(value, float | Decimal):
        return 40
    if depth > 20:
        return limit + 1
    if isinstance(value, dict):
        value = [item for pair in value.items() for item in pair]
    if isinstance(value, list | tuple | set | frozenset):
        total = 2
        for item in value:
            total += weight(item, limit, depth + 1) + 2
            if total > limit:
                break
        return total
    return 60


def check_weight(value: Any, budget: Budget) -> None:
    """Refuse a value whose text would be longer than the budget allows."""
    check_text(weight(value, budget.max_text), budget)


def bounded(result: Any, budget: Budget) -> Any:
    """The result of a filter or operator, refused when too big; generators are counted."""
    if isinstance(result, str):
        check_text(len(result), budget)
    elif isinstance(result, bool):
        pass
    elif isinstance(result, int):
        check_int(result, budget)
    elif isinstance(result, list | tuple | dict | set):
        check_items(len(result), budget)
    elif isinstance(result, Iterator):
        return counted(result, budget)
    return result


def counted(items: Iterator[Any], budget: Budget) -> Iterator[Any]:
    """A lazy sequence (what map, select, batch... return): at most max_items items whose text
    adds up to at most max_text characters, so no list built from it can exhaust memory."""
    current = meter()
    size = 0
    for index, item in enumerate(items):
        check_items(index + 1, budget)
        size += weight(item, budget.max_text)
        check_text(size, budget)
        if index % 1000 == 0:
            current.tick()
        yield item
