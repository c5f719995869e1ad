"""The sandboxed Jinja2 environment every print template (built-in or user-edited) runs in.

Two gates: `validate.py` refuses a template on save (syntax, unknown variables, attribute
escapes); at render time this environment allows no Python attribute access at all — templates
only read keys of the plain dicts built by `context.py` — and undefined names raise.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    }
)
MAX_REPEAT = 10_000
MAX_EXPONENT = 64
BINOPS: dict[str, Callable[[Any, Any], Any]] = {"*": operator.mul, "**": operator.pow}


class TemplateRenderError(Exception):
    """A template failed while rendering (it should have been refused on save)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(f"строка {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


class DocumentEnvironment(SandboxedEnvironment):
    """Sandbox that exposes dict items only, plus the `loop` helpers inside for-loops."""

    intercepted_binops = frozenset(BINOPS)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Deny every Python attribute except the loop helpers."""
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse `'x' * 10**9` and `9 ** 9 ** 9`: templates must not exhaust memory or CPU."""
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise jinja2.sandbox.SecurityError("слишком большая степень")
        if operator == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, str | list | tuple)]
            counts = [x for x in (left, right) if isinstance(x, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > MAX_REPEAT * 10:
                raise jinja2.sandbox.SecurityError("слишком длинная строка")
        return BINOPS[operator](left, right)


def make_environment() -> DocumentEnvironment:
    """A fresh sandbox: HTML autoescape, strict undefined, no loader (no includes)."""
    return DocumentEnvironment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


ENVIRONMENT = make_environment()


@lru_cache(maxsize=64)
def compile_template(source: str) -> jinja2.Template:
    """Compile template source once; rendering a compiled template is thread-safe."""
    return ENVIRONMENT.from_string(source)


def render_template(source: str, context: dict[str, Any]) -> str:
    """Render template source with a document context; errors become TemplateRenderError."""
    try:
        return compile_template(source).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateRenderError(error.message or str(error), error.lineno) from error
    except jinja2.TemplateError as error:
        raise TemplateRenderError(error.message or str(error)) from error
