"""Load: staff sessions of mixed roles and field phones against `servio serve --workers N`.

Usage: python -m tests.perf load [--sessions=50] [--phones=30] [--seconds=60] [--workers=2]
       [--think=1.0] [--generators=1] [--profile] [--live=0] [--cost=0] [--rounds=30]
       [--cprofile]

Copies a fresh demo database (`servio demo`, 1000 orders), starts `servio serve --workers N`
on it, and runs the users of tests/load.py (orders list, card, timeline, client search,
comments, edits, intake; phones pulling and pushing) in `--generators` child processes of
their own, so that the load generator's CPU is measured apart from the server's. Every user
logs in first; then all of them run at once for `--seconds`, each waiting a think time
(uniform, 0 to twice `--think` seconds) between its requests.

Prints requests/s, p50/p95/p99 per kind, errors by status, the concurrency reached, and CPU
seconds (from the processes' own times, psutil) of the server's processes, the database's
backends, the load generator and the rest of the machine, in total and per request: the
machine is shared, so counts per request are the figures to compare, not wall time.
`--profile` samples the server's workers with py-spy (PY_SPY or `py-spy` on PATH) and
prints where their time went. Then tests/perf/loadcost.py measures each kind alone on the
same database (`--rounds` steps of every user; `--cost=0` skips it, `--live=0` skips the live
run, `--cprofile` prints where the CPU went). Never passes or fails on time.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DATABASE = "bench_load"
# tests.database recreates its test database on import; keep it away from the test suite's.
os.environ.setdefault("SERVIO_TEST_DATABASE", "servio_bench_load_base")


def _options(argv: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {
        "sessions": 50,
        "phones": 30,
        "seconds": 60.0,
        "workers": 2,
        "think": 1.0,
        "generators": 1,
        "profile": False,
        "live": True,
        "cost": True,
        "rounds": 30,
        "cprofile": False,
    }
    for arg in argv:
        name, has_value, value = arg.lstrip("-").partition("=")
        if name not in options:
            continue
        if isinstance(options[name], bool):
            options[name] = not has_value or value not in {"0", "no", "false"}
        else:
            options[name] = type(options[name])(value)
    return options


def main(argv: list[str]) -> None:
    """Load a fresh demo, serve it, drive the users from child processes, print figures."""
    from tests.live import demo_database, serve

    options = _options(argv)
    started = time.perf_counter()
    url = demo_database(DATABASE)
    print(f"fresh demo database: {time.perf_counter() - started:.1f} s", flush=True)
    if options["live"]:
        env = {"SERVIO_BACKUP_AT": "off"}
        with serve(url, env=env, args=("--workers", str(options["workers"]))) as server:
            figures = _run(server.url, server.pid, url, options)
        _print(options, figures)
    if options["cost"]:
        code = (
            "from tests.perf.loadcost import cost; "
            f"cost({options['rounds']}, cprofile={options['cprofile']})"
        )
        child_env = {**os.environ, "DATABASE_URL": url, "SERVIO_WORKER": "0", "SERVIO_LOG": "off"}
        subprocess.run([sys.executable, "-c", code], env=child_env, check=True, timeout=1800)


# --- the parent: start the generators, measure CPU around the run ------------------------------


def _server_processes(pid: int) -> list[Any]:
    import psutil

    top = psutil.Process(pid)
    return [top, *top.children(recursive=True)]


def _backends(database: str) -> list[Any]:
    """PostgreSQL backends serving `database` (their title names it)."""
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        line = " ".join(process.info["cmdline"] or ())
        if line.startswith("postgres:") and f" {database} " in f"{line} ":
            found.append(process)
    return found


def _cpu(processes: list[Any]) -> dict[int, float]:
    """User + system CPU seconds of each process still there, by pid."""
    import psutil

    seconds = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings (processes new since `before` count whole)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def _machine_busy() -> float:
    import psutil

    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "nice", 0.0) + getattr(times, "irq", 0.0)


def _run(url: str, server_pid: int, database_url: str, options: dict[str, Any]) -> dict[str, Any]:
    """Start the generators, let them log in, then run them and read what they saw."""
    database = urlparse(database_url).path.lstrip("/")
    count = max(1, options["generators"])
    folder = Path(tempfile.mkdtemp(prefix="bench_load_"))
    generators = []
    for index in range(count):
        plan = {
            "url": url,
            "sessions": list(range(options["sessions"]))[index::count],
            "phones": list(range(options["phones"]))[index::count],
            "seconds": options["seconds"],
            "think": options["think"],
            "out": str(folder / f"generator-{index}.json"),
        }
        code = "from tests.perf.bench_load import generator; generator()"
        generators.append(
            subprocess.Popen(
                [sys.executable, "-c", code, json.dumps(plan)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    for process in generators:  # every user has logged in
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line == "ready", f"a load generator did not start: {line!r}"
    servers = _server_processes(server_pid)
    backends = _backends(database)
    before: dict[str, Any] = {
        "server": _cpu(servers),
        "database": _cpu(backends),
        "generator": _cpu([_psutil(p.pid) for p in generators]),
        "machine": _machine_busy(),
        "load": os.getloadavg(),
        "wall": time.perf_counter(),
    }
    profilers = _start_profiling(servers[1:] or servers, options, folder)
    for process in generators:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in generators:
        assert process.stdout is not None
        line = process.stdout.readline().strip()  # "done": measured before it exits
        assert line == "done", f"a load generator failed: {line!r}"
    wall = time.perf_counter() - before["wall"]
    after: dict[str, Any] = {
        "server": _cpu(_server_processes(server_pid)),
        "database": _cpu(_backends(database)),
        "generator": _cpu([_psutil(p.pid) for p in generators]),
        "machine": _machine_busy(),
        "load": os.getloadavg(),
    }
    for process in generators:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(60)
    profile = _stop_profiling(profilers)
    results = [json.loads((folder / f"generator-{i}.json").read_text()) for i in range(count)]
    shutil.rmtree(folder, ignore_errors=True)
    cpu = {k: _spent(before[k], after[k]) for k in ("server", "database", "generator")}
    cpu["machine"] = after["machine"] - before["machine"]
    return {
        "wall": wall,
        "cpu": cpu,
        "load_before": before["load"],
        "load_after": after["load"],
        "samples": [s for r in results for s in r["samples"]],
        "max_in_flight": sum(r["max_in_flight"] for r in results),
        "mean_in_flight": sum(r["mean_in_flight"] for r in results),
        "users": sum(r["users"] for r in results),
        "profile": profile,
    }


def _psutil(pid: int) -> Any:
    import psutil

    return psutil.Process(pid)


# --- profiling the server's workers with py-spy ------------------------------------------------


def _py_spy() -> str | None:
    return os.environ.get("PY_SPY") or shutil.which("py-spy")


def _start_profiling(
    workers: list[Any], options: dict[str, Any], folder: Path
) -> list[tuple[subprocess.Popen[bytes], Path]]:
    spy = _py_spy() if options["profile"] else None
    if options["profile"] and spy is None:
        print("--profile: no py-spy found (set PY_SPY or put py-spy on PATH)", file=sys.stderr)
    if spy is None:
        return []
    started = []
    for worker in workers:
        out = folder / f"profile-{worker.pid}.txt"
        command = [spy, "record", "--format", "raw", "--rate", "50", "--nonblocking"]
        command += ["-o", str(out), "-d", str(int(options["seconds"]) + 2), "-p", str(worker.pid)]
        started.append((subprocess.Popen(command, stdout=subprocess.DEVNULL), out))
    return started


def _stop_profiling(profilers: list[tuple[subprocess.Popen[bytes], Path]]) -> list[str]:
    """Collapsed stacks of every worker (`frame;frame;... count`)."""
    lines: list[str] = []
    for process, out in profilers:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(10)
        if out.exists():
            lines += out.read_text().splitlines()
    return lines


def _profile_summary(lines: list[str], top: int = 25) -> list[str]:
    """Where the workers' samples were: inclusive shares of our own and the libraries' code."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        if any("select" in f and "selectors" in f for f in frames[-2:]):  # the loop waiting
            continue
        total += count
        for name in {_frame(f) for f in frames}:
            inclusive[name] += count
        own[_frame(frames[-1])] += count
    if not total:
        return ["no samples"]
    shown = [f"busy samples: {total}; inclusive share (a frame counted once per stack):"]
    shown += [f"  {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    shown += ["self share:"]
    shown += [f"  {n / total:6.1%}  {name}" for name, n in own.most_common(top)]
    return shown


def _frame(frame: str) -> str:
    """`function (path/to/file.py:12)` -> `function (file area)` without the line."""
    name, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


# --- the child: the users -----------------------------------------------------------------------


def generator() -> None:
    """A load generator process: log its users in, say "ready", run on "go", say "done"."""
    from tests.load import drive, make_users, prepare

    plan = json.loads(sys.argv[1])
    users = make_users(plan["url"], plan["sessions"], plan["phones"])

    async def run() -> Any:
        await prepare(users)
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        return await drive(users, plan["seconds"], plan["think"])

    rec = asyncio.run(run())
    wall = plan["seconds"]
    Path(plan["out"]).write_text(
        json.dumps(
            {
                "samples": [asdict(s) for s in rec.samples],
                "max_in_flight": rec.max_in_flight,
                "mean_in_flight": rec.busy_area / wall,
                "users": len(users),
            }
        )
    )
    print("done", flush=True)
    sys.stdin.readline()  # the parent reads this process's CPU before it ends


# --- the figures -------------------------------------------------------------------------------


def _print(options: dict[str, Any], figures: dict[str, Any]) -> None:
    from tests.load import READ_KINDS, WRITE_KINDS, Sample, is_error, percentile

    samples = [Sample(**s) for s in figures["samples"]]
    wall, cpu = figures["wall"], figures["cpu"]
    requests = len(samples)
    print(
        f"{options['sessions']} staff sessions + {options['phones']} phones"
        f" ({figures['users']} users), {options['seconds']:.0f} s, think 0–"
        f"{2 * options['think']:.1f} s, servio serve --workers {options['workers']},"
        f" {options['generators']} generator process(es)"
    )
    print(
        "load average before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
            *figures["load_before"], *figures["load_after"]
        )
    )
    print(
        f"{requests} requests in {wall:.1f} s = {requests / wall:.1f} requests/s;"
        f" in flight at most {figures['max_in_flight']}, on average"
        f" {figures['mean_in_flight']:.1f}"
    )
    print(f"  {'kind':18} {'count':>6} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
          f" {'errors':>6}")  # fmt: skip
    for title, kinds in (("reads", READ_KINDS), ("writes", WRITE_KINDS)):
        group = [s for s in samples if s.kind in kinds]
        for kind in kinds:
            _row(kind, [s for s in group if s.kind == kind], wall, percentile, is_error)
        _row(f"all {title}", group, wall, percentile, is_error)
    print("  (issue #15's goal at 50 sessions + 30 phones, --workers 2, on 2 cores: no errors,")
    print("  p95 <= 300 ms for reads and <= 500 ms for writes)")
    errors = Counter(s.status for s in samples if is_error(s))
    shown = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(errors.items()))
    print(f"errors by status: {shown or 'none'} (299: a 200 whose push results were wrong)")
    for sample in [s for s in samples if is_error(s)][:5]:
        print(f"  {sample.kind} {sample.status}: {sample.detail[:160]}")
    per = 1000 / max(1, requests)
    others = cpu["machine"] - cpu["server"] - cpu["database"] - cpu["generator"]
    print(f"CPU seconds in {wall:.0f} s (2 cores = {2 * wall:.0f} CPU s):")
    for name, label in (
        ("server", "servio serve (all processes)"),
        ("database", "PostgreSQL backends of the database"),
        ("generator", "load generator"),
    ):
        print(
            f"  {label:38} {cpu[name]:7.1f} s = {cpu[name] / wall:4.2f} cores,"
            f" {cpu[name] * per:6.2f} ms per request"
        )
    print(f"  {'everything else on the machine':38} {others:7.1f} s = {others / wall:4.2f} cores")
    if figures["profile"]:
        print("\n".join(_profile_summary(figures["profile"])))


def _row(kind: str, group: list[Any], wall: float, percentile: Any, is_error: Any) -> None:
    if not group:
        return
    seconds = [s.seconds for s in group if s.status]
    print(
        f"  {kind:18} {len(group):6} {len(group) / wall:6.1f}"
        f" {percentile(seconds, 0.5) * 1000:8.1f} {percentile(seconds, 0.95) * 1000:8.1f}"
        f" {percentile(seconds, 0.99) * 1000:8.1f} {sum(map(is_error, group)):6}"
    )
