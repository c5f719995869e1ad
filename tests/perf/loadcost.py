"""The cost of each kind of request of the load, one request at a time, in this process.

Run by the load bench (tests/perf/bench_load.py) in a child process whose DATABASE_URL is the
bench's database: the app over ASGI, the users of tests/load.py one step after another, so
that the process's own CPU time around a request is that request's. Prints queries, CPU ms
and Python calls (cProfile, the same on a busy machine as on an idle one) per request of
each kind; with `cprofile`, where the CPU of the whole run went.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import time
from typing import Any

from tests.load import Recorder


def cost(rounds: int, cprofile: bool = False) -> None:
    """Queries and CPU per request of each kind: the app in this process over ASGI, the users
    of the load one after another (a step each, `rounds` times), so that the process's own CPU
    time around a request is that request's. Counts, not wall time: the figures to compare."""
    import logging

    import httpx

    from server.app import create_app
    from tests.load import make_users, prepare

    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = create_app()
    rec = CostRecorder()
    counting = CostRecorder(calls=True)
    profiler = cProfile.Profile(time.process_time) if cprofile else None

    async def run() -> None:
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))  # type: ignore[arg-type]
            users = make_users("http://bench.local", range(7), range(3), transport=transport)
            await prepare(users, at_once=1)
            warm = Recorder()  # templates compiled, statements prepared, caches filled
            for _ in range(3):
                for user in users:
                    await user.step(warm)
            if profiler is not None:
                profiler.enable()
            for _ in range(rounds):
                for user in users:
                    await user.step(rec)
            if profiler is not None:
                profiler.disable()
            for _ in range(max(1, rounds // 3)):  # more steps, counting their calls
                for user in users:
                    await user.step(counting)

    asyncio.run(run())
    if profiler is not None:  # CPU time (not wall time) by function: ours, then everything
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats("/server/", 60)
        stats.sort_stats("tottime").print_stats(40)
    print(f"per request, in-process over ASGI, one at a time ({rounds} rounds of 10 users):")
    print("  (CPU ms: median of the process's own time; Python calls: counted by cProfile in")
    print("  a second pass, the same on a busy machine as on an idle one)")
    head = f"{'count':>6} {'queries':>8} {'max':>4} {'CPU ms':>7} {'calls':>7} {'KiB':>6}"
    print(f"  {'kind':18} {head}")
    for kind in sorted(rec.costs):
        seen = rec.costs[kind]
        queries = [q for q, _, _ in seen]
        cpu = sorted(c for _, c, _ in seen)
        calls = [c for _, c, _ in counting.costs.get(kind, [])]
        size = sum(b for _, _, b in seen) / len(seen) / 1024
        print(
            f"  {kind:18} {len(seen):6} {sum(queries) / len(seen):8.1f} {max(queries):4}"
            f" {cpu[len(cpu) // 2] * 1000:7.1f} {sum(calls) / max(1, len(calls)):7.0f}"
            f" {size:6.1f}"
        )
    every = [c for seen in rec.costs.values() for c in seen]
    every_calls = [c for seen in counting.costs.values() for _, c, _ in seen]
    print(
        f"  {'all (mean)':18} {len(every):6} {sum(q for q, _, _ in every) / len(every):8.1f}"
        f" {max(q for q, _, _ in every):4} {sum(c for _, c, _ in every) / len(every) * 1000:7.1f}"
        f" {sum(every_calls) / max(1, len(every_calls)):7.0f}"
    )


class CostRecorder(Recorder):
    """A Recorder that also counts each request's queries, CPU seconds and answer bytes."""

    def __init__(self, calls: bool = False) -> None:
        super().__init__()
        self.calls = calls  # count Python function calls instead (CPU time is then cProfile's)
        self.costs: dict[str, list[tuple[int, float, int]]] = {}

    async def request(self, kind: str, send: Any) -> Any:
        """Send and note one request, counting around it."""
        from tests.querycount import count_queries

        profiler = cProfile.Profile() if self.calls else None
        with count_queries() as counted:
            started = time.process_time()
            if profiler is not None:
                profiler.enable()
            answer = await super().request(kind, send)
            if profiler is not None:
                profiler.disable()
            spent = time.process_time() - started
        if profiler is not None:
            spent = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
        if answer is not None and answer.status_code < 400:
            self.costs.setdefault(kind, []).append((len(counted), spent, len(answer.content)))
        return answer
