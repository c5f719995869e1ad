"""Bar charts drawn by the server as SVG (no script, no outside library): income and expenses
side by side for each day or month of a period, with the axis in roubles (a series hidden
from the reader is not drawn)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

import msgspec
from markupsafe import Markup

from server import formats
from server.finance.schemas import PeriodPoint

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 64, 28, 12  # room for the axis labels
INCOME, EXPENSE = "#2e7d32", "#c62828"


def _nice(top: Decimal) -> Decimal:
    """A round upper bound of the axis (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return Decimal(1000)
    power = Decimal(10) ** (len(str(int(top))) - 1)
    for step in (1, 2, 5, 10):
        if top <= step * power:
            return step * power
    return 10 * power


def _shown(value: Decimal | msgspec.UnsetType) -> Decimal | None:
    return None if isinstance(value, msgspec.UnsetType) else value


def bars(points: Sequence[PeriodPoint], labels: Sequence[str], title: str) -> Markup:
    """Income and expenses of each point as two bars, labelled below (every few, when many)."""
    values = [v for p in points for v in (_shown(p.income), _shown(p.expenses)) if v is not None]
    top = _nice(max([*values, Decimal(0)]))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(points), 1)
    bar = max(slot * 0.38, 1.0)
    every = max(1, round(len(points) / 12))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(formats.number(value.quantize(Decimal(1))))}</text>"
        )
    for index, (point, label) in enumerate(zip(points, labels, strict=True)):
        x = LEFT + slot * index + slot * 0.1
        for offset, shown, color, kind in (
            (0.0, point.income, INCOME, "income"),
            (bar, point.expenses, EXPENSE, "expenses"),
        ):
            amount = _shown(shown)
            if amount is None:
                continue
            height = float(plot_h * max(amount, Decimal(0)) / top)
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar:.1f}"'
                f' height="{height:.1f}" fill="{color}" data-{kind}="{amount}">'
                f"<title>{escape(label)}: {escape(formats.money(amount))}</title></rect>"
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{HEIGHT - 10}" text-anchor="middle" font-size="11">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
