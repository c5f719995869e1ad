"""Print forms benchmark: PDF render times, streaming XLSX export time and memory, PNG previews.

Run with `python -m tests.perf printforms` (or `make bench`). Figures are printed, not judged.
Previews of every document page go to var/printforms-preview/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from printforms import DOCUMENT_KINDS, render, sample_order

ROOT = Path(__file__).resolve().parents[2]
PREVIEW_DIR = ROOT / "var" / "printforms-preview"
RUNS = 20

# Runs in a fresh interpreter so ru_maxrss is the export's own peak, not this process's.
EXPORT_CHILD = """
import json, resource, sys, time
from datetime import datetime, timedelta
from decimal import Decimal
from printforms import Column, export_rows

count, target = int(sys.argv[1]), sys.argv[2]
columns = [
    Column("number", "Номер"), Column("created_at", "Создан", "datetime"),
    Column("status", "Статус"), Column("client", "Клиент"), Column("phone", "Телефон"),
    Column("device", "Изделие"), Column("serial", "Серийный номер"),
    Column("master", "Мастер"), Column("total", "Сумма", "money"),
    Column("paid", "Оплачено", "money"), Column("ready", "Готов", "bool"),
]
statuses = ["Принят", "Диагностика", "Ждёт запчасть", "В работе", "Готов", "Выдан"]

def rows():
    start = datetime(2024, 1, 1, 9, 0)
    for i in range(count):
        total = Decimal(1000 + i * 37 % 90000) + Decimal("0.50")
        yield [f"A-{i:07d}", start + timedelta(minutes=5 * i), statuses[i % 6],
               f"Клиентов Клиент Клиентович {i}", f"+7 916 {i % 1000:03d}-{i % 100:02d}-00",
               "Ноутбук ASUS VivoBook X515EA", f"SN{i:010d}", "Кузнецов Д. А.",
               total, total if i % 3 else Decimal(0), i % 4 == 0]

def status_kb(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

try:  # reset the peak so it measures the export, not the imports (Linux)
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = status_kb("VmRSS")
except OSError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
written = export_rows(columns, rows(), target, sheet_title="Заказы")
seconds = time.perf_counter() - started
try:
    peak = status_kb("VmHWM")
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
figures = {"rows": written, "seconds": seconds, "rss_before_kb": before, "rss_peak_kb": peak}
print(json.dumps(figures))
"""


def median_render(kind: str, runs: int) -> tuple[float, bytes]:
    """Median seconds to render a kind to PDF from the sample order (after one warm-up)."""
    order = sample_order()
    pdf = render(kind, order, "pdf")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        pdf = render(kind, order, "pdf")
        times.append(time.perf_counter() - started)
    return statistics.median(times), pdf


def export_in_child(count: int) -> dict[str, float]:
    """Export synthetic orders in a fresh interpreter; time, peak RSS and file size."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "orders.xlsx"
        result = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD, str(count), str(target)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
        figures["size_mb"] = target.stat().st_size / 1e6
    return figures


def write_previews() -> list[Path]:
    """Render every kind and write one PNG per PDF page (pdftoppm -r 80) into PREVIEW_DIR."""
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (install poppler-utils): no previews written")
        return []
    PREVIEW_DIR.mkdir(parents=True, exist_ok=True)
    order = sample_order()
    for kind in DOCUMENT_KINDS:
        pdf_path = PREVIEW_DIR / f"{kind}.pdf"
        pdf_path.write_bytes(render(kind, order, "pdf"))
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(pdf_path), str(PREVIEW_DIR / kind)], check=True
        )
    # the 58 × 40 mm label is tiny at 80 dpi: also a 300 dpi image of it
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "300",
            "-png",
            "-singlefile",
            str(PREVIEW_DIR / "label.pdf"),
            str(PREVIEW_DIR / "label-300dpi"),
        ],
        check=True,
    )
    return sorted(PREVIEW_DIR.glob("*.png"))


def main(argv: list[str]) -> None:
    """Print render medians, export figures for 10 000 and 100 000 rows, and write previews."""
    runs = RUNS
    for arg in argv:
        if arg.startswith("--runs="):
            runs = int(arg.removeprefix("--runs="))
    print(f"{'document':<28}{'median, ms':>12}{'PDF, KB':>10}  ({runs} runs each)")
    for kind in ("receipt", "work-act"):
        seconds, pdf = median_render(kind, runs)
        print(f"{kind + ' PDF':<28}{seconds * 1000:>12.0f}{len(pdf) / 1024:>10.0f}")
    print()
    header = f"{'XLSX export (streaming)':<28}{'time, s':>9}{'rows/s':>10}"
    print(f"{header}{'RSS before':>12}{'peak RSS':>11}{'growth':>9}{'file':>9}")
    for count in (10_000, 100_000):
        figures = export_in_child(count)
        rate = figures["rows"] / figures["seconds"]
        before, peak = figures["rss_before_kb"] / 1024, figures["rss_peak_kb"] / 1024
        print(
            f"{f'{count:,} orders'.replace(',', ' '):<28}{figures['seconds']:>9.1f}"
            f"{rate:>10.0f}{before:>9.0f} MB{peak:>8.0f} MB{peak - before:>6.1f} MB"
            f"{figures['size_mb']:>6.1f} MB"
        )
    print("(a fresh child process: 'RSS before' is after imports, 'peak RSS' during the export)")
    previews = write_previews()
    if previews:
        print(f"\n{len(previews)} previews in {PREVIEW_DIR.relative_to(ROOT)}/:")
        for path in previews:
            print(f"  {path.name}")
