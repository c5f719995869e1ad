"""Run every benchmark module `tests/perf/bench_*.py` (or those named) and print their figures.

Usage: python -m tests.perf [name ...]   e.g. `python -m tests.perf routing`
Each module exposes `main(argv: list[str]) -> None` and prints its own table.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import tests.perf as perf_package


def main(argv: list[str]) -> int:
    """Import and run the selected benchmark modules in name order."""
    wanted = {name.removeprefix("bench_") for name in argv if not name.startswith("-")}
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(perf_package.__path__)
        if info.name.startswith("bench_")
    )
    selected = [n for n in names if not wanted or n.removeprefix("bench_") in wanted]
    if not selected:
        print(f"no benchmark matches {sorted(wanted)}; have: {names}", file=sys.stderr)
        return 2
    for name in selected:
        started = time.perf_counter()
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(f"tests.perf.{name}")
        module.main([a for a in argv if a.startswith("-")])
        print(f"--- {name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
